/**
 * The collector beside its floor (issue 11): each receiver runs alone in its own process and gets
 * the same real Codex payload (32 records a request) over OTLP/HTTP protobuf. Measured from
 * outside through /proc (CPU time, RSS, peak RSS), so every receiver is measured the same way:
 *
 * - `floor`: bench/floor_server.mjs on Node.js: append + fdatasync, nothing else;
 * - `beacon`: `beacon collector run` from the single-file bundle, with the binary's flags and the
 *   default policy (durable runtime log, classification, content rules);
 * - `deno floor`: bench/deno_floor_server.ts, Beacon's HTTP server and runtime log with nothing
 *   decoded (what the runtime's durable path reaches on its own).
 *
 * Prints one row per receiver and a row of Beacon's figures as ratios to the floor's.
 */
import { join } from "node:path";

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** What one receiver gave. */
export interface ReceiverFigures {
  name: string;
  recordsPerSecond16: number;
  p50At1: number;
  p99At1: number;
  cpuSecondsPer100k: number;
  idleRssMiB: number;
  peakRssMiB: number;
}

interface Receiver {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

function procStats(pid: number) {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { cpuSeconds, rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

async function spawnReceiver(
  command: string,
  args: string[],
  portPattern: RegExp,
): Promise<Receiver> {
  const child = new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  let port: number | undefined;
  while (port === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${command} exited before listening:\n${output}`);
    output += value;
    const match = portPattern.exec(output);
    if (match) port = Number(match[1]);
  }
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}/v1/logs`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

async function send(url: string, body: Uint8Array): Promise<number | undefined> {
  const start = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body: body as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "application/x-protobuf" },
  });
  await response.arrayBuffer();
  return response.status === 200 ? performance.now() - start : undefined;
}

async function closedLoop(url: string, body: Uint8Array, concurrency: number, ms: number) {
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const latency = await send(url, body);
      if (latency !== undefined) latencies.push(latency);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    p50: at(0.5),
    p99: at(0.99),
  };
}

async function measure(
  name: string,
  receiver: Receiver,
  body: Uint8Array,
  recordsPerRequest: number,
  seconds: number,
): Promise<ReceiverFigures> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = procStats(receiver.pid);
  await closedLoop(receiver.url, body, 4, 1000); // warm up
  const one = await closedLoop(receiver.url, body, 1, seconds * 1000);
  const before = procStats(receiver.pid);
  const sixteen = await closedLoop(receiver.url, body, 16, seconds * 1000);
  const after = procStats(receiver.pid);
  const records = sixteen.requests * recordsPerRequest;
  await receiver.stop();
  return {
    name,
    recordsPerSecond16: records / sixteen.seconds,
    p50At1: one.p50,
    p99At1: one.p99,
    cpuSecondsPer100k: (after.cpuSeconds - before.cpuSeconds) / records * 100_000,
    idleRssMiB: idle.rssMiB,
    peakRssMiB: after.peakMiB,
  };
}

