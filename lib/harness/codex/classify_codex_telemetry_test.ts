import assert from "node:assert/strict";
import type { MetricEvent, SpanEvent } from "../../events/beacon_event.ts";
import { classifyCodexExport } from "./classify_codex_telemetry.ts";
import {
  allStrings,
  assertValidBeaconEvent,
  classifyCodexRun,
  policyOf,
  readCodexCaptures,
} from "./classify_test_fixtures.ts";

const RUN = "06-http-binary-all-prompt-false";
const WITH_SPANS_AND_METRICS = policyOf({
  harnesses: { codex: { include_spans: true, include_metrics: true } },
});

Deno.test("classifyCodexExport: spans and metrics only when the policy includes them", async () => {
  const captures = (await readCodexCaptures()).filter((c) => c.run === RUN);
  const context = { policy: policyOf(), receivedAt: new Date(0) };
  for (const capture of captures) {
    const out = classifyCodexExport(capture.signal, capture.request, context);
    if (capture.signal === "logs") {
      assert.ok(out.events.length > 0);
      assert.equal(out.events.length + out.dropped, 32, "every record is counted");
    } else {
      assert.deepEqual(out.events, [], capture.file);
      assert.ok(out.dropped > 0, capture.file);
    }
  }
  const spans = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["traces"]);
  const metrics = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["metrics"]);
  assert.equal(spans.length, 589, "CATALOGUE.md: 589 spans");
  assert.equal(metrics.length, 58, "CATALOGUE.md: 58 metric streams");
  const onlySpans = policyOf({ harnesses: { codex: { include_spans: true } } });
  assert.equal((await classifyCodexRun(RUN, onlySpans, ["metrics"])).length, 0);
});

Deno.test("span events: compact, timed, joined to the session, ids stable and unique", async () => {
  const spans = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["traces"]) as SpanEvent[];
  const again = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["traces"], new Date());
  assert.deepEqual(spans.map((e) => e.id), again.map((e) => e.id));
  assert.equal(new Set(spans.map((e) => e.id)).size, spans.length);
  for (const event of spans) {
    assertValidBeaconEvent(event);
    assert.equal(event.kind, "span");
    assert.equal(event.source_event, event.span.name);
    assert.equal(event.harness_version, "0.169.0");
    assert.ok(event.span.duration_ms >= 0);
    assert.equal(
      event.time,
      new Date(Number(BigInt(event.span.start_time_unix_nano) / 1_000_000n)).toISOString(),
    );
    assert.equal("resource" in event.span, false);
  }
  assert.ok(
    spans.some((e) => e.session_id !== null),
    "spans with conversation.id carry the session",
  );
  const sampling = spans.find((e) => e.span.name === "run_sampling_request");
  assert.equal(sampling?.span.content?.cwd.mode, "redact");
  assert.equal(sampling?.span.attributes["cwd"], undefined);
});

Deno.test("metric events: data points with typed values, validated", async () => {
  const metrics = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["metrics"]) as MetricEvent[];
  for (const event of metrics) {
    assertValidBeaconEvent(event);
    assert.equal(event.session_id, null);
    assert.ok(event.metric.data_points.length > 0);
  }
  const calls = metrics.find((e) => e.metric.name === "codex.tool.call");
  assert.equal(calls?.metric.metric_type, "sum");
  assert.equal(calls?.metric.temporality, "delta");
  assert.equal(typeof calls?.metric.data_points[0].value, "number");
  assert.equal(new Set(metrics.map((e) => e.id)).size, metrics.length);
});

Deno.test("raw spans under a drop policy hold no path Codex sent; under redact they do", async () => {
  const policy = policyOf({
    harnesses: { codex: { include_spans: true } },
    content: {
      prompt: "drop",
      tool_arguments: "drop",
      tool_output: "drop",
      agent_response: "drop",
      identity: "drop",
    },
  });
  const events = await classifyCodexRun(RUN, policy, ["traces"]);
  assert.ok(!events.some((event) => allStrings(event).some((text) => text.includes("/home/dev"))));
  const redacted = await classifyCodexRun(RUN, WITH_SPANS_AND_METRICS, ["traces"]);
  assert.ok(redacted.some((event) => allStrings(event).some((text) => text.includes("/home/dev"))));
});
