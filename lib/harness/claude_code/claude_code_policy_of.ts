import * as v from "valibot";
import type { Policy } from "../../policy/policy_schema.ts";
import { type ClaudeCodePolicy, ClaudeCodePolicySchema } from "./claude_code_policy_schema.ts";

const DEFAULTS: ClaudeCodePolicy = v.parse(ClaudeCodePolicySchema, {});

/** The policy's `[harnesses.claude-code]` table, defaults filled in. */
export function claudeCodePolicyOf(policy: Policy): ClaudeCodePolicy {
  const harnesses = policy.harnesses as unknown as Record<string, ClaudeCodePolicy | undefined>;
  return harnesses["claude-code"] ?? DEFAULTS;
}
