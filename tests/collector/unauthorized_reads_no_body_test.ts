/**
 * README: "401 missing or wrong token (when the policy sets collector.token; nothing is read or
 * written)". The request's head declares a body that is never sent: a collector that checks the
 * token first answers 401 at once and closes the connection; one that reads the body first
 * would wait for bytes that never come.
 */
import assert from "node:assert/strict";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { openRawHttpRequest, type RawHttpOutcome } from "../support/raw_http_request.ts";

const TOKEN = "collector-token-0123456789";

/** How long to wait for an answer before calling it a wait for the body (a guard, not a timing). */
const GUARD_MS = 15_000;

async function outcomeOrGuard(outcome: Promise<RawHttpOutcome>): Promise<RawHttpOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error("no answer while the body is unsent: the body is read first")),
      GUARD_MS,
    );
  });
  try {
    return await Promise.race([outcome, guard]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("a 401 is answered before any of the body is read, and the connection closed", async () => {
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[collector]\ntoken = "${TOKEN}"\n`,
  });
  const port = Number(new URL(c.url).port);
  const cases: Array<[string, string, string | undefined]> = [
    ["/v1/logs", "application/x-protobuf", undefined],
    ["/v1/traces", "application/json", undefined],
    ["/v1/metrics", "application/x-protobuf", "Bearer collector-token-0123456780"],
    ["/v1/logs", "application/json", `Bearer ${TOKEN.toUpperCase()}`],
  ];
  for (const [path, contentType, authorization] of cases) {
    const request = await openRawHttpRequest({
      port,
      path,
      contentType,
      contentLength: 512 * 1024,
      awaitContinue: false,
      headers: authorization ? { authorization } : {},
    });
    try {
      const outcome = await outcomeOrGuard(request.outcome());
      assert.equal(outcome.kind, "response", `${path}: ${JSON.stringify(outcome)}`);
      if (outcome.kind !== "response") continue;
      assert.equal(outcome.status, 401, path);
      assert.equal(outcome.headers["www-authenticate"], 'Bearer realm="beacon"');
      assert.equal(outcome.headers["connection"], "close", "the unread body ends the connection");
      // The collector then closes the connection (nothing more is read from it).
      assert.equal((await outcomeOrGuard(request.outcome())).kind, "no-response");
    } finally {
      request.close();
    }
  }
  assert.deepEqual(await c.events(), [], "nothing written");
  assert.equal(c.collector.health().counters.requests.logs, 0, "nothing decoded");
});
