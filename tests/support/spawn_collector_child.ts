/**
 * Starts `collector_child.ts`: a test collector with OTLP/HTTP and OTLP/gRPC listeners in its own
 * Deno process, writing a real runtime log in a temporary folder. An nghttp2 abort
 * (denoland/deno#36788) then ends that process, not the test run, and {@linkcode
 * CollectorChild.diagnosis} says so.
 *
 * @module
 */
import { join } from "node:path";
import { parseBeaconEvents } from "./beacon_event_schema.ts";
import { readLines } from "./read_lines.ts";

const CHILD = new URL("./collector_child.ts", import.meta.url);
const CONFIG = new URL("../../deno.json", import.meta.url);

/** A running collector child and where it writes. */
export interface CollectorChild extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` of the HTTP/1.1 listener. */
  url: string;
  /** The OTLP/gRPC port. */
  grpcPort: number;
  logPath: string;
  /** What the collector reported through `onError` so far. */
  errors: string[];
  /** The runtime log's lines, parsed. */
  events(): Promise<Record<string, unknown>[]>;
  /**
   * "" while the child runs; once it has exited on its own, how (exit code or signal) and its
   * stderr: put it in assertion messages, so a dead collector is named as such.
   */
  diagnosis(): Promise<string>;
}

/** Spawns the child and resolves once it listens. `policyText` is a policy file's TOML. */
export async function spawnCollectorChild(
  options: { policyText?: string; /** A fixed clock (events' `received_at`). */ now?: Date } = {},
): Promise<CollectorChild> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-collector-child-" });
  const logPath = join(dir, "runtime.jsonl");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${CONFIG.pathname}`,
      "--allow-net=127.0.0.1",
      "--allow-read",
      `--allow-write=${dir}`,
      "--allow-env",
      "--allow-sys",
      CHILD.pathname,
      `--log=${logPath}`,
      `--policy=${options.policyText ?? "version = 1\n"}`,
      ...(options.now ? [`--now=${options.now.toISOString()}`] : []),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let exitedOnItsOwn: Deno.CommandStatus | undefined;
  let terminating = false;
  const status = child.status.then((status) => {
    if (!terminating) exitedOnItsOwn = status;
    return status;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await lines.next();
  if (first.done) {
    const final = await status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw new Error(
      `the collector child exited (${describeStatus(final)}) before listening:\n${await stderr}`,
    );
  }
  const ports = JSON.parse(first.value) as { http: number; grpc: number };
  const errors: string[] = [];
  const rest = (async () => {
    for await (const line of lines) {
      const message = JSON.parse(line) as { error?: string };
      if (message.error !== undefined) errors.push(message.error);
    }
  })();
  return {
    url: `http://127.0.0.1:${ports.http}`,
    grpcPort: ports.grpc,
    logPath,
    errors,
    async events() {
      const text = await Deno.readTextFile(logPath).catch(() => "");
      return parseBeaconEvents(text, logPath);
    },
    async diagnosis() {
      if (!exitedOnItsOwn) return "";
      return `the collector child died (${describeStatus(exitedOnItsOwn)}):\n${await stderr}`;
    },
    async [Symbol.asyncDispose]() {
      try {
        if (!exitedOnItsOwn) {
          terminating = true;
          try {
            child.kill("SIGTERM");
          } catch {
            // it has just exited; its status says how
          }
        }
        const final = await status;
        await rest;
        if (!final.success) {
          throw new Error(
            `the collector child ended with ${describeStatus(final)}:\n${await stderr}`,
          );
        }
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    },
  };
}

function describeStatus(status: Deno.CommandStatus): string {
  return status.signal ? `signal ${status.signal}, exit ${status.code}` : `exit ${status.code}`;
}
