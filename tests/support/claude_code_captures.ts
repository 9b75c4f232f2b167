/**
 * The real Claude Code 2.1.328 captures in `fixtures/claude-code-2.1.328/captures/`, decoded
 * with Beacon's own OTLP decoder, for classification tests.
 *
 * @module
 */
import * as v from "valibot";
import { decodeOtlpRequest } from "../../lib/otlp/decode_otlp_request.ts";
import { type FlatLogRecord, flattenLogRecords } from "../../lib/otlp/flatten_log_records.ts";
import type { OtlpRequest, OtlpSignal } from "../../lib/otlp/otlp_signal.ts";
import { type Policy, PolicySchema } from "../../lib/policy/policy_schema.ts";
import type { BeaconEvent } from "../../lib/events/beacon_event.ts";
import { classifyClaudeCodeExport } from "../../lib/harness/claude_code/classify_claude_code_telemetry.ts";

/** The folder of the captures. */
export const CLAUDE_CODE_CAPTURES = new URL(
  "../../fixtures/claude-code-2.1.328/captures/",
  import.meta.url,
);

/** One decoded Export request of a real Claude Code capture. */
export interface ClaudeCodeCapture {
  run: string;
  file: string;
  signal: OtlpSignal;
  request: OtlpRequest;
}

let captures: Promise<ClaudeCodeCapture[]> | undefined;

/** Every capture, decoded, in run and file order (read once). */
export function readClaudeCodeCaptures(): Promise<ClaudeCodeCapture[]> {
  captures ??= decodeAll();
  return captures;
}

async function decodeAll(): Promise<ClaudeCodeCapture[]> {
  const found: ClaudeCodeCapture[] = [];
  for (const run of Deno.readDirSync(CLAUDE_CODE_CAPTURES)) {
    const folder = new URL(`${run.name}/otlp/`, CLAUDE_CODE_CAPTURES);
    for (const entry of Deno.readDirSync(folder)) {
      const match = entry.name.match(/^\d+-(logs|traces|metrics)\.(pb|json)$/);
      if (!match) continue;
      const signal = match[1] as OtlpSignal;
      const result = await decodeOtlpRequest(
        signal,
        Deno.readFileSync(new URL(entry.name, folder)),
        {
          // gRPC bodies were saved without their 5-byte frame: plain protobuf.
          contentType: match[2] === "json" ? "application/json" : "application/x-protobuf",
          contentEncoding: null,
          maxBytes: 64 << 20,
        },
      );
      if (!result.ok) throw new Error(`${run.name}/${entry.name}: ${result.message}`);
      found.push({ run: run.name, file: entry.name, signal, request: result.request });
    }
  }
  return found.sort((a, b) => `${a.run}/${a.file}`.localeCompare(`${b.run}/${b.file}`));
}

/** The names of the runs. */
export async function claudeCodeRuns(): Promise<string[]> {
  return [...new Set((await readClaudeCodeCaptures()).map((capture) => capture.run))].sort();
}

/** The run whose folder name starts with `prefix` followed by `-` (e.g. `run1`). */
export async function claudeCodeRun(prefix: string): Promise<string> {
  const run = (await claudeCodeRuns()).find((name) => name.startsWith(`${prefix}-`));
  if (!run) throw new Error(`no capture ${prefix}-* in ${CLAUDE_CODE_CAPTURES}`);
  return run;
}

/** Every flattened log record of a run. */
export async function claudeCodeRunLogRecords(run: string): Promise<FlatLogRecord[]> {
  return (await readClaudeCodeCaptures()).filter((c) => c.run === run && c.signal === "logs")
    .flatMap((c) => flattenLogRecords(c.request as OtlpRequest<"logs">));
}

/** The events of a run's captures of `signals` under `policy`. */
export async function classifyClaudeCodeRun(
  run: string,
  policy: Policy,
  signals: readonly OtlpSignal[] = ["logs"],
): Promise<BeaconEvent[]> {
  const receivedAt = new Date("2030-01-01T00:00:00Z");
  return (await readClaudeCodeCaptures()).filter((c) => c.run === run && signals.includes(c.signal))
    .flatMap((c) => classifyClaudeCodeExport(c.signal, c.request, { policy, receivedAt }).events);
}

/** A policy from a partial policy object, defaults filled in. */
export function claudeCodePolicy(input: unknown = {}): Policy {
  return v.parse(PolicySchema, input);
}
