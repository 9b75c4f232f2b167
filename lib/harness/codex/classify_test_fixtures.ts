/**
 * Test helpers for the Codex classifiers: the real Codex 0.169 captures decoded, policies, and
 * synthetic log records. Not used by Beacon itself.
 *
 * @module
 */
import * as v from "valibot";
import type { BeaconEvent } from "../../events/beacon_event.ts";
import { validateJsonSchema } from "../../events/validate_json_schema.ts";
import { decodeOtlpRequest } from "../../otlp/decode_otlp_request.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import { type FlatLogRecord, flattenLogRecords } from "../../otlp/flatten_log_records.ts";
import type { OtlpRequest, OtlpSignal } from "../../otlp/otlp_signal.ts";
import { type Policy, PolicySchema } from "../../policy/policy_schema.ts";
import { classifyCodexExport } from "./classify_codex_telemetry.ts";

const FIXTURES = new URL("../../../fixtures/codex-0.169/", import.meta.url);

/** One decoded Export request of a real Codex capture. */
export interface CodexCapture {
  run: string;
  file: string;
  signal: OtlpSignal;
  request: OtlpRequest;
}

let captures: Promise<CodexCapture[]> | undefined;

/** Every capture in `fixtures/codex-0.169/runs`, decoded, in file order (read once). */
export function readCodexCaptures(): Promise<CodexCapture[]> {
  captures ??= decodeAll();
  return captures;
}

async function decodeAll(): Promise<CodexCapture[]> {
  const found: CodexCapture[] = [];
  for (const run of Deno.readDirSync(new URL("runs/", FIXTURES))) {
    const folder = new URL(`runs/${run.name}/`, FIXTURES);
    for (const entry of Deno.readDirSync(folder)) {
      const match = entry.name.match(/^\d+-(?:http|grpc)-(logs|traces|metrics)\.(?:pb|json)$/);
      if (!match) continue;
      const signal = match[1] as OtlpSignal;
      const meta = JSON.parse(
        Deno.readTextFileSync(new URL(entry.name.replace(/\.\w+$/, ".meta.json"), folder)),
      );
      const result = await decodeOtlpRequest(
        signal,
        Deno.readFileSync(new URL(entry.name, folder)),
        {
          contentType: meta.transport === "grpc" ? "application/x-protobuf" : meta.content_type,
          contentEncoding: meta.content_encoding ?? null,
          maxBytes: 64 << 20,
        },
      );
      if (!result.ok) throw new Error(`${run.name}/${entry.name}: ${result.message}`);
      found.push({ run: run.name, file: entry.name, signal, request: result.request });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

/** The runs that have log captures. */
export async function codexLogRuns(): Promise<string[]> {
  const all = await readCodexCaptures();
  return [...new Set(all.filter((c) => c.signal === "logs").map((c) => c.run))].sort();
}

/** Every flattened log record of a run. */
export async function codexRunLogRecords(run: string): Promise<FlatLogRecord[]> {
  const all = await readCodexCaptures();
  return all.filter((c) => c.run === run && c.signal === "logs")
    .flatMap((c) => flattenLogRecords(c.request as OtlpRequest<"logs">));
}

/** The events of a run's captures of `signals` under `policy`. */
export async function classifyCodexRun(
  run: string,
  policy: Policy,
  signals: readonly OtlpSignal[] = ["logs"],
  receivedAt = new Date("2030-01-01T00:00:00Z"),
): Promise<BeaconEvent[]> {
  const all = await readCodexCaptures();
  return all.filter((c) => c.run === run && signals.includes(c.signal))
    .flatMap((c) => classifyCodexExport(c.signal, c.request, { policy, receivedAt }).events);
}

/** A policy from a partial policy object, defaults filled in. */
export function policyOf(input: unknown = {}): Policy {
  return v.parse(PolicySchema, input);
}

/** A policy with one rule for every kind of content. */
export function policyWithEveryRule(
  rule: "keep" | "redact" | "hash" | "drop",
  extra: Record<string, unknown> = {},
): Policy {
  return policyOf({
    ...extra,
    content: {
      prompt: rule,
      tool_arguments: rule,
      tool_output: rule,
      agent_response: rule,
      identity: rule,
    },
  });
}

/** A Codex log record with these attributes, as the logs flattener would give it. */
export function codexLogRecord(
  attributes: Record<string, FlatValue>,
  fields: Partial<FlatLogRecord> = {},
): FlatLogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 1795606962500140384n,
    severityNumber: 9,
    severityText: "INFO",
    body: null,
    attributes: {
      "event.timestamp": "2026-11-25T11:42:42.500Z",
      "conversation.id": "01a21283-e0e9-7d02-8429-9284e327769f",
      "app.version": "0.169.0",
      originator: "codex_exec",
      "terminal.type": "xterm",
      model: "mock-model",
      slug: "mock-model",
      ...attributes,
    },
    resource: { env: "dev", "service.version": "0.169.0" },
    scope: { name: "codex_otel.log_only", version: "" },
    traceId: "",
    spanId: "",
    eventName: "",
    ...fields,
  };
}

const SCHEMA = JSON.parse(
  Deno.readTextFileSync(new URL("../../../schemas/beacon-event.v1.schema.json", import.meta.url)),
);

/** Throws with the problems when `event` does not validate against the checked-in schema. */
export function assertValidBeaconEvent(event: unknown): void {
  const problems = validateJsonSchema(SCHEMA, JSON.parse(JSON.stringify(event)));
  if (problems.length > 0) {
    throw new Error(
      `Event does not match schemas/beacon-event.v1.schema.json:\n${
        problems.map((p) => `  ${p.path || "/"}: ${p.message}`).join("\n")
      }\n${JSON.stringify(event)}`,
    );
  }
}

/** Every string in a JSON-like value, object keys included. */
export function allStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [key, ...allStrings(item)]);
  }
  return [];
}
