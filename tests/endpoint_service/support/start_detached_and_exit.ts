/**
 * A CLI that starts the collector in the background and exits at once, as
 * `beacon endpoint install` does in a container: proves the collector outlives its starter.
 *
 * Usage: deno run --allow-all start_detached_and_exit.ts SPEC_JSON PID_FILE
 * Prints the collector's pid.
 */
import { startDetached } from "../../../lib/endpoint/service/start_detached.ts";

const [specJson, pidFile] = Deno.args;
const { pid } = await startDetached(JSON.parse(specJson), pidFile, { settleMs: 200 });
console.log(pid);
