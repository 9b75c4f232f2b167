/**
 * The dashboard at scale: a generated runtime log of N events (default 1,000,000) shaped like
 * the real Codex captures (the fixture log's events, repeated with new session ids, spread over a
 * year, commands varied), indexed from scratch; then the first view and filters and searches
 * through the real HTTP handler. Prints figures; asserts nothing.
 *
 * Usage: deno run --allow-all bench/dashboard_bench.ts [--events N]
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { fixtureEvents } from "../tests/dashboard/support/build_fixture_log.ts";

const COMMANDS = [
  "git status --short",
  "npm test",
  "cargo build --release",
  "ls -la src",
  "rg TODO lib",
  "deno task check",
  "python -m pytest -q",
  "make -j4",
];

/** Writes a log of `events` events to `path`; returns its size in bytes. */
export async function generateDashboardLog(path: string, events: number): Promise<number> {
  const base = await fixtureEvents();
  const start = Date.parse("2025-11-01T00:00:00Z");
  const step = (365 * 86_400_000) / events;
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  let chunk: string[] = [];
  for (let i = 0; i < events; i++) {
    const template = base[i % base.length] as unknown as Record<string, unknown>;
    const round = Math.floor(i / base.length);
    const event: Record<string, unknown> = {
      ...template,
      id: i.toString(16).padStart(32, "0"),
      time: new Date(start + i * step).toISOString(),
      session_id: template.session_id ? `${template.session_id}-${round}` : null,
    };
    if (event.kind === "command_run" && event.command) {
      const text = i % 10_000 === 0 ? `echo needle-${i}` : COMMANDS[i % COMMANDS.length];
      event.command = { mode: "keep", bytes: text.length, text };
    }
    chunk.push(JSON.stringify(event));
    if (chunk.length === 10_000) {
      const data = encoder.encode(chunk.join("\n") + "\n");
      bytes += data.length;
      await file.write(data);
      chunk = [];
    }
  }
  if (chunk.length) {
    const data = encoder.encode(chunk.join("\n") + "\n");
    bytes += data.length;
    await file.write(data);
  }
  file.close();
  return bytes;
}

/** Runs the benchmark; returns the Markdown report. */
export async function measureDashboard(events: number): Promise<string> {
  const MiB = 2 ** 20;
  const dir = await Deno.makeTempDir({ prefix: "beacon-dashboard-bench-" });
  const logPath = join(dir, "runtime.jsonl");
  const generated = performance.now();
  const logBytes = await generateDashboardLog(logPath, events);
  const generateSeconds = (performance.now() - generated) / 1000;

  // The dashboard runs as `beacon dashboard`, in a process of its own, so its memory is its own.
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../main.ts", import.meta.url).pathname,
      "dashboard",
      "--listen",
      "127.0.0.1:0",
      "--log",
      logPath,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/token=\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the dashboard did not start:\n${out}`);
    out += value;
  }
  const url = out.match(/http:\/\/\S+token=\S+/)![0];
  const origin = new URL(url).origin;
  const first = await fetch(url, { redirect: "manual" });
  await first.body?.cancel();
  const cookie = first.headers.get("set-cookie")!.split(";")[0];
  const rssOf = async () => {
    const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
    const kib = (name: string) => Number(status.match(new RegExp(`${name}:\\s+(\\d+)`))?.[1] ?? 0);
    return { rss: kib("VmRSS") * 1024, peak: kib("VmHWM") * 1024 };
  };
  while (true) {
    const status = await (await fetch(`${origin}/api/status`, { headers: { cookie } })).json();
    if (!status.indexing && status.rows >= events) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const indexSeconds = (performance.now() - started) / 1000;
  const indexBytes = (await Deno.stat(`${logPath}.index.sqlite`)).size;
  const afterIndex = await rssOf();

  const time = async (path: string) => {
    const t = performance.now();
    const response = await fetch(origin + path, { headers: { cookie } });
    const body = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body}`);
    return { ms: performance.now() - t, body };
  };
  const page = await time("/");
  const overview = await time("/api/overview");
  const firstView = page.ms + overview.ms;
  const monthAgo = Date.parse("2026-10-01T00:00:00Z");
  const rows: [string, string][] = [
    ["overview, last 30 days", `/api/overview?from=${monthAgo}`],
    ["sessions, newest first", "/api/sessions"],
    ["sessions, model filter, sorted by failures", "/api/sessions?model=mock-model&sort=failures"],
    ["sessions, text filter (folder/command)", "/api/sessions?q=needle"],
    ["search a rare command (needle-500000)", "/api/search?q=needle-500000"],
    ["search a common word (echo)", "/api/search?q=echo"],
    [
      "search a common word, last 30 days, commands only",
      `/api/search?q=git&from=${monthAgo}&kind=command_run`,
    ],
    ["search a word that is nowhere", "/api/search?q=zzzznothing"],
    [
      "one session's timeline",
      `/api/sessions/${
        JSON.parse((await time("/api/sessions?limit=1")).body).sessions[0].session_id
      }`,
    ],
  ];
  const results: string[] = [];
  for (const [label, path] of rows) {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push((await time(path)).ms);
    runs.sort((a, b) => a - b);
    results.push(`| ${label} | ${runs[2].toFixed(1)} | ${runs[4].toFixed(1)} |`);
  }
  const afterQueries = await rssOf();
  child.kill("SIGTERM");
  await child.status;
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  await Deno.remove(dir, { recursive: true });

  return `
## Dashboard benchmark

${events.toLocaleString("en-US")} events (${
    (logBytes / MiB).toFixed(0)
  } MiB of JSONL, generated in ${
    generateSeconds.toFixed(1)
  } s) shaped like the real Codex captures, spread over a year; ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}.

- Index from scratch (from starting \`beacon dashboard\` until every line is indexed): ${
    indexSeconds.toFixed(1)
  } s, ${Math.round(events / indexSeconds).toLocaleString("en-US")} events/s; index file ${
    (indexBytes / MiB).toFixed(0)
  } MiB.
- First view after indexing (the page, then the overview's data): ${firstView.toFixed(1)} ms.
- Dashboard RSS (its own process): ${(afterIndex.rss / MiB).toFixed(0)} MiB after indexing, ${
    (afterQueries.rss / MiB).toFixed(0)
  } MiB after the queries, peak ${(afterQueries.peak / MiB).toFixed(0)} MiB.

| request (through HTTP) | median ms | max ms (5 runs) |
|---|---|---|
${results.join("\n")}
`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { events: { type: "string", default: "1000000" } },
  });
  console.log(await measureDashboard(Number(values.events)));
}
