/**
 * A stand-in for the CLI around the background-process functions, run by the tests as a
 * separate process with the compiled binary's permissions (not `--allow-all`), as
 * `beacon endpoint install|status|uninstall` run in a container:
 *
 *   start SPEC_JSON PID_FILE   starts the collector detached, prints its pid and exits
 *   alive PID                  prints whether PID is a live collector
 *   stop PID_FILE              stops it, prints stopped|killed|not-running
 */
import { startDetached } from "../../../lib/endpoint/service/start_detached.ts";
import { isCollectorAlive } from "../../../lib/endpoint/service/is_collector_alive.ts";
import { stopDetached } from "../../../lib/endpoint/service/stop_detached.ts";
import { SERVICE_SYSTEM as SYSTEM } from "../../support/recording_system.ts";

const [command, ...args] = Deno.args;
switch (command) {
  case "start":
    console.log((await startDetached(JSON.parse(args[0]), args[1], SYSTEM, { settleMs: 200 })).pid);
    break;
  case "alive":
    console.log(await isCollectorAlive(Number(args[0]), SYSTEM.processes));
    break;
  case "stop":
    console.log(await stopDetached(args[0], SYSTEM, { timeoutMs: 10_000 }));
    break;
  default:
    console.error(`unknown command ${command}`);
    Deno.exit(2);
}
