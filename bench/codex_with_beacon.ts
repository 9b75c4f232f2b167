/**
 * Does Beacon slow Codex down? (issue 11: "Codex's own run time unchanged with Beacon on".)
 * The real Codex CLI runs the same turn (a shell command, a patch, an answer, from the mock
 * model provider) again and again, rotating between a CODEX_HOME without telemetry, one that
 * `beacon apply` pointed at Beacon's collector (the bundled collector, running, durable log), and
 * the same settings pointed at the floor server (what exporting costs Codex whoever receives it). Prints the wall time of each `codex exec` for both, and the difference of the medians
 * beside the spread of the runs without Beacon (the noise).
 *
 * Usage: deno run -A bench/codex_with_beacon.ts [runs per side, default 8]
 */
import { join } from "node:path";
import {
  createCodexWorkspace,
  mockProviderToml,
  runCodexExec,
} from "../tests/support/codex_cli.ts";
import { startMockModelProvider } from "../tests/support/mock_model_provider.ts";
import { startCollectorProcess } from "../tests/support/collector_process.ts";
import { runBeacon } from "../tests/support/beacon_bundle.ts";
import { reservePort } from "../tests/support/reserve_port.ts";

/**
 * Wall times (ms) of `codex exec` without telemetry, exporting to the floor (a Node server that
 * only appends and fdatasyncs, bench/floor_server.mjs), and exporting to Beacon; events Beacon
 * wrote.
 */
export interface CodexWithBeaconFigures {
  without: number[];
  floor: number[];
  with: number[];
  events: number;
}

const PATCH = [
  "*** Begin Patch",
  "*** Add File: notes/hello.txt",
  "+hello from the mock model",
  "*** End Patch",
].join("\n");

/** Runs `runs` turns on each side, alternating, and returns the wall times. */
export async function measureCodexWithBeacon(runs = 8): Promise<CodexWithBeaconFigures> {
  const provider = await startMockModelProvider({
    shellCommand: "printf 'hello\\n'",
    applyPatch: PATCH,
    finalAnswer: "Done.",
  });
  await using plain = await createCodexWorkspace();
  await using floored = await createCodexWorkspace();
  await using watched = await createCodexWorkspace();
  using port = reservePort();
  try {
    // Without Beacon: no exporter, and no metrics to OpenAI either (nothing leaves the machine).
    await plain.writeConfig(
      mockProviderToml(provider.baseUrl) + '\n[otel]\nmetrics_exporter = "none"\n',
    );
    const logPath = join(watched.root, "runtime.jsonl");
    const policyPath = join(watched.root, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:${port.port}"\n` +
        `[runtime_log]\npath = "${logPath}"\n`,
    );
    await watched.writeConfig(mockProviderToml(provider.baseUrl));
    const env = { HOME: watched.root, CODEX_HOME: watched.codexHome };
    const apply = await runBeacon(["apply", "--policy", policyPath], { env });
    if (apply.code !== 0) throw new Error(`beacon apply failed:\n${apply.stdout}${apply.stderr}`);
    await using collector = await startCollectorProcess({ policyPath, home: watched.root });
    // The same telemetry settings, pointed at the floor: what exporting costs Codex at all.
    const floor = new Deno.Command("node", {
      args: [new URL("./floor_server.mjs", import.meta.url).pathname, join(floored.root, "floor")],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const floorOutput = floor.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const floorPort = /listening (\d+)/.exec((await floorOutput.read()).value ?? "")?.[1];
    if (!floorPort) throw new Error("the floor server did not start");
    const watchedConfig = await Deno.readTextFile(join(watched.codexHome, "config.toml"));
    await floored.writeConfig(
      watchedConfig.replaceAll(`127.0.0.1:${port.port}`, `127.0.0.1:${floorPort}`),
    );

    const run = async (workspace: typeof plain) => {
      const result = await runCodexExec({ ...workspace, prompt: "run it and add the note" });
      if (result.code !== 0) throw new Error(`codex exec failed:\n${result.stderr}`);
      return result.durationMs;
    };
    await run(plain); // warm the binary and the file cache once on each side
    await run(floored);
    await run(watched);
    const figures: CodexWithBeaconFigures = { without: [], floor: [], with: [], events: 0 };
    for (let i = 0; i < runs; i++) {
      figures.without.push(await run(plain));
      figures.floor.push(await run(floored));
      figures.with.push(await run(watched));
    }
    floor.kill("SIGTERM");
    await floor.status;
    await collector.stop("SIGTERM");
    figures.events = (await Deno.readTextFile(logPath)).split("\n").filter(Boolean).length;
    return figures;
  } finally {
    await provider.close();
  }
}

/** The figures as Markdown: both series, medians, the difference and the noise. */
export function describeCodexWithBeacon(figures: CodexWithBeaconFigures): string {
  const median = (values: number[]) => {
    const sorted = values.toSorted((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  const without = median(figures.without);
  const floor = median(figures.floor);
  const withBeacon = median(figures.with);
  const deviations = figures.without.map((value) => Math.abs(value - without));
  const noise = median(deviations);
  const list = (values: number[]) => values.map((value) => value.toFixed(0)).join(", ");
  return [
    `| codex exec (same turn) | runs (ms) | median ms |`,
    `|---|---|---|`,
    `| without telemetry | ${list(figures.without)} | ${without.toFixed(0)} |`,
    `| exporting to the floor (append + fdatasync only) | ${list(figures.floor)} | ${
      floor.toFixed(0)
    } |`,
    `| with Beacon (collector running, durable log) | ${list(figures.with)} | ${
      withBeacon.toFixed(0)
    } |`,
    "",
    `Beacon against the floor: ${(withBeacon - floor).toFixed(0)} ms; exporting at all (the ` +
    `floor against no telemetry): ${(floor - without).toFixed(0)} ms; Beacon against no ` +
    `telemetry: ${(withBeacon - without).toFixed(0)} ms. The noise (median absolute deviation ` +
    `of the runs without telemetry): ${noise.toFixed(0)} ms. Beacon wrote ` +
    `${figures.events} events for the ${figures.with.length + 1} runs with it.`,
  ].join("\n");
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 8);
  console.log(describeCodexWithBeacon(await measureCodexWithBeacon(runs)));
}
