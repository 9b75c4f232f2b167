/**
 * A child process for the crash test: opens the runtime log and appends forever from several
 * concurrent writers, printing each line's id to stdout only after its append resolved. Whatever
 * the parent has read from stdout was acknowledged, so it must survive a SIGKILL.
 *
 * Usage: deno run --allow-read --allow-write runtime_log_writer.ts PATH WRITERS MAX_BYTES ARCHIVES RUN
 * (RUN prefixes every id, so the ids of several runs on one log are distinct)
 *
 * @module
 */

import { openRuntimeLog } from "../../../lib/runtime_log/open_runtime_log.ts";

const [path, writers, maxBytes, archives, run] = Deno.args;
const log = await openRuntimeLog({
  path,
  maxBytes: Number(maxBytes),
  archives: Number(archives),
});
const encoder = new TextEncoder();

/** Prints synchronously and completely, so a printed id is never ahead of its append. */
function print(text: string): void {
  const bytes = encoder.encode(text);
  for (let offset = 0; offset < bytes.length;) {
    offset += Deno.stdout.writeSync(bytes.subarray(offset));
  }
}

print(`open ${JSON.stringify(log.repair)}\n`);

async function write(writer: number): Promise<never> {
  for (let seq = 0;; seq++) {
    // 1 to 3 lines per append, some of them a few KiB, so kills land mid-write too.
    const count = 1 + (seq % 3);
    const entries = Array.from({ length: count }, (_, part) => ({
      id: `${run}-w${writer}-${seq}-${part}`,
      writer,
      seq,
      part,
      pad: "x".repeat((seq * 7919 + part * 104729) % (seq % 5 === 0 ? 6000 : 200)),
    }));
    await log.append(entries);
    print(entries.map((entry) => `ack ${entry.id}\n`).join(""));
  }
}

await Promise.all(Array.from({ length: Number(writers) }, (_, writer) => write(writer)));
