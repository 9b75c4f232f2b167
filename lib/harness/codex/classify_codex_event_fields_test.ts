/**
 * Issue 7 items 8 and 9: the OTLP `LogRecord.event_name` field names an event when the
 * `event.name` attribute does not (the attribute wins when both are set), and a token count
 * beyond 2^53 - 1 keeps its event, written as a decimal string.
 */
import assert from "node:assert/strict";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import { assertValidBeaconEvent, codexLogRecord, policyOf } from "./classify_test_fixtures.ts";

const context = () => ({ policy: policyOf(), receivedAt: new Date("2026-11-25T12:00:00Z") });

Deno.test("the event_name field names the event when the event.name attribute is absent", () => {
  const viaAttribute = codexLogRecord({ "event.name": "codex.conversation_starts" });
  const viaField = codexLogRecord({}, { eventName: "codex.conversation_starts" });
  const a = classifyCodexLogRecord(viaAttribute, context());
  const b = classifyCodexLogRecord(viaField, context());
  assert.equal(b?.kind, "session_start");
  assert.equal(b?.id, a?.id, "the same event whichever field carries the name");
  assert.equal(b?.source_event, "codex.conversation_starts");
});

Deno.test("the event.name attribute wins over a disagreeing event_name field", () => {
  // Codex 0.169 fills event_name with a source location.
  const record = codexLogRecord(
    { "event.name": "codex.conversation_starts" },
    { eventName: "codex_otel::events::session_telemetry: src/lib.rs:42" },
  );
  assert.equal(classifyCodexLogRecord(record, context())?.kind, "session_start");
  const dropped = codexLogRecord(
    { "event.name": "codex.sse_event", "event.kind": "response.output_text.delta" },
    { eventName: "codex.conversation_starts" },
  );
  assert.equal(classifyCodexLogRecord(dropped, context()), undefined);
});

Deno.test("token counts beyond 2^53 - 1 keep their event, as decimal strings", () => {
  const record = codexLogRecord({
    "event.name": "codex.sse_event",
    "event.kind": "response.completed",
    input_token_count: "18446744073709551615",
    output_token_count: 25,
    cached_token_count: "9007199254740993",
    reasoning_token_count: 1e20,
  });
  const event = classifyCodexLogRecord(record, context()) as Record<string, unknown> | undefined;
  assert.equal(event?.kind, "token_usage");
  assert.equal(event?.input_tokens, "18446744073709551615");
  assert.equal(event?.output_tokens, 25);
  assert.equal(event?.cached_tokens, "9007199254740993");
  assert.equal(event?.reasoning_tokens, "100000000000000000000");
  assertValidBeaconEvent(event);
  const negative = codexLogRecord({
    "event.name": "codex.sse_event",
    "event.kind": "response.completed",
    input_token_count: "-1",
    output_token_count: 25,
  });
  assert.equal(classifyCodexLogRecord(negative, context()), undefined, "not a count");
});
