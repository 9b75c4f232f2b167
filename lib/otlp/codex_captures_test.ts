/**
 * Decodes every real Codex 0.169.0 capture in fixtures/codex-0.169 and checks the result
 * against what CATALOGUE.md (generated from the same captures by another decoder) says.
 */

import { OTLP_REQUEST_SCHEMAS } from "./otlp_schemas.ts";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { decodeOtlpRequest } from "./decode_otlp_request.ts";
import { flattenLogRecords } from "./flatten_log_records.ts";
import { flattenSpans } from "./flatten_spans.ts";
import { summarizeMetrics } from "./summarize_metrics.ts";
import type { OtlpEncoding, OtlpRequest, OtlpSignal } from "./otlp_signal.ts";

const CAPTURES = new URL("../../fixtures/codex-0.169/", import.meta.url);
const NO_EVENT_NAME = "(no event.name; body=flushing OTEL metrics)";

interface Capture {
  run: string;
  file: string;
  signal: OtlpSignal;
  encoding: OtlpEncoding;
  body: Uint8Array;
}

function readCaptures(): Capture[] {
  const captures: Capture[] = [];
  for (const run of Deno.readDirSync(new URL("runs/", CAPTURES))) {
    for (const entry of Deno.readDirSync(new URL(`runs/${run.name}/`, CAPTURES))) {
      const match = entry.name.match(/^\d+-(?:http|grpc)-(logs|traces|metrics)\.(pb|json)$/);
      if (!match) continue;
      captures.push({
        run: run.name,
        file: entry.name,
        signal: match[1] as OtlpSignal,
        encoding: match[2] === "pb" ? "protobuf" : "json",
        body: Deno.readFileSync(new URL(`runs/${run.name}/${entry.name}`, CAPTURES)),
      });
    }
  }
  return captures.sort((a, b) => a.file.localeCompare(b.file));
}

async function decode(capture: Capture): Promise<OtlpRequest> {
  const meta = JSON.parse(
    Deno.readTextFileSync(
      new URL(`runs/${capture.run}/${capture.file.replace(/\.\w+$/, ".meta.json")}`, CAPTURES),
    ),
  );
  // gRPC captures have no HTTP content type: their .pb is the bare message.
  const contentType = meta.transport === "grpc" ? "application/x-protobuf" : meta.content_type;
  const result = await decodeOtlpRequest(capture.signal, capture.body, {
    contentType,
    contentEncoding: meta.content_encoding,
    maxBytes: 16 << 20,
  });
  assert.ok(result.ok, `${capture.file}: ${!result.ok && result.message}`);
  assert.equal(result.encoding, capture.encoding);
  assert.equal(result.decodedBytes, capture.body.byteLength);
  assert.equal(result.replacedInvalidStrings, 0);
  return result.request;
}

/** The rows of the first Markdown table in the CATALOGUE section titled `title`. */
function catalogueTable(title: string): Record<string, string>[] {
  const catalogue = Deno.readTextFileSync(new URL("CATALOGUE.md", CAPTURES));
  const section = catalogue.split("\n## ").find((part) => part.startsWith(title));
  assert.ok(section, `CATALOGUE.md has a section "${title}"`);
  const rows = section.split("\n").filter((line) => line.startsWith("|"))
    .map((line) => line.slice(1, -1).split("|").map((cell) => cell.trim()));
  const [header, , ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]])));
}

const captures = readCaptures();
const runs = [...new Set(captures.map((capture) => capture.run))];

interface RunTotals {
  logRecords: number;
  spans: number;
  metricStreams: number;
  dataPoints: number;
  eventNames: Map<string, number>;
}

