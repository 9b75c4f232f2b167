import { applyIdentityRule } from "../content/hash_identity.ts";
import type { BeaconEventUser } from "./beacon_event.ts";
import type { ClassifyContext } from "./classify_context.ts";

/**
 * An event's `user` from a harness's identity attributes, under the policy's identity rule;
 * `undefined` when the harness sent neither (every harness names them its own way).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import { eventUser } from "./event_user.ts";
 * const context = { policy: v.parse(PolicySchema, {}), receivedAt: new Date() };
 * eventUser(undefined, undefined, context); // undefined
 * eventUser("ada@example.com", undefined, context)?.email?.mode; // "hash"
 * ```
 */
export function eventUser(
  email: string | undefined,
  accountId: string | undefined,
  context: ClassifyContext,
): BeaconEventUser | undefined {
  if (email === undefined && accountId === undefined) return undefined;
  const { identity, max_field_bytes: maxFieldBytes } = context.policy.content;
  const user: BeaconEventUser = {};
  if (email !== undefined) user.email = applyIdentityRule(email, identity, maxFieldBytes);
  if (accountId !== undefined) {
    user.account_id = applyIdentityRule(accountId, identity, maxFieldBytes);
  }
  return user;
}
