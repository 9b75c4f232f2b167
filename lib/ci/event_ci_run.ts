import type { BeaconEventCiRun } from "../events/beacon_event.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { applyIdentityRule } from "../content/hash_identity.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import { truncateUtf8 } from "../content/truncate_utf8.ts";
import { CI_RUN_CONTEXT_FIELDS, type CiRunContext } from "./ci_run_context.ts";

/** The metadata fields of a run context (all but the provider and the actor), in order. */
const METADATA_FIELDS = CI_RUN_CONTEXT_FIELDS.filter(
  (field): field is Exclude<typeof field, "provider" | "actor"> =>
    field !== "provider" && field !== "actor",
);

/**
 * The `ci` object a CI run's collector stamps on every event, from the run context `ci start`
 * read: each metadata value with secrets scrubbed (a branch name or a Jenkins `GIT_URL` can hold
 * a token) and cut to `max_field_bytes`; the actor, who names a person, under the policy's
 * `identity` rule, as an event's `user` is (hashed by default, never kept raw unless the policy
 * says `keep`). Computed once per run, not per event.
 *
 * @example
 * ```ts
 * const ci = eventCiRun(
 *   { provider: "github-actions", ref: "refs/heads/ghp_0123456789abcdefghijABCDEFGHIJ012345", actor: "ada" },
 *   { identity: "hash", max_field_bytes: 4096 },
 * );
 * ci.ref; // "refs/heads/[REDACTED:github-token]"
 * ci.actor?.mode; // "hash"
 * ```
 */
export function eventCiRun(
  context: CiRunContext,
  content: Pick<Policy["content"], "identity" | "max_field_bytes">,
): BeaconEventCiRun {
  const metadata = (value: string) =>
    truncateUtf8(scrubSecrets(value).text, content.max_field_bytes).text;
  const run: BeaconEventCiRun = { provider: metadata(context.provider) };
  for (const field of METADATA_FIELDS) {
    const value = context[field];
    if (value !== undefined) run[field] = metadata(value);
  }
  if (context.actor !== undefined) {
    run.actor = applyIdentityRule(context.actor, content.identity, content.max_field_bytes);
  }
  return run;
}