/** Runs the floor and Beacon's bundled collector, one after the other, and returns the table. */
export async function measureReceiversSideBySide(options: {
  body: Uint8Array;
  recordsPerRequest: number;
  seconds: number;
  bundle: string;
  permissionFlags: readonly string[];
}): Promise<{ figures: ReceiverFigures[]; markdown: string }> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-bench-receivers-" });
  /** Starts a receiver that prints `listening PORT` and measures it alone. */
  const measureFloor = async (name: string, command: string, args: string[]) =>
    await measure(
      name,
      await spawnReceiver(command, args, /listening (\d+)/),
      options.body,
      options.recordsPerRequest,
      options.seconds,
    );
  const nodeFloor = new URL("./floor_server.mjs", import.meta.url).pathname;
  const floorFigures = await measureFloor("floor (Node, append + fdatasync)", "node", [
    nodeFloor,
    join(dir, "floor.bin"),
  ]);
  // The same floor with its write and fdatasync off the event loop's thread (libuv's pool), as
  // Beacon's are (Deno's): not a target, a reading of what that choice costs a receiver.
  const asyncFloorFigures = await measureFloor(
    "floor, write + fdatasync off the event loop",
    "node",
    [nodeFloor, join(dir, "floor-async.bin"), "async"],
  );
  // Deno with Beacon's server and runtime log but no pipeline: the durable path on its own.
  const denoFloorFigures = await measureFloor(
    "Deno, Beacon's server + runtime log, nothing decoded",
    Deno.execPath(),
    [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-net=127.0.0.1",
      "--allow-sys",
      new URL("./deno_floor_server.ts", import.meta.url).pathname,
      dir,
    ],
  );
  const policy = join(dir, "policy.toml");
  await Deno.writeTextFile(
    policy,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n[runtime_log]\npath = "${
      join(dir, "logs", "runtime.jsonl")
    }"\n`,
  );
  // Deno compiles a script the first time it runs and caches the compiled code, and a later run
  // that reads the cache holds less: a service starts from a program that has run before. The
  // collector is warmed by two short runs that answer a few exports each (measured here, idle RSS
  // 1 s after listening: 52.7 MiB on the first run of a fresh bundle, 47.8 on the second, 43.7
  // from the third on). `--help` alone warmed only the code it runs.
  const collectorArgs = [
    "run",
    "--quiet",
    "--no-prompt",
    ...options.permissionFlags,
    options.bundle,
    "collector",
    "run",
    "--policy",
    policy,
  ];
  for (let run = 0; run < 2; run++) {
    const warm = await spawnReceiver(
      Deno.execPath(),
      collectorArgs,
      /listening on http:\/\/127\.0\.0\.1:(\d+)/,
    );
    for (let request = 0; request < 20; request++) await send(warm.url, options.body);
    await warm.stop();
  }
  const beacon = await spawnReceiver(
    Deno.execPath(),
    collectorArgs,
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
  const beaconFigures = await measure(
    "Beacon (bundle, durable)",
    beacon,
    options.body,
    options.recordsPerRequest,
    options.seconds,
  );
  await Deno.remove(dir, { recursive: true });
  const row = (f: ReceiverFigures) =>
    `| ${f.name} | ${Math.round(f.recordsPerSecond16).toLocaleString("en-US")} | ${
      f.p50At1.toFixed(2)
    } / ${f.p99At1.toFixed(2)} | ${f.cpuSecondsPer100k.toFixed(2)} | ${f.idleRssMiB.toFixed(0)} | ${
      f.peakRssMiB.toFixed(0)
    } |`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  const f = floorFigures;
  const b = beaconFigures;
  /** Beacon's figures as ratios to another receiver's. */
  const ratioRow = (label: string, o: ReceiverFigures) =>
    `| ${label} | ${ratio(b.recordsPerSecond16, o.recordsPerSecond16)} | ${
      ratio(b.p50At1, o.p50At1)
    } / ${ratio(b.p99At1, o.p99At1)} | ${ratio(b.cpuSecondsPer100k, o.cpuSecondsPer100k)} | ${
      ratio(b.idleRssMiB, o.idleRssMiB)
    } | ${ratio(b.peakRssMiB, o.peakRssMiB)} |`;
  const markdown = [
    "| receiver | records/s at 16 in flight | p50 / p99 ms at 1 in flight | CPU s per 100k records | idle RSS MiB | peak RSS MiB |",
    "|---|---|---|---|---|---|",
    row(f),
    row(b),
    ratioRow("Beacon / floor", f),
    row(asyncFloorFigures),
    ratioRow("Beacon / that floor", asyncFloorFigures),
    row(denoFloorFigures),
    ratioRow("Beacon / the Deno floor", denoFloorFigures),
    "",
    "Targets (issue 11): records/s >= 0.85x the floor, p99 at 1 in flight <= 1.3x, CPU per 100k " +
    `records <= 0.35 s (Beacon: ${b.cpuSecondsPer100k.toFixed(2)} s), idle RSS <= 45 MB ` +
    `(Beacon: ${b.idleRssMiB.toFixed(0)} MiB), peak RSS <= 100 MB (Beacon: ${
      b.peakRssMiB.toFixed(0)
    } MiB).`,
  ].join("\n");
  return { figures: [f, b, asyncFloorFigures, denoFloorFigures], markdown };
}

if (import.meta.main) {
  const { bundleBeacon, BINARY_PERMISSION_FLAGS } = await import(
    "../tests/support/beacon_bundle.ts"
  );
  const body = await Deno.readFile(
    new URL("../fixtures/codex-0.169/runs/02-http-binary-logs/0072-http-logs.pb", import.meta.url),
  );
  const { markdown } = await measureReceiversSideBySide({
    body,
    recordsPerRequest: 32,
    seconds: Number(Deno.args[0] ?? 5),
    bundle: await bundleBeacon(),
    // BENCH_V8_FLAGS tries other V8 flags than the binary's (for the notes in RESULTS.md).
    permissionFlags: Deno.env.get("BENCH_V8_FLAGS")
      ? [
        ...BINARY_PERMISSION_FLAGS.filter((flag) => !flag.startsWith("--v8-flags=")),
        `--v8-flags=${Deno.env.get("BENCH_V8_FLAGS")}`,
      ]
      : BINARY_PERMISSION_FLAGS,
  });
  console.log(markdown);
}
