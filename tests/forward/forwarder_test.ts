/**
 * The forwarder against a small OTLP/HTTP mock gateway (Deno.serve) for the answers a real
 * Collector does not give on demand: 429 with Retry-After, 400, partial success; plus content
 * rules per destination and rotation retention, with a real runtime log on disk.
 */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import * as v from "valibot";
import { PolicySchema } from "../../lib/policy/policy_schema.ts";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { createForwarder, type Forwarder } from "../../lib/forward/start_forwarder.ts";
import { forwardCursorPath, readForwardCursor } from "../../lib/forward/forward_cursor.ts";

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A mock gateway answering with `script` in turn (the last answer repeats). */
function mockGateway(script: Answer[]) {
  const requests: Array<{ body: Record<string, unknown>; headers: Headers }> = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (request) => {
    const raw = new Uint8Array(await request.arrayBuffer());
    const body = JSON.parse(new TextDecoder().decode(gunzipSync(raw)));
    requests.push({ body, headers: request.headers });
    const answer = script[Math.min(requests.length - 1, script.length - 1)];
    return new Response(JSON.stringify(answer.body ?? {}), {
      status: answer.status,
      headers: { "content-type": "application/json", ...answer.headers },
    });
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, requests, server };
}

function policyWith(destinations: unknown[], extra: Record<string, unknown> = {}) {
  return v.parse(PolicySchema, { destinations, ...extra });
}

function destination(name: string, url: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    endpoint: url,
    protocol: "http/json",
    batch_delay_ms: 0,
    retry_initial_ms: 1,
    retry_max_ms: 5000,
    ...extra,
  };
}

function event(i: number, prompt?: string) {
  return {
    schema_version: 1,
    id: `id-${String(i).padStart(6, "0")}`,
    time: new Date(Date.UTC(2026, 10, 25, 12, 0, 0, i)).toISOString(),
    harness: "codex",
    harness_version: "0.169.0",
    kind: "prompt",
    session_id: "session-1",
    source_event: "codex.user_prompt",
    prompt: prompt === undefined
      ? { mode: "drop", bytes: 3 }
      : { mode: "keep", bytes: prompt.length, text: prompt },
  };
}

