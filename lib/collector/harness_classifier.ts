import type { Policy } from "../policy/policy_schema.ts";
import type { ClassifyExport } from "./export_pipeline.ts";
import { classifyCodexExport } from "../harness/codex/classify_codex_telemetry.ts";

/**
 * The classifier for everything the collector receives. Codex is the only harness that sends
 * OTLP today; when another does, route by the resource's `service.name` here.
 */
export function harnessClassifier(policy: Policy): ClassifyExport {
  return (signal, request, receivedAt) =>
    classifyCodexExport(signal, request, { policy, receivedAt });
}
