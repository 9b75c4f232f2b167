import type { FlatValue } from "../../otlp/flatten_any_value.ts";

/** The `service.name` of Beacon's own synthetic Codex event (`endpoint test-event`). */
export const BEACON_TEST_EVENT_SERVICE = "beacon-test-event";

/**
 * Whether a resource's `service.name` is Codex's: Codex sets it to its originator (`codex_exec`
 * for `codex exec`; the TUI, IDE and SDK clients use other `codex`-prefixed names), or Beacon's
 * test event, which is a Codex event by design. Anything else (another service's telemetry sent
 * to the same collector, or no `service.name` at all) is not Codex, whatever its records are
 * named.
 *
 * @example
 * ```ts
 * import { isCodexService } from "./is_codex_service.ts";
 * isCodexService("codex_exec"); // true
 * isCodexService("codex-tui"); // true
 * isCodexService("checkout-api"); // false
 * ```
 */
export function isCodexService(serviceName: FlatValue | undefined): boolean {
  if (typeof serviceName !== "string") return false;
  const name = serviceName.trim();
  return /^codex/i.test(name) || name === BEACON_TEST_EVENT_SERVICE;
}
