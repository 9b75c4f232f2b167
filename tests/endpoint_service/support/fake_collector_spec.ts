/** Specs that run `fake_collector.ts` through `deno run`, the way a bundle is run. */
import type { CollectorServiceSpec } from "../../../lib/endpoint/service/collector_service_spec.ts";
import { collectorServicePaths } from "../../../lib/endpoint/service/collector_service_paths.ts";
import type { Host } from "../../../lib/host/host.ts";

const FAKE_COLLECTOR = new URL("./fake_collector.ts", import.meta.url).pathname;

/** A spec for the fake collector in `host`'s user mode, writing heartbeats to `heartbeat`. */
export function fakeCollectorSpec(
  host: Host,
  heartbeat: string,
  extraArgs: string[] = [],
): CollectorServiceSpec {
  const paths = collectorServicePaths("user", host);
  const denoDir = Deno.env.get("DENO_DIR");
  return {
    mode: "user",
    executable: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      FAKE_COLLECTOR,
      "collector",
      "run",
      "--heartbeat",
      heartbeat,
      ...extraArgs,
    ],
    env: { HOME: host.home, NO_COLOR: "1", ...(denoDir ? { DENO_DIR: denoDir } : {}) },
    label: "dev.asymptote.beacon.collector",
    logFile: paths.logFile,
    workingDirectory: paths.stateDir,
  };
}

/** Waits until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The heartbeat file's lines (empty when it does not exist yet). */
export async function heartbeatLines(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Waits until the fake collector has started and beaten at least once; returns its start line. */
export function waitUntilBeating(
  heartbeat: string,
): Promise<{ pid: number; cwd: string; env: Record<string, string> }> {
  return waitFor("the fake collector's heartbeat", async () => {
    const lines = await heartbeatLines(heartbeat);
    const started = lines.findLast((line) => line.startsWith("started "));
    if (!started || !lines.at(-1)?.startsWith("beat ")) return undefined;
    const [, pid, json] = /^started (\d+) (.*)$/.exec(started)!;
    return { pid: Number(pid), ...JSON.parse(json) };
  });
}
