import * as v from "valibot";

/** The policy's `[harnesses.codex]` table. */
export const CodexPolicySchema = v.strictObject({
  enabled: v.optional(v.boolean(), true),
  transport: v.optional(
    v.pipe(
      v.picklist(["http/protobuf", "http/json", "grpc"]),
      v.description("How Codex sends telemetry to the collector."),
    ),
    "http/protobuf",
  ),
  include_spans: v.optional(
    v.pipe(v.boolean(), v.description("Keep Codex's raw spans (about 600 per turn).")),
    false,
  ),
  include_metrics: v.optional(
    v.pipe(v.boolean(), v.description("Keep Codex's raw metrics.")),
    false,
  ),
  environment: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(64),
      v.description("Codex's otel.environment (the `env` resource attribute)."),
    ),
    "dev",
  ),
  on_conflict: v.optional(
    v.pipe(
      v.picklist(["report", "take_over"]),
      v.description(
        "What to do when Codex already sends telemetry elsewhere or a user edited Beacon's values.",
      ),
    ),
    "report",
  ),
});
