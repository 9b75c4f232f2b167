import { probeCollector } from "./probe/probe_collector.ts";
import { sendTestEvent, type TestEventResult, type TestEventTarget } from "./send_test_event.ts";
import type { System } from "../host/system.ts";

/**
 * Waits until the collector at `collectorUrl` answers `/healthz` as a Beacon collector writing
 * to `runtimeLogPath`, then proves the whole path with a test event. Throws with the reason.
 */
export async function verifyCollector(
  system: Pick<System, "host" | "fs">,
  input: TestEventTarget,
): Promise<TestEventResult> {
  const deadline = Date.now() + (input.timeoutMs ?? 15_000);
  let last = "";
  while (Date.now() < deadline) {
    const probe = await probeCollector(input.collectorUrl, { token: input.token });
    if (probe.health) {
      if (probe.health.runtime_log.path !== input.runtimeLogPath) {
        throw new Error(
          `the collector at ${input.collectorUrl} (pid ${probe.health.pid}) writes to ` +
            `${probe.health.runtime_log.path}, not ${input.runtimeLogPath}: another collector ` +
            "holds the address. Stop it, or set collector.listen in the policy.",
        );
      }
      if (probe.tokenCheck === "rejected") {
        throw new Error(
          `the collector at ${input.collectorUrl} rejects the token Beacon configured: is ` +
            "another Beacon collector holding the address?",
        );
      }
      return await sendTestEvent(system, input);
    }
    last = probe.error ?? "no answer";
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the collector did not answer at ${input.collectorUrl}/healthz (${last})`);
}