function attributesOf(body: Record<string, unknown>): Array<Record<string, unknown>> {
  // deno-lint-ignore no-explicit-any
  const records = (body as any).resourceLogs.flatMap((r: any) =>
    // deno-lint-ignore no-explicit-any
    r.scopeLogs.flatMap((s: any) => s.logRecords)
  );
  // deno-lint-ignore no-explicit-any
  return records.map((record: any) =>
    Object.fromEntries(
      // deno-lint-ignore no-explicit-any
      record.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]),
    )
  );
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function withForwarder(
  policy: ReturnType<typeof policyWith>,
  body: (context: { forwarder: Forwarder; logPath: string; waits: number[] }) => Promise<void>,
  logOptions: { maxBytes?: number; archives?: number } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "beacon-forward-" });
  const logPath = `${dir}/runtime.jsonl`;
  const waits: number[] = [];
  const forwarder = await createForwarder({
    logPath,
    destinations: policy.destinations,
    forwarding: policy.forwarding,
    archives: logOptions.archives ?? 5,
    resource: { hostName: "test-host", version: "0.0.0-test" },
    pollMs: 10,
    random: () => 1,
    retryWait: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
  const log = await openRuntimeLog({
    path: logPath,
    maxBytes: logOptions.maxBytes,
    archives: logOptions.archives ?? 5,
    retention: forwarder.retention,
  });
  (globalThis as { __log?: unknown }).__log = log;
  try {
    forwarder.start(() => log.stats().bytes);
    await body({ forwarder, logPath, waits });
  } finally {
    await forwarder.stop();
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const currentLog = () => (globalThis as { __log?: { append(e: unknown[]): Promise<void> } }).__log!;

Deno.test("forward: 429 with Retry-After waits as told, then delivers; nothing lost", async () => {
  const gateway = mockGateway([
    { status: 429, headers: { "retry-after": "2" } },
    { status: 503, headers: { "retry-after": "1" } },
    { status: 200 },
  ]);
  try {
    await withForwarder(
      policyWith([destination("gw", gateway.url)]),
      async ({ forwarder, waits }) => {
        await currentLog().append([event(1), event(2), event(3)]);
        await until(() => forwarder.status()[0].delivered === 3, "delivery");
        assert.deepEqual(waits, [2000, 1000]);
        assert.equal(gateway.requests.length, 3);
        const ids = attributesOf(gateway.requests[2].body).map((a) => a["log.record.uid"]);
        assert.deepEqual(ids, ["id-000001", "id-000002", "id-000003"]);
        assert.equal(forwarder.status()[0].retries, 2);
      },
    );
  } finally {
    await gateway.server.shutdown();
  }
});

Deno.test("forward: a 400 is not retried; the batch is counted as rejected and skipped", async () => {
  const gateway = mockGateway([
    { status: 400, body: { code: 3, message: "bad attribute" } },
    { status: 200 },
  ]);
  try {
    await withForwarder(
      policyWith([destination("gw", gateway.url)]),
      async ({ forwarder, waits }) => {
        await currentLog().append([event(1), event(2)]);
        await until(() => forwarder.status()[0].rejected === 2, "the refusal");
        await currentLog().append([event(3)]);
        await until(() => forwarder.status()[0].delivered === 1, "the next batch");
        assert.equal(gateway.requests.length, 2);
        assert.deepEqual(waits, []);
        const status = forwarder.status()[0];
        assert.match(status.last_error!.message, /HTTP 400: bad attribute.*not retried/);
        assert.deepEqual(
          attributesOf(gateway.requests[1].body).map((a) => a["log.record.uid"]),
          ["id-000003"],
        );
      },
    );
  } finally {
    await gateway.server.shutdown();
  }
});

Deno.test("forward: partial success is read, counted and reported", async () => {
  const gateway = mockGateway([{
    status: 200,
    body: { partialSuccess: { rejectedLogRecords: "2", errorMessage: "2 records too large" } },
  }]);
  try {
    await withForwarder(
      policyWith([destination("gw", gateway.url)]),
      async ({ forwarder, logPath }) => {
        await currentLog().append([event(1), event(2), event(3)]);
        await until(() => forwarder.status()[0].partially_rejected === 2, "the partial success");
        const status = forwarder.status()[0];
        assert.equal(status.delivered, 1);
        assert.match(
          status.last_error!.message,
          /rejected 2 of 3 record\(s\): 2 records too large/,
        );
        const cursor = await readForwardCursor(forwardCursorPath(logPath, "gw"));
        assert.equal(cursor!.partially_rejected, 2);
      },
    );
  } finally {
    await gateway.server.shutdown();
  }
});

Deno.test("forward: a metadata-only destination gets no prompt text the local log keeps", async () => {
  const gateway = mockGateway([{ status: 200 }]);
  try {
    const policy = policyWith([
      destination("full", gateway.url),
      destination("meta", `${gateway.url}/meta/v1/logs`, { content: { prompt: "drop" } }),
    ]);
    await withForwarder(policy, async ({ forwarder }) => {
      await currentLog().append([event(1, "deploy with the blue-lagoon key")]);
      await until(() => forwarder.status().every((s) => s.delivered === 1), "both deliveries");
      const byPath = (meta: boolean) =>
        gateway.requests.filter((r) => JSON.stringify(r.body) && meta === isMeta(r));
      const isMeta = (r: { body: unknown }) => !JSON.stringify(r.body).includes("blue-lagoon");
      assert.equal(byPath(true).length, 1);
      assert.equal(byPath(false).length, 1, "the local log (and the full destination) keeps it");
      const [meta] = attributesOf(byPath(true)[0].body);
      assert.equal(meta["prompt.mode"], "drop");
      assert.equal(meta["prompt.bytes"], "31");
      assert.equal(meta["event.name"], "beacon.prompt");
    });
  } finally {
    await gateway.server.shutdown();
  }
});

Deno.test("forward: rotation keeps what a lagging destination needs, then drops and counts", async () => {
  // Nothing listens on port 9: every attempt fails, so the destination never advances.
  const policy = policyWith([destination("down", "http://127.0.0.1:9")], {
    forwarding: { max_undelivered_archives: 3 },
  });
  await withForwarder(policy, async ({ forwarder, logPath }) => {
    const filler = "x".repeat(900);
    for (let i = 0; i < 400; i++) await currentLog().append([event(i, filler)]);
    const archives = [...Deno.readDirSync(logPath.replace(/\/[^/]+$/, ""))]
      .filter((e) => /runtime\.jsonl\.\d+$/.test(e.name)).length;
    // runtime_log.archives = 1 would keep one; the lagging destination holds three more.
    assert.equal(archives, 4);
    await until(() => forwarder.status()[0].dropped > 0, "the drop count");
    const lines = (path: string) => Deno.readTextFileSync(path).split("\n").filter(Boolean).length;
    let kept = lines(logPath);
    for (let n = 1; n <= 4; n++) kept += lines(`${logPath}.${n}`);
    assert.equal(forwarder.status()[0].dropped + kept, 400, "every event kept or counted");
  }, { maxBytes: 64 * 1024, archives: 1 });
});