async function totalsOf(run: string): Promise<RunTotals> {
  const totals: RunTotals = {
    logRecords: 0,
    spans: 0,
    metricStreams: 0,
    dataPoints: 0,
    eventNames: new Map(),
  };
  for (const capture of captures.filter((c) => c.run === run)) {
    const request = await decode(capture);
    if (capture.signal === "logs") {
      const records = flattenLogRecords(request as OtlpRequest<"logs">);
      totals.logRecords += records.length;
      for (const record of records) {
        const name = record.attributes["event.name"];
        const key = typeof name === "string" ? name : NO_EVENT_NAME;
        totals.eventNames.set(key, (totals.eventNames.get(key) ?? 0) + 1);
      }
    } else if (capture.signal === "traces") {
      totals.spans += flattenSpans(request as OtlpRequest<"traces">).length;
    } else {
      const metrics = summarizeMetrics(request as OtlpRequest<"metrics">);
      totals.metricStreams += metrics.length;
      totals.dataPoints += metrics.reduce((n, metric) => n + metric.dataPoints.length, 0);
    }
  }
  return totals;
}

Deno.test("every Codex capture decodes: protobuf and JSON, logs, traces and metrics", async () => {
  assert.ok(captures.length >= 20, `${captures.length} captures`);
  assert.deepEqual(new Set(captures.map((c) => c.encoding)), new Set(["protobuf", "json"]));
  for (const capture of captures) await decode(capture);
});

Deno.test("each run's record, span and metric counts match CATALOGUE.md", async () => {
  const volumes = catalogueTable("Per-run volumes");
  for (const run of runs) {
    const row = volumes.find((r) => r.run === run);
    assert.ok(row, `CATALOGUE.md lists ${run}`);
    const totals = await totalsOf(run);
    const [streams, points] = row["metric streams/points"].split("/").map(Number);
    assert.deepEqual(
      {
        logRecords: totals.logRecords,
        spans: totals.spans,
        metricStreams: totals.metricStreams,
        dataPoints: totals.dataPoints,
      },
      {
        logRecords: Number(row["log records"]),
        spans: Number(row["spans"]),
        metricStreams: streams,
        dataPoints: points,
      },
      run,
    );
  }
});

Deno.test("each run's event.name counts match CATALOGUE.md", async () => {
  const table = catalogueTable("Log records per event.name per run");
  const runsWithLogs = runs.filter((run) =>
    captures.some((c) => c.run === run && c.signal === "logs")
  );
  assert.ok(runsWithLogs.length >= 7);
  for (const run of runsWithLogs) {
    const row = table.find((r) => r.run === run);
    assert.ok(row, `CATALOGUE.md counts events of ${run}`);
    const expected = new Map(
      Object.entries(row).filter(([name, count]) => name !== "run" && count !== "")
        .map(([name, count]) => [name, Number(count)]),
    );
    const { eventNames } = await totalsOf(run);
    assert.deepEqual(eventNames, expected, run);
  }
});

Deno.test("Codex log records look as REFERENCE.md describes them", async () => {
  const capture = captures.find((c) => c.file === "0083-http-logs.pb")!;
  const records = flattenLogRecords(await decode(capture) as OtlpRequest<"logs">);
  const prompt = records.find((r) => r.attributes["event.name"] === "codex.user_prompt")!;
  assert.equal(prompt.scope.name, "codex_otel.log_only");
  assert.equal(prompt.timeUnixNano, 0n);
  assert.ok(prompt.observedTimeUnixNano > 1_700_000_000_000_000_000n);
  assert.equal(prompt.body, null);
  assert.match(prompt.eventName, /^event otel\/src\/events\/session_telemetry\.rs:\d+$/);
  assert.match(prompt.traceId, /^[0-9a-f]{32}$/);
  assert.match(prompt.spanId, /^[0-9a-f]{16}$/);
  assert.equal(prompt.resource["service.name"], "codex_exec");
  assert.equal(prompt.attributes["prompt"], "[REDACTED]", "log_user_prompt = false");
  assert.equal(typeof prompt.attributes["conversation.id"], "string");

  // Token usage rides on codex.sse_event records of kind response.completed; numbers arrive
  // as strings or ints.
  const usage = records.filter((r) => "input_token_count" in r.attributes);
  assert.ok(usage.length > 0);
  for (const record of usage) {
    assert.equal(record.attributes["event.name"], "codex.sse_event");
    assert.equal(record.attributes["event.kind"], "response.completed");
    assert.equal(typeof record.attributes["input_token_count"], "string");
    assert.equal(typeof record.attributes["cached_token_count"], "number");
  }
});

