import type { Policy } from "../policy/policy_schema.ts";
import type { ClassifyExport } from "./export_pipeline.ts";
import type { BeaconEvent } from "../events/beacon_event.ts";
import type { OtlpRequest } from "../otlp/otlp_signal.ts";
import { countExportItems } from "../otlp/count_export_items.ts";
import { flattenKeyValues } from "../otlp/flatten_any_value.ts";
import type { KeyValue } from "../otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { HarnessAdapter } from "../harness/harness_adapter.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { BEACON_FORWARDER_SERVICE, forwardedBeaconEvent } from "./forwarded_beacon_event.ts";
import { classifyOtherServiceLog } from "./classify_other_service_log.ts";

/**
 * The classifier for everything the collector receives, routed by each resource's
 * `service.name` through the harness registry: each harness's resources go to its own
 * classifier (Codex's to Codex's, Claude Code's to Claude Code's); telemetry from any other
 * service sent to the same collector is counted as `foreign` and never labelled as a harness,
 * whatever its records are named: dropped, or, for log records when the policy says
 * `collector.other_services = "record"`, kept by name only as `other_service_log` events
 * (harness `other`). Records another Beacon forwards
 * (`service.name = beacon`) are written as the events they carry.
 */
export function harnessClassifier(
  policy: Policy,
  adapters: readonly HarnessAdapter[] = HARNESS_ADAPTERS,
): ClassifyExport {
  const adapterOf = (serviceName: Parameters<HarnessAdapter["isService"]>[0]) =>
    adapters.find((adapter) => adapter.isService(serviceName));
  const recordOthers = policy.collector.other_services === "record";
  return (batch, receivedAt) => {
    const context = { policy, receivedAt };
    if (batch.signal === "logs") {
      const events: BeaconEvent[] = [];
      let foreign = 0;
      for (const record of batch.records) {
        if (record.resource["service.name"] === BEACON_FORWARDER_SERVICE) {
          // Events another Beacon forwards (this collector as a gateway's peer).
          const forwarded = forwardedBeaconEvent(record, policy);
          if (forwarded) events.push(forwarded);
          continue;
        }
        const adapter = adapterOf(record.resource["service.name"]);
        if (!adapter) {
          foreign++;
          if (recordOthers) events.push(classifyOtherServiceLog(record, context));
          continue;
        }
        const event = adapter.classifyLogRecord(record, context);
        if (event) events.push(event);
      }
      const others = recordOthers ? foreign : 0;
      return { events, dropped: batch.records.length - events.length + others - foreign, foreign };
    }
    const events: BeaconEvent[] = [];
    let dropped = 0;
    const { byAdapter, foreign } = splitByService(batch.signal, batch.request, adapterOf);
    for (const [adapter, request] of byAdapter) {
      const classified = adapter.classifyExport(batch.signal, request, context);
      events.push(...classified.events);
      dropped += classified.dropped;
    }
    return { events, dropped, foreign };
  };
}

/** The request's resource groups by harness, and how many items the other groups hold. */
function splitByService(
  signal: "traces" | "metrics",
  request: OtlpRequest<"traces"> | OtlpRequest<"metrics">,
  adapterOf: (serviceName: ReturnType<typeof serviceNameOf>) => HarnessAdapter | undefined,
): { byAdapter: Map<HarnessAdapter, OtlpRequest>; foreign: number } {
  const groupsOf = (request: OtlpRequest<"traces"> | OtlpRequest<"metrics">) =>
    signal === "traces"
      ? (request as OtlpRequest<"traces">).resourceSpans
      : (request as OtlpRequest<"metrics">).resourceMetrics;
  const withGroups = (groups: unknown[]) =>
    (signal === "traces"
      ? { ...request, resourceSpans: groups }
      : { ...request, resourceMetrics: groups }) as OtlpRequest<"traces" | "metrics">;
  const all = groupsOf(request) as { resource?: { attributes: KeyValue[] } }[];
  const grouped = new Map<HarnessAdapter, typeof all>();
  const rest: typeof all = [];
  for (const group of all) {
    const adapter = adapterOf(serviceNameOf(group.resource?.attributes ?? []));
    if (!adapter) rest.push(group);
    else grouped.set(adapter, [...(grouped.get(adapter) ?? []), group]);
  }
  const byAdapter = new Map<HarnessAdapter, OtlpRequest>();
  for (const [adapter, groups] of grouped) {
    // One harness's whole request is passed on as it came.
    byAdapter.set(adapter, groups.length === all.length ? request : withGroups(groups));
  }
  const foreign = rest.length
    ? countExportItems(signal, withGroups(rest) as OtlpRequest<"traces">)
    : 0;
  return { byAdapter, foreign };
}

/** The `service.name` among a resource's attributes (only that one is flattened). */
function serviceNameOf(attributes: readonly KeyValue[]) {
  const found = attributes.findLast((attribute) => attribute.key === "service.name");
  return found ? flattenKeyValues([found])["service.name"] : undefined;
}
