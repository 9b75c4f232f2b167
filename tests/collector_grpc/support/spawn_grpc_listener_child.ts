/**
 * Starts `grpc_listener_child.ts` in its own Deno process, so a test can watch a listener that
 * may abort the whole process (denoland/deno#36788) without taking the test run with it. What
 * only the child can see (its counters, sessions, `onError` calls, the records it was sent) comes
 * back over the child's control port.
 *
 * @module
 */

import { readLines } from "../../support/read_lines.ts";
const CHILD = new URL("./grpc_listener_child.ts", import.meta.url);
const CONFIG = new URL("../../../deno.json", import.meta.url);

/** What the child's `GET /state` answers. */
export interface ListenerChildState {
  /** Events appended: one per Export request answered. */
  appends: number;
  /** Appends started (with `--hold-appends`, some may still be waiting). */
  appendsStarted: number;
  /** The listener's counters now (`{}` when unguarded). */
  stats: Record<string, number>;
  /** Each `onError` call: the error as text and its errno. */
  errors: { text: string; errno?: number }[];
  /** The signal of each Export request, in order. */
  signals: string[];
  /** Each log record's body, as text, in order. */
  bodies: string[];
  /** Each log record's resource `service.name`, in order. */
  services: string[];
  /** True once `POST /close` has fully closed the listener. */
  closed: boolean;
}

/** What the child prints on SIGTERM, once its listener is closed. */
export interface ChildSummary {
  /** Events its pipeline appended: one per Export request it answered. */
  appends: number;
  /** The listener's counters when it closed. */
  stats: {
    sessions: number;
    streams: number;
    sessionsRecycled: number;
    streamsRefused: number;
    maxStreamsSeen: number;
  };
}

/** How the child's listener is set up (each maps to one of its flags). */
export interface GrpcListenerChildOptions {
  /** `Infinity` turns the stream cap off. */
  maxStreamsPerSession?: number;
  /** A fixed port (default: a free one). */
  port?: number;
  idleTimeoutMs?: number;
  /** Accept only calls with `authorization: Bearer <token>`. */
  token?: string;
  readMaxBytes?: number;
  /** Every append waits for {@linkcode GrpcListenerChild.releaseAppends}. */
  holdAppends?: boolean;
}

/** A running listener child. */
export interface GrpcListenerChild {
  port: number;
  /** Settles when the child exits, for whatever reason. */
  status: Promise<Deno.CommandStatus>;
  /** True once the child has exited. */
  exited(): boolean;
  /** Everything the child wrote to stderr (complete once it exited). */
  stderr(): Promise<string>;
  /** What the listener's process sees now; fails naming the exit if the child is gone. */
  state(): Promise<ListenerChildState>;
  /** Lets held appends (`holdAppends`) finish. */
  releaseAppends(): Promise<void>;
  /** Starts closing the listener in the child; `state().closed` turns true once it is closed. */
  closeListener(): Promise<void>;
  /** SIGTERM, then the exit status and the summary the child printed. */
  terminate(): Promise<{ status: Deno.CommandStatus; summary: ChildSummary | undefined }>;
  /** SIGKILL, for cleanup after a failed assertion. */
  kill(): void;
}

/** The child could not start its listener; `name` and `code` are those of the error it got. */
export class ListenerChildStartError extends Error {
  constructor(readonly errorName: string, readonly code: string | undefined, message: string) {
    super(`the listener child did not start: ${errorName}${code ? ` ${code}` : ""}: ${message}`);
    this.name = "ListenerChildStartError";
  }
}

/**
 * Spawns the child and resolves once it listens: the listener with its defaults, with other
 * options, or `"unguarded"`: a plain `node:http2` server without either crash guard. Rejects
 * with a {@linkcode ListenerChildStartError} when the listener does not start.
 */
export async function spawnGrpcListenerChild(
  mode: GrpcListenerChildOptions | "unguarded" = {},
): Promise<GrpcListenerChild> {
  const options = mode === "unguarded" ? {} : mode;
  const flag = (name: string, value: unknown) =>
    value === undefined || value === false ? [] : value === true ? [name] : [`${name}=${value}`];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${CONFIG.pathname}`,
      "--allow-net=127.0.0.1",
      CHILD.pathname,
      ...flag("--unguarded", mode === "unguarded"),
      ...flag("--max-streams-per-session", options.maxStreamsPerSession),
      ...flag("--port", options.port),
      ...flag("--idle-timeout-ms", options.idleTimeoutMs),
      ...flag("--token", options.token),
      ...flag("--read-max-bytes", options.readMaxBytes),
      ...flag("--hold-appends", options.holdAppends),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let exited = false;
  const status = child.status.then((status) => {
    exited = true;
    return status;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await lines.next();
  if (first.done) {
    await status;
    throw new Error(`the listener child exited before listening:\n${await stderr}`);
  }
  const started = JSON.parse(first.value) as {
    port: number;
    control: number;
    startError?: { name: string; code?: string; message: string };
  };
  if (started.startError) {
    await status;
    const { name, code, message } = started.startError;
    throw new ListenerChildStartError(name, code, message);
  }
  const rest = (async () => {
    const out: string[] = [];
    for await (const line of lines) out.push(line);
    return out;
  })();
  const controlUrl = `http://127.0.0.1:${started.control}`;
  /** A control request; a child that has died is named, with how and its stderr. */
  const control = async (method: string, path: string): Promise<Response> => {
    try {
      const response = await fetch(`${controlUrl}${path}`, { method });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
      return response;
    } catch (error) {
      if (!exited) await Promise.race([status, new Promise((r) => setTimeout(r, 200))]);
      if (!exited) throw error;
      const final = await status;
      throw new Error(
        `the listener child died (exit ${final.code}${
          final.signal ? `, ${final.signal}` : ""
        }):\n${await stderr}`,
      );
    }
  };
  return {
    port: started.port,
    status,
    exited: () => exited,
    stderr: () => stderr,
    state: async () => await (await control("GET", "/state")).json(),
    releaseAppends: async () => void await (await control("POST", "/release")).body?.cancel(),
    closeListener: async () => void await (await control("POST", "/close")).body?.cancel(),
    async terminate() {
      if (!exited) child.kill("SIGTERM");
      const [final, printed] = await Promise.all([status, rest]);
      const summary = printed.length
        ? JSON.parse(printed[printed.length - 1]) as ChildSummary
        : undefined;
      return { status: final, summary };
    },
    kill() {
      if (!exited) child.kill("SIGKILL");
    },
  };
}
