/**
 * Starts `grpc_listener_child.ts` in its own Deno process, so a test can watch a listener that
 * may abort the whole process.
 *
 * @module
 */

const CHILD = new URL("./grpc_listener_child.ts", import.meta.url);
const CONFIG = new URL("../../../deno.json", import.meta.url);

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

/** A running listener child. */
export interface GrpcListenerChild {
  port: number;
  /** Settles when the child exits, for whatever reason. */
  status: Promise<Deno.CommandStatus>;
  /** True once the child has exited. */
  exited(): boolean;
  /** Everything the child wrote to stderr (complete once it exited). */
  stderr(): Promise<string>;
  /** SIGTERM, then the exit status and the summary the child printed. */
  terminate(): Promise<{ status: Deno.CommandStatus; summary: ChildSummary | undefined }>;
  /** SIGKILL, for cleanup after a failed assertion. */
  kill(): void;
}

/**
 * Spawns the child and resolves once it listens: the listener with its defaults, with another
 * `maxStreamsPerSession` (`Infinity` turns the stream cap off), or `"unguarded"`: a plain
 * `node:http2` server without either crash guard.
 */
export async function spawnGrpcListenerChild(
  mode: { maxStreamsPerSession?: number } | "unguarded" = {},
): Promise<GrpcListenerChild> {
  const modeArgs = mode === "unguarded"
    ? ["--unguarded"]
    : mode.maxStreamsPerSession === undefined
    ? []
    : [`--max-streams-per-session=${mode.maxStreamsPerSession}`];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${CONFIG.pathname}`,
      "--allow-net=127.0.0.1",
      CHILD.pathname,
      ...modeArgs,
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
  const { port } = JSON.parse(first.value) as { port: number };
  const rest = (async () => {
    const out: string[] = [];
    for await (const line of lines) out.push(line);
    return out;
  })();
  return {
    port,
    status,
    exited: () => exited,
    stderr: () => stderr,
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

async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  // A TextDecoder rather than pipeThrough(new TextDecoderStream()): the latter's types disagree
  // with ReadableStream<Uint8Array> when @types/node is in the graph (deno check on a clean clone).
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    yield* lines;
  }
  if (pending) yield pending;
}