Deno.test("metric types, units and temporality match CATALOGUE.md", async () => {
  const table = catalogueTable("Metrics");
  const temporalities: Record<string, string> = { "1": "delta", "2": "cumulative" };
  for (const capture of captures.filter((c) => c.signal === "metrics")) {
    for (const metric of summarizeMetrics(await decode(capture) as OtlpRequest<"metrics">)) {
      const row = table.find((r) => r.metric === metric.name);
      assert.ok(row, `CATALOGUE.md lists ${metric.name}`);
      assert.equal(metric.type, row.type, metric.name);
      assert.equal(metric.unit, row.unit, metric.name);
      assert.equal(metric.temporality, temporalities[row.temporality], metric.name);
      if (metric.type === "sum") assert.equal(String(metric.monotonic), row.monotonic);
    }
  }
});

Deno.test("span events carry the event names CATALOGUE.md lists", async () => {
  const table = catalogueTable("Span events");
  const known = new Set(table.map((row) => row["event.name attr"]));
  let seen = 0;
  for (const capture of captures.filter((c) => c.signal === "traces")) {
    for (const span of flattenSpans(await decode(capture) as OtlpRequest<"traces">)) {
      assert.match(span.traceId, /^[0-9a-f]{32}$/);
      assert.match(span.parentSpanId, /^(?:[0-9a-f]{16})?$/);
      assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
      for (const event of span.events) {
        const name = event.attributes["event.name"];
        if (typeof name !== "string") continue;
        assert.ok(known.has(name), `${name} on ${span.name}`);
        seen++;
      }
    }
  }
  assert.ok(seen > 0);
});

Deno.test("the decoded.json copies decode to the same messages as the raw protobuf", async () => {
  for (const capture of captures.filter((c) => c.encoding === "protobuf")) {
    const dir = new URL(`runs/${capture.run}/`, CAPTURES);
    const stem = capture.file.replace(/\.pb$/, "");
    const names = [`${stem}.decoded.json`, `${stem}.decoded.json.gz`];
    const name = names.find((n) => {
      try {
        return Deno.statSync(new URL(n, dir)).isFile;
      } catch {
        return false;
      }
    });
    if (name === undefined) continue;
    const raw = Deno.readFileSync(new URL(name, dir));
    const json = name.endsWith(".gz") ? gunzipSync(raw) : raw;
    const fromJson = await decodeOtlpRequest(capture.signal, json, {
      contentType: "application/json",
      contentEncoding: null,
      maxBytes: 64 << 20,
    });
    assert.ok(fromJson.ok, `${name}: ${!fromJson.ok && fromJson.message}`);
    const schema = OTLP_REQUEST_SCHEMAS[capture.signal];
    assert.ok(equals(schema, fromJson.request, await decode(capture)), name);
  }
});

Deno.test("the gRPC capture's length-prefixed frame holds the same message as its .pb", () => {
  const dir = new URL("runs/04-grpc-logs/", CAPTURES);
  const frame = Deno.readFileSync(new URL("0074-grpc-logs.grpc", dir));
  assert.equal(frame[0], 0, "not compressed");
  const length = new DataView(frame.buffer, frame.byteOffset + 1, 4).getUint32(0);
  const message = frame.subarray(5, 5 + length);
  assert.deepEqual(message, Deno.readFileSync(new URL("0074-grpc-logs.pb", dir)));
});

Deno.test("decoded captures round-trip through toBinary and fromBinary", async () => {
  for (const capture of captures) {
    const schema = OTLP_REQUEST_SCHEMAS[capture.signal];
    const request = await decode(capture);
    const bytes = toBinary(schema, request);
    assert.ok(equals(schema, fromBinary(schema, bytes), request), capture.file);
    const again = await decodeOtlpRequest(capture.signal, bytes, {
      contentType: "application/x-protobuf",
      contentEncoding: null,
      maxBytes: 16 << 20,
    });
    assert.ok(again.ok && equals(schema, again.request, request), capture.file);
  }
});
