import type { Policy } from "./policy_schema.ts";

/**
 * The policy with Codex's raw spans kept (`--include-codex-spans`: troubleshooting only; the
 * plan says so). Everything else, including content rules, stays as the policy says.
 */
export function withCodexSpans(policy: Policy): Policy {
  return {
    ...policy,
    harnesses: { ...policy.harnesses, codex: { ...policy.harnesses.codex, include_spans: true } },
  };
}
