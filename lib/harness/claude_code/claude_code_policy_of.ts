import type { Policy } from "../../policy/policy_schema.ts";
import type { ClaudeCodePolicy } from "./claude_code_policy_schema.ts";

/** The policy's `[harnesses.claude-code]` table, defaults filled in. */
export function claudeCodePolicyOf(policy: Policy): ClaudeCodePolicy {
  return policy.harnesses["claude-code"];
}
