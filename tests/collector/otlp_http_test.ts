/**
 * The collector's HTTP/1.1 listener on the wire: OTLP/HTTP per the specification (statuses,
 * encodings, error bodies), the token, `/healthz`, and a bad-input corpus after which the
 * collector is still up and what it acknowledged before is intact.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "../../lib/otlp/gen/google/rpc/status_pb.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { capturedBodies, codexLogsBody } from "../support/codex_payloads.ts";
import { parseBeaconEvents } from "../support/beacon_event_schema.ts";

const PROTOBUF = "application/x-protobuf";

async function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string> = { "content-type": PROTOBUF },
) {
  const response = await fetch(url, {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

function rpcStatus(response: { headers: Headers; body: Uint8Array }) {
  const type = response.headers.get("content-type") ?? "";
  return type.includes("json")
    ? JSON.parse(new TextDecoder().decode(response.body))
    : fromBinary(StatusSchema, response.body);
}

Deno.test("real Codex captures: protobuf and JSON bodies are acknowledged in their encoding", async () => {
  await using c = await startInProcessCollector();
  const [protobuf] = capturedBodies("02-http-binary-logs");
  const ok = await post(`${c.url}/v1/logs`, protobuf.body, {
    "content-type": protobuf.contentType,
  });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get("content-type"), PROTOBUF);
  assert.equal(ok.body.length, 0, "an empty ExportLogsServiceResponse");

  const [json] = capturedBodies("03-http-json-logs");
  const okJson = await post(`${c.url}/v1/logs`, json.body, { "content-type": json.contentType });
  assert.equal(okJson.status, 200);
  assert.equal(okJson.headers.get("content-type"), "application/json");
  assert.deepEqual(JSON.parse(new TextDecoder().decode(okJson.body)), {});

  const gzip = await post(`${c.url}/v1/logs`, gzipSync(protobuf.body), {
    "content-type": PROTOBUF,
    "content-encoding": "gzip",
  });
  assert.equal(gzip.status, 200);

  const events = await c.events();
  const kinds = new Set(events.map((event) => event.kind));
  for (const kind of ["session_start", "prompt", "token_usage"]) assert.ok(kinds.has(kind), kind);
  assert.equal(events.filter((e) => e.kind === "session_start").length, 3, "one per request");
});

Deno.test("wire errors: 404, 405, 413, 415, 400 with google.rpc.Status bodies", async () => {
  await using c = await startInProcessCollector({
    policyText: "version = 1\n[collector]\nmax_request_bytes = 65536\n",
  });
  const notFound = await fetch(`${c.url}/v1/nothing`, { method: "POST", body: "x" });
  assert.equal(notFound.status, 404);
  await notFound.body?.cancel();

  const get = await fetch(`${c.url}/v1/logs`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  await get.body?.cancel();

  const tooBig = await post(`${c.url}/v1/logs`, new Uint8Array(70_000));
  assert.equal(tooBig.status, 413);

  // A gzip bomb: 64 KiB compressed, 64 MiB inflated; refused once 64 KiB are inflated.
  const bomb = gzipSync(new Uint8Array(64 << 20));
  assert.ok(bomb.length < 65536);
  const bombed = await post(`${c.url}/v1/logs`, bomb, {
    "content-type": PROTOBUF,
    "content-encoding": "gzip",
  });
  assert.equal(bombed.status, 413);
  assert.equal(rpcStatus(bombed).code, 8);

  const wrongType = await post(`${c.url}/v1/logs`, "hello", { "content-type": "text/plain" });
  assert.equal(wrongType.status, 415);

  const wrongEncoding = await post(`${c.url}/v1/logs`, "x", {
    "content-type": PROTOBUF,
    "content-encoding": "br-but-not-really",
  });
  assert.equal(wrongEncoding.status, 415);

  const corrupt = await post(`${c.url}/v1/logs`, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]));
  assert.equal(corrupt.status, 400);
  const status = rpcStatus(corrupt);
  assert.equal(status.code, 3);
  assert.match(status.message, /.+/);

  const badJson = await post(`${c.url}/v1/logs`, '{"resourceLogs": [', {
    "content-type": "application/json",
  });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.headers.get("content-type"), "application/json");
  assert.equal(rpcStatus(badJson).code, 3);
  assert.deepEqual(await c.events(), [], "nothing was written");
});

Deno.test("OTLP/JSON quirks are accepted", async () => {
  await using c = await startInProcessCollector();
  const body = JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "codex_exec" } }] },
      unknownField: { nested: true },
      scopeLogs: [{
        scope: { name: "codex_otel.log_only" },
        logRecords: [{
          timeUnixNano: "0",
          observedTimeUnixNano: 1764072000000000000,
          severityNumber: 9,
          traceId: "5b8efff798038103d269b633813fc60c",
          spanId: "",
          body: null,
          attributes: [
            { key: "event.name", value: { stringValue: "codex.conversation_starts" } },
            { key: "conversation.id", value: { stringValue: "json-quirks-session" } },
            { key: "count", value: { intValue: "42" } },
            { key: "count2", value: { intValue: 43 } },
          ],
        }],
      }],
    }],
  });
  const response = await post(`${c.url}/v1/logs`, body, {
    "content-type": "application/json; charset=utf-8",
  });
  assert.equal(response.status, 200, new TextDecoder().decode(response.body));
  const events = await c.events();
  assert.equal(events.length, 1);
  assert.equal(events[0].session_id, "json-quirks-session");
  assert.equal(events[0].kind, "session_start");
});

Deno.test("with a token: 401 without it or with a wrong one, nothing written; 200 with it", async () => {
  const token = "collector-token-0123456789";
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[collector]\ntoken = "${token}"\n`,
  });
  const body = codexLogsBody("token-session");
  const missing = await post(`${c.url}/v1/logs`, body);
  assert.equal(missing.status, 401);
  assert.equal(rpcStatus(missing).code, 16);
  const wrong = await post(`${c.url}/v1/logs`, body, {
    "content-type": PROTOBUF,
    authorization: "Bearer collector-token-0123456780",
  });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await c.events(), []);
  const right = await post(`${c.url}/v1/logs`, body, {
    "content-type": PROTOBUF,
    authorization: `Bearer ${token}`,
  });
  assert.equal(right.status, 200);
  assert.ok((await c.events()).length > 0);
});

Deno.test("/healthz identifies the collector and counts what it wrote", async () => {
  await using c = await startInProcessCollector();
  await post(`${c.url}/v1/logs`, codexLogsBody("health-session", 4));
  const response = await fetch(`${c.url}/healthz`);
  assert.equal(response.status, 200);
  const health = await response.json();
  assert.equal(health.service, "beacon-collector");
  assert.equal(health.status, "ok");
  assert.equal(health.pid, Deno.pid);
  assert.equal(health.mode, "user");
  assert.equal(health.runtime_log.path, c.logPath);
  assert.equal(health.listen.http, `127.0.0.1:${c.collector.http.port}`);
  assert.equal(health.token_required, false);
  assert.equal(health.counters.requests.logs, 1);
  assert.equal(health.counters.eventsWritten, (await c.events()).length);
  assert.ok(Date.parse(health.started_at) <= Date.now());
});

Deno.test("bad-input corpus: right statuses, the collector stays up, earlier data intact", async () => {
  await using c = await startInProcessCollector({
    policyText: "version = 1\n[collector]\nmax_request_bytes = 1048576\n",
  });
  assert.equal((await post(`${c.url}/v1/logs`, codexLogsBody("before-corpus", 5))).status, 200);
  const before = await Deno.readTextFile(c.logPath);

  const valid = codexLogsBody("corpus", 3);
  const deepJson = "[".repeat(100_000) + "]".repeat(100_000);
  const deepAnyValue = (depth: number): unknown =>
    depth === 0
      ? { stringValue: "x" }
      : { kvlistValue: { values: [{ key: "k", value: deepAnyValue(depth - 1) }] } };
  const corpus: Array<[string, Uint8Array | string, Record<string, string>, number]> = [
    ["empty protobuf (a valid empty request)", new Uint8Array(), { "content-type": PROTOBUF }, 200],
    ["empty JSON object", "{}", { "content-type": "application/json" }, 200],
    ["empty JSON body", "", { "content-type": "application/json" }, 400],
    ["truncated protobuf", valid.slice(0, valid.length - 7), { "content-type": PROTOBUF }, 400],
    [
      "random bytes",
      crypto.getRandomValues(new Uint8Array(4096)),
      { "content-type": PROTOBUF },
      400,
    ],
    ["no content type", valid, {}, 415],
    ["gzip header lies", valid, { "content-type": PROTOBUF, "content-encoding": "gzip" }, 400],
    ["truncated gzip", gzipSync(valid).slice(0, 20), {
      "content-type": PROTOBUF,
      "content-encoding": "gzip",
    }, 400],
    ["invalid UTF-8 JSON", new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), {
      "content-type": "application/json",
    }, 400],
    ["100k-deep JSON", deepJson, { "content-type": "application/json" }, 400],
    [
      "deep AnyValue nesting",
      JSON.stringify({
        resourceLogs: [{
          scopeLogs: [{
            logRecords: [{ attributes: [{ key: "deep", value: deepAnyValue(200) }] }],
          }],
        }],
      }),
      { "content-type": "application/json" },
      400,
    ],
    ["JSON array instead of object", "[]", { "content-type": "application/json" }, 400],
    ["XML", "<logs/>", { "content-type": "application/xml" }, 415],
  ];
  for (const [name, body, headers, status] of corpus) {
    const response = await post(`${c.url}/v1/logs`, body, headers);
    assert.equal(
      response.status,
      status,
      `${name}: ${new TextDecoder().decode(response.body).slice(0, 200)}`,
    );
  }
  for (const signal of ["traces", "metrics"]) {
    const response = await post(`${c.url}/v1/${signal}`, new Uint8Array([0x0a, 0x05, 1]));
    assert.equal(response.status, 400, signal);
  }
  const health = await fetch(`${c.url}/healthz`);
  assert.equal(health.status, 200, "still up");
  await health.body?.cancel();
  const after = await Deno.readTextFile(c.logPath);
  assert.ok(after.startsWith(before), "earlier events are intact");
  parseBeaconEvents(after, c.logPath);
  assert.deepEqual(c.errors, [], "no internal errors");
});
