/**
 * A Deno floor for the collector benchmark (issue 11): Beacon's own HTTP/1.1 server and runtime
 * log, without decoding, classifying or encoding anything. Each request's body is read, then
 * acknowledged with an empty 200 after:
 *
 * - `none`: nothing (what the server itself costs);
 * - `fdatasync`: a write and an fdatasync of the body on the one file handle;
 * - `runtime-log` (default): one 3.6 KB line appended to a runtime log (group commit, rotation
 *   at 10 MiB), as the collector appends a request's events.
 *
 * Usage: deno run -A bench/deno_floor_server.ts FOLDER [none|fdatasync|runtime-log]; prints
 * `listening PORT`, stops on SIGTERM.
 *
 * @module
 */
import { serveHttp1 } from "../lib/http1/serve_http1.ts";
import { openRuntimeLog } from "../lib/runtime_log/open_runtime_log.ts";

const [folder, mode = "runtime-log"] = Deno.args;
if (!folder || !["none", "fdatasync", "runtime-log"].includes(mode)) {
  console.error("usage: deno_floor_server.ts FOLDER [none|fdatasync|runtime-log]");
  Deno.exit(2);
}
// Only what the mode uses is opened.
const file = mode === "fdatasync"
  ? await Deno.open(`${folder}/deno-floor.bin`, { create: true, append: true })
  : undefined;
const log = mode === "runtime-log"
  ? await openRuntimeLog({ path: `${folder}/deno-floor-logs/runtime.jsonl` })
  : undefined;
const line = "x".repeat(3600); // about what one request of the bench's payload gives (6 events)
const server = serveHttp1(
  { hostname: "127.0.0.1", port: 0, maxConnections: 256 },
  async (request) => {
    const read = await request.readBody(16 << 20);
    if (!read.ok) return undefined;
    if (file) {
      await file.write(read.body);
      await file.syncData();
    }
    await log?.append([line]);
    return {
      status: 200,
      headers: { "content-type": "application/x-protobuf" },
      body: new Uint8Array(0),
    };
  },
);
console.log(`listening ${server.port}`);
Deno.addSignalListener("SIGTERM", async () => {
  await server.close();
  await log?.close();
  file?.close();
  Deno.exit(0);
});
