import * as v from "valibot";

/** The policy's `[harnesses.claude-code]` table. */
export const ClaudeCodePolicySchema = v.strictObject({
  enabled: v.optional(v.boolean(), true),
  transport: v.optional(
    v.pipe(
      v.picklist(["http/protobuf", "http/json", "grpc"]),
      v.description(
        "How Claude Code sends telemetry to the collector (grpc needs collector.grpc).",
      ),
    ),
    "http/protobuf",
  ),
  include_spans: v.optional(
    v.pipe(
      v.boolean(),
      v.description("Keep Claude Code's raw spans (its enhanced telemetry beta)."),
    ),
    false,
  ),
  include_metrics: v.optional(
    v.pipe(v.boolean(), v.description("Keep Claude Code's raw metrics.")),
    false,
  ),
  on_conflict: v.optional(
    v.pipe(
      v.picklist(["report", "take_over"]),
      v.description(
        "What to do when Claude Code already sends telemetry elsewhere or a user edited " +
          "Beacon's values.",
      ),
    ),
    "report",
  ),
});

/** `[harnesses.claude-code]` with every default filled in. */
export type ClaudeCodePolicy = v.InferOutput<typeof ClaudeCodePolicySchema>;
