/**
 * How long `beacon endpoint status` takes with the collector running: the wall time of the whole
 * command as a user runs it (process start included), from the single-file build with the
 * binary's permissions (the same runner as the CLI tests), in a temporary HOME with an
 * installed endpoint (background collector).
 */
import { join } from "node:path";
import { runBeacon } from "../tests/support/beacon_bundle.ts";
import { reservePort } from "../tests/support/reserve_port.ts";

const TOOLS_BIN = new URL("../tools/node_modules/.bin", import.meta.url).pathname;

/** Runs the measurement and returns the wall times in milliseconds, sorted. */
export async function measureEndpointStatus(runs = 10): Promise<number[]> {
  const home = await Deno.makeTempDir({ prefix: "beacon-bench-status-" });
  // A port outside the ephemeral range, reserved against other test and bench processes.
  using reservation = reservePort();
  const port = reservation.port;
  const policy = join(home, "policy.toml");
  await Deno.writeTextFile(policy, `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n`);
  const env = {
    HOME: home,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH")}`,
    BEACON_SERVICE_MANAGER: "detached",
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policy], { env });
  try {
    const install = await beacon("endpoint", "install");
    if (install.code !== 0) throw new Error(install.stdout + install.stderr);
    await beacon("endpoint", "status"); // warm the file cache
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const status = await beacon("endpoint", "status");
      times.push(performance.now() - started);
      if (status.code !== 0 && status.code !== 3) {
        throw new Error(`status failed: ${status.stderr}`);
      }
    }
    return times.sort((a, b) => a - b);
  } finally {
    await beacon("endpoint", "uninstall");
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) {
  const times = await measureEndpointStatus();
  console.log(times.map((t) => t.toFixed(0)).join(" ms, ") + " ms");
}
