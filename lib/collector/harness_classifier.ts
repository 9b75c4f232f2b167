import type { Policy } from "../policy/policy_schema.ts";
import type { ClassifyExport } from "./export_pipeline.ts";
import type { BeaconEvent } from "../events/beacon_event.ts";
import { classifyCodexExport } from "../harness/codex/classify_codex_telemetry.ts";
import { classifyCodexLogRecord } from "../harness/codex/classify_codex_log_record.ts";

/**
 * The classifier for everything the collector receives. Codex is the only harness that sends
 * OTLP today; when another does, route by the resource's `service.name` here.
 */
export function harnessClassifier(policy: Policy): ClassifyExport {
  return (batch, receivedAt) => {
    const context = { policy, receivedAt };
    if (batch.signal !== "logs") return classifyCodexExport(batch.signal, batch.request, context);
    const events: BeaconEvent[] = [];
    for (const record of batch.records) {
      const event = classifyCodexLogRecord(record, context);
      if (event) events.push(event);
    }
    return { events, dropped: batch.records.length - events.length };
  };
}
