/**
 * `beacon collector run` as a separate process from the single-file build, with the binary's
 * permission flags: started, read until it listens, then signalled or killed.
 */
import { BINARY_PERMISSION_FLAGS, bundleBeacon } from "./beacon_bundle.ts";

/** A collector process and what it printed. */
export interface CollectorProcess extends AsyncDisposable {
  port: number;
  url: string;
  child: Deno.ChildProcess;
  /** Everything printed so far on stdout and stderr. */
  output(): string;
  /** Resolves once the output matches `pattern`; rejects if the process exits first. */
  waitForOutput(pattern: RegExp): Promise<void>;
  /** Sends a signal and waits for the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/**
 * Starts the collector with `--policy policyPath` (or, without it, the policy Beacon looks up),
 * `args` after `collector run`, and a temporary HOME, and waits until it listens.
 */
export async function startCollectorProcess(
  options: { policyPath?: string; args?: string[]; home: string; env?: Record<string, string> },
): Promise<CollectorProcess> {
  const bundle = await bundleBeacon();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...BINARY_PERMISSION_FLAGS,
      bundle,
      "collector",
      "run",
      ...(options.policyPath ? ["--policy", options.policyPath] : []),
      ...options.args ?? [],
    ],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      NO_COLOR: "1",
      HOME: options.home,
      ...options.env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const listening = Promise.withResolvers<number>();
  const waiters = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) listening.resolve(Number(match[1]));
      for (const waiter of waiters) waiter();
    }
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const waitForOutput = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(output)) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
      pumps.then(() => {
        if (!waiters.has(check)) return;
        waiters.delete(check);
        reject(new Error(`collector ended without printing ${pattern}:\n${output}`));
      });
    });
  child.status.then((status) =>
    listening.reject(new Error(`collector exited (${status.code}) before listening:\n${output}`))
  );
  const port = await listening.promise;
  let status: Promise<Deno.CommandStatus> | undefined;
  const stop = (signal: Deno.Signal = "SIGTERM") => {
    status ??= (async () => {
      try {
        child.kill(signal);
      } catch {
        // already exited
      }
      const result = await child.status;
      await pumps;
      return result;
    })();
    return status;
  };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    waitForOutput,
    stop,
    async [Symbol.asyncDispose]() {
      await stop("SIGKILL");
    },
  };
}
