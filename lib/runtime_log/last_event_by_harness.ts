import { readRuntimeLog } from "./read_runtime_log.ts";

/**
 * The `time` of the newest event of each harness in the runtime log (archives included unless
 * `fromArchives` is false), Beacon's own test events left out. A missing log gives an empty map.
 *
 * @example
 * ```ts
 * import { lastEventByHarness } from "./last_event_by_harness.ts";
 * const last = await lastEventByHarness("/nonexistent/runtime.jsonl");
 * last.size; // 0
 * ```
 */
export async function lastEventByHarness(
  path: string,
  options: { fromArchives?: boolean } = {},
): Promise<Map<string, string>> {
  const last = new Map<string, string>();
  for await (const { event } of readRuntimeLog(path, options)) {
    if (!event || typeof event.harness !== "string" || typeof event.time !== "string") continue;
    if (String(event.session_id ?? "").startsWith("beacon-test-event")) continue;
    const previous = last.get(event.harness);
    if (previous === undefined || event.time >= previous) last.set(event.harness, event.time);
  }
  return last;
}
