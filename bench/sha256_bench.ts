/**
 * `deno run -A bench/sha256_bench.ts [--calls N]`: nanoseconds per `hashContent` call (Beacon's
 * pure TypeScript SHA-256) against node:crypto (the implementation it replaced: a copied empty
 * context, update, hex digest), on the inputs the collector hashes most: event ids, a JSON array
 * of 100 to 200 bytes. Also prints the pure compression cost per 64-byte block.
 *
 * The two run interleaved, several rounds each, and the median round is reported, so a burst of
 * other work on the machine moves both figures alike.
 */
import { createHash } from "node:crypto";
import { hashContent } from "../lib/content/hash_content.ts";
import { sha256Words } from "../lib/content/sha256_words.ts";

const callsFlag = Deno.args.indexOf("--calls");
const CALLS = callsFlag === -1 ? 200_000 : Number(Deno.args[callsFlag + 1]);
const ROUNDS = 7;

/** Event-id inputs shaped like beaconEventId's: version tag, harness, event, session, times. */
const INPUTS = Array.from({ length: 1024 }, (_, i) =>
  JSON.stringify([
    "beacon-event-id/1",
    "codex",
    i % 3 ? "codex.tool_result" : "codex.user_prompt",
    `0199a3f2-7c1e-7d33-9a8e-${(0x5b2f00000000 + i * 7919).toString(16)}`,
    (1795606962500140384n + BigInt(i) * 1_000_003n).toString(),
    `call_${(i * 104729).toString(36)}`,
    i,
    i % 7 ? "turn.completed" : null,
  ]));

const EMPTY_SHA256 = createHash("sha256");
const candidates: Array<[string, (text: string) => string]> = [
  ["hashContent (pure TypeScript)", hashContent],
  [
    "node:crypto (copied context)",
    (text) => EMPTY_SHA256.copy().update(text, "utf8").digest("hex"),
  ],
];

for (const text of INPUTS) {
  if (candidates[0][1](text) !== candidates[1][1](text)) throw new Error(`differs on ${text}`);
}

const rounds = candidates.map(() => [] as number[]);
let sink = 0;
for (let round = 0; round < ROUNDS; round++) {
  candidates.forEach(([, hash], c) => {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) sink += hash(INPUTS[i & 1023]).charCodeAt(i & 63);
    rounds[c].push(((performance.now() - start) * 1e6) / CALLS);
  });
}

const block = new Uint8Array(64 * 16);
const blockRounds: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  // 1,008 bytes: 15 full blocks and a 48-byte tail padded into one more.
  for (let i = 0; i < CALLS / 16; i++) sink += sha256Words(block, 1008)[0];
  blockRounds.push(((performance.now() - start) * 1e6) / (CALLS / 16) / 16);
}

const lengths = INPUTS.map((text) => new TextEncoder().encode(text).length).sort((a, b) => a - b);
console.log(
  `inputs: ${INPUTS.length} event-id JSON arrays, ${lengths[0]}-${lengths.at(-1)} bytes ` +
    `(median ${lengths[lengths.length >> 1]}); ${CALLS.toLocaleString("en")} calls a round, ` +
    `median of ${ROUNDS} rounds`,
);
candidates.forEach(([name], c) => {
  console.log(`${name.padEnd(32)} ${median(rounds[c]).toFixed(0).padStart(6)} ns per call`);
});
console.log(
  `${"compression alone".padEnd(32)} ${median(blockRounds).toFixed(0).padStart(6)} ns per block`,
);
if (sink === 0.5) console.log(sink);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
