import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import { PolicySchema } from "../policy/policy_schema.ts";
import { backoffDelay, grpcOutcomeOf, retryAfterMs, sendOutcomeOf } from "./backoff_delay.ts";

const policy = { initialMs: 1000, maxMs: 60_000 };

Deno.test("backoffDelay: doubles per failure from initialMs, capped at maxMs, jitter in [base/2, base]", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1)), [
    1000,
    2000,
    4000,
    8000,
  ]);
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0)), [500, 1000, 2000]);
  assert.equal(backoffDelay(7, policy, () => 1), 60_000);
  assert.equal(backoffDelay(1000, policy, () => 1), 60_000, "a long outage stays at the cap");
});

Deno.test("backoffDelay: any attempt and random draw gives a delay within the base's jitter band", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 1, max: 60_000 }),
      fc.integer({ min: 1, max: 3_600_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (attempt, initialMs, maxMs, draw) => {
        const delay = backoffDelay(attempt, { initialMs, maxMs }, () => draw);
        const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
        assert.ok(Number.isInteger(delay));
        assert.ok(delay >= Math.floor(base / 2) && delay <= Math.ceil(base), `${delay} vs ${base}`);
        // Never shorter than the previous attempt's shortest delay: backoff only grows.
        if (attempt > 1) {
          assert.ok(delay >= backoffDelay(attempt - 1, { initialMs, maxMs }, () => 0) - 1);
        }
      },
    ),
  );
});

Deno.test("backoffDelay: jitter spreads retries (different draws, different delays)", () => {
  const draws = [0, 0.25, 0.5, 0.75, 0.999];
  const delays = new Set(draws.map((d) => backoffDelay(3, policy, () => d)));
  assert.equal(delays.size, draws.length);
});

Deno.test("retryAfterMs: seconds or an HTTP date, capped, never negative; null when absent or unreadable", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  assert.equal(retryAfterMs("2", now, 60_000), 2000);
  assert.equal(retryAfterMs(" 0 ", now, 60_000), 0);
  assert.equal(retryAfterMs("3600", now, 60_000), 60_000, "capped at retry_max_ms");
  assert.equal(retryAfterMs("Wed, 25 Nov 2026 12:00:30 GMT", now, 60_000), 30_000);
  assert.equal(retryAfterMs("Wed, 25 Nov 2026 11:59:00 GMT", now, 60_000), 0, "a past date");
  assert.equal(retryAfterMs(null, now, 60_000), null);
  assert.equal(retryAfterMs("", now, 60_000), null);
  assert.equal(retryAfterMs("soon", now, 60_000), null);
  assert.equal(retryAfterMs("-5", now, 60_000), null);
  assert.equal(retryAfterMs("1.5", now, 60_000), null, "not a number of seconds, not a date");
});

Deno.test("retryAfterMs: any number of seconds is that many ms, within [0, maxMs]", () => {
  fc.assert(
    fc.property(fc.nat({ max: 1e7 }), fc.integer({ min: 1, max: 3_600_000 }), (seconds, maxMs) => {
      assert.equal(
        retryAfterMs(String(seconds), new Date(0), maxMs),
        Math.min(seconds * 1000, maxMs),
      );
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (header) => {
      const ms = retryAfterMs(header, new Date("2026-11-25T12:00:00Z"), 60_000);
      assert.ok(ms === null || (ms >= 0 && ms <= 60_000));
    }),
  );
});

Deno.test("sendOutcomeOf: 2xx delivered; 408, 429 and 5xx retried; other 4xx refused for good", () => {
  assert.equal(sendOutcomeOf(200), "delivered");
  assert.equal(sendOutcomeOf(204), "delivered");
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(sendOutcomeOf(status), "retry");
  for (const status of [400, 401, 403, 404, 405, 413, 415]) {
    assert.equal(sendOutcomeOf(status), "rejected");
  }
});

Deno.test("grpcOutcomeOf: OK delivered; UNAVAILABLE, DEADLINE_EXCEEDED retried; RESOURCE_EXHAUSTED only with RetryInfo", () => {
  assert.equal(grpcOutcomeOf(0, false), "delivered");
  for (const code of [1, 4, 10, 11, 14, 15]) assert.equal(grpcOutcomeOf(code, false), "retry");
  assert.equal(grpcOutcomeOf(8, true), "retry");
  assert.equal(grpcOutcomeOf(8, false), "rejected");
  for (const code of [2, 3, 5, 6, 7, 9, 12, 13, 16]) {
    assert.equal(grpcOutcomeOf(code, true), "rejected", `code ${code}`);
  }
});

Deno.test("the destinations schema: grpc takes http(s)://host:port, without a path", () => {
  const parse = (endpoint: string, protocol = "grpc") =>
    v.safeParse(PolicySchema, { destinations: [{ name: "gw", endpoint, protocol }] });
  assert.ok(parse("http://127.0.0.1:4317").success);
  assert.ok(parse("https://gw.example.com:443/").success);
  const refused = parse("https://gw.example.com:443/v1/logs");
  assert.ok(!refused.success);
  assert.match(
    v.summarize(refused.issues),
    /grpc endpoint .* without a path[\s\S]*destinations\.0\.endpoint/,
  );
  assert.ok(parse("https://gw.example.com/v1/logs", "http/protobuf").success);
  assert.match(
    v.summarize(parse("http://x:1", "thrift").issues!),
    /"http\/protobuf", "http\/json" or "grpc"/,
  );
});
