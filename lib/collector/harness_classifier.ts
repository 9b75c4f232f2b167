import type { Policy } from "../policy/policy_schema.ts";
import type { ClassifyExport } from "./export_pipeline.ts";
import type { BeaconEvent } from "../events/beacon_event.ts";
import type { OtlpRequest } from "../otlp/otlp_signal.ts";
import { countExportItems } from "../otlp/count_export_items.ts";
import { flattenKeyValues } from "../otlp/flatten_any_value.ts";
import type { KeyValue } from "../otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import { classifyCodexExport } from "../harness/codex/classify_codex_telemetry.ts";
import { classifyCodexLogRecord } from "../harness/codex/classify_codex_log_record.ts";
import { isCodexService } from "../harness/codex/is_codex_service.ts";

/**
 * The classifier for everything the collector receives, routed by each resource's
 * `service.name`: Codex's resources go to the Codex classifier; telemetry from any other
 * service sent to the same collector is dropped and counted as `foreign` (it is never labelled
 * Codex, whatever its records are named).
 */
export function harnessClassifier(policy: Policy): ClassifyExport {
  return (batch, receivedAt) => {
    const context = { policy, receivedAt };
    if (batch.signal === "logs") {
      const events: BeaconEvent[] = [];
      let foreign = 0;
      for (const record of batch.records) {
        if (!isCodexService(record.resource["service.name"])) {
          foreign++;
          continue;
        }
        const event = classifyCodexLogRecord(record, context);
        if (event) events.push(event);
      }
      return { events, dropped: batch.records.length - events.length - foreign, foreign };
    }
    const { codex, foreign } = splitByService(batch.signal, batch.request);
    const classified = classifyCodexExport(batch.signal, codex, context);
    return { ...classified, foreign };
  };
}

/** The request's Codex resource groups, and how many items the other groups hold. */
function splitByService(
  signal: "traces" | "metrics",
  request: OtlpRequest<"traces"> | OtlpRequest<"metrics">,
): { codex: OtlpRequest; foreign: number } {
  const isCodex = (group: { resource?: { attributes: KeyValue[] } }) =>
    isCodexService(serviceNameOf(group.resource?.attributes ?? []));
  if (signal === "traces") {
    const all = (request as OtlpRequest<"traces">).resourceSpans;
    const codex = all.filter(isCodex);
    if (codex.length === all.length) return { codex: request, foreign: 0 };
    const rest = { ...request, resourceSpans: all.filter((group) => !isCodex(group)) };
    return {
      codex: { ...request, resourceSpans: codex } as OtlpRequest<"traces">,
      foreign: countExportItems(signal, rest as OtlpRequest<"traces">),
    };
  }
  const all = (request as OtlpRequest<"metrics">).resourceMetrics;
  const codex = all.filter(isCodex);
  if (codex.length === all.length) return { codex: request, foreign: 0 };
  const rest = { ...request, resourceMetrics: all.filter((group) => !isCodex(group)) };
  return {
    codex: { ...request, resourceMetrics: codex } as OtlpRequest<"metrics">,
    foreign: countExportItems(signal, rest as OtlpRequest<"metrics">),
  };
}

/** The `service.name` among a resource's attributes (only that one is flattened). */
function serviceNameOf(attributes: readonly KeyValue[]) {
  const found = attributes.findLast((attribute) => attribute.key === "service.name");
  return found ? flattenKeyValues([found])["service.name"] : undefined;
}
