import { runCli } from "./lib/cli/run_cli.ts";
import { describeFailure, isDebug } from "./lib/cli/describe_failure.ts";

if (import.meta.main) {
  // A failure outside the command's own await chain (an event handler, a stray promise) is told
  // like any other: one line, its stack only with BEACON_DEBUG=1.
  const crash = (event: Event, error: unknown) => {
    event.preventDefault();
    const failure = describeFailure(error, isDebug(Deno.env.toObject()));
    Deno.stderr.writeSync(new TextEncoder().encode(failure.text));
    Deno.exit(failure.code);
  };
  globalThis.addEventListener("error", (event) => crash(event, event.error));
  globalThis.addEventListener("unhandledrejection", (event) => crash(event, event.reason));
  Deno.exit(await runCli(Deno.args));
}
