/**
 * One voice for every error body (issue 7 item 12): each refusal is a sentence that starts with
 * a capital letter and says what to do or what was wrong, and the same limit is worded the same
 * way whichever check finds it.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { startInProcessCollector } from "../support/in_process_collector.ts";

async function errorMessage(response: Response): Promise<string> {
  const body = await response.json();
  return body.message;
}

Deno.test("every OTLP/HTTP error body speaks in one voice; both 413 paths say the same", async () => {
  await using c = await startInProcessCollector({
    policyText:
      `version = 1\n[collector]\nmax_request_bytes = 4096\ntoken = "t0ken-0123456789abcdef"\n`,
  });
  const auth = { authorization: "Bearer t0ken-0123456789abcdef" };
  const post = (path: string, body: BodyInit, headers: Record<string, string>) =>
    fetch(`${c.url}${path}`, { method: "POST", body, headers });
  const json = { "content-type": "application/json" };
  const responses = {
    declared: await post("/v1/logs", "x".repeat(5000), { ...json, ...auth }),
    inflated: await post("/v1/logs", new Uint8Array(gzipSync(" ".repeat(10_000))), {
      ...json,
      ...auth,
      "content-encoding": "gzip",
    }),
    token: await post("/v1/logs", "{}", json),
    method: await fetch(`${c.url}/v1/logs`, { headers: { accept: "application/json", ...json } }),
    path: await fetch(`${c.url}/nowhere`),
    decode: await post("/v1/logs", "{nope", { ...json, ...auth }),
  };
  const messages: Record<string, string> = {};
  for (const [name, response] of Object.entries(responses)) {
    messages[name] = await errorMessage(response);
    assert.match(messages[name], /^[A-Z/]/, `${name}: ${messages[name]}`);
  }
  assert.equal(responses.declared.status, 413);
  assert.equal(responses.inflated.status, 413);
  assert.equal(
    messages.inflated.replace(" after decompression", ""),
    messages.declared,
    "one wording for the size limit",
  );
  assert.match(messages.declared, /limit of 4096 bytes .*max_request_bytes.*send smaller batches/);
  assert.equal(responses.method.status, 405);
  assert.equal(responses.path.status, 404);
});
