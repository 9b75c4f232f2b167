/**
 * `probeCollector` against real servers: one that mimics the collector's `/healthz` and token
 * check, Beacon's real collector, a closed port, a server answering 404 or HTML, and one that
 * accepts connections but never answers.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { CollectorHealth } from "../../lib/collector/collector_health.ts";
import { probeCollector } from "../../lib/endpoint/probe/probe_collector.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { orGiveUp } from "../support/wait_until.ts";
import { reservePort } from "../support/reserve_port.ts";

const TOKEN = "s3cret-token-0123456789";

function healthDocument(overrides: Partial<CollectorHealth> = {}): CollectorHealth {
  return {
    service: "beacon-collector",
    status: "ok",
    version: "0.1.0",
    pid: 4242,
    mode: "user",
    started_at: "2026-11-25T11:00:00.000Z",
    listen: { http: "127.0.0.1:4318", grpc: null },
    token_required: true,
    runtime_log: {
      path: "/home/ada/.beacon/endpoint/logs/runtime.jsonl",
      bytes: 1234,
      archives: 0,
      last_write_at: null,
      error: null,
    },
    counters: {
      requests: { logs: 0, traces: 0, metrics: 0 },
      eventsWritten: 0,
      recordsDropped: 0,
      recordsFromOtherServices: 0,
      recordsRejected: 0,
      unavailable: 0,
      lastEventAt: null,
    },
    requests: { aborted: 0, failed: 0 },
    ...overrides,
  };
}

interface TestServer extends AsyncDisposable {
  url: string;
  /** The requests received: method, path, authorization header, body length. */
  requests: { method: string; path: string; authorization: string | null; bytes: number }[];
}

/** A Deno.serve server on a free loopback port answering with `handler`. */
function serve(handler: (request: Request) => Response | Promise<Response>): TestServer {
  const requests: TestServer["requests"] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const bytes = (await request.arrayBuffer()).byteLength;
      requests.push({
        method: request.method,
        path: new URL(request.url).pathname,
        authorization: request.headers.get("authorization"),
        bytes,
      });
      return handler(request);
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** A server that behaves like the collector: `/healthz`, and 401 without the right token. */
function fakeCollector(health: CollectorHealth, token?: string): TestServer {
  return serve((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/healthz") {
      return Response.json(health, { status: health.status === "ok" ? 200 : 503 });
    }
    if (path === "/v1/logs" && request.method === "POST") {
      if (token && request.headers.get("authorization") !== `Bearer ${token}`) {
        return new Response(null, { status: 401 });
      }
      return new Response(new Uint8Array(0), {
        headers: { "content-type": "application/x-protobuf" },
      });
    }
    return new Response("not found", { status: 404 });
  });
}

Deno.test("a running collector: health parsed, the right token accepted, latency measured", async () => {
  await using server = fakeCollector(healthDocument(), TOKEN);
  const probe = await probeCollector(server.url, { token: TOKEN });
  assert.equal(probe.reachable, true);
  assert.deepEqual(probe.health, healthDocument());
  assert.equal(probe.error, undefined);
  assert.equal(probe.tokenCheck, "ok");
  assert.ok(Number.isFinite(probe.latencyMs) && probe.latencyMs >= 0, `${probe.latencyMs}`);
  assert.deepEqual(server.requests, [
    { method: "GET", path: "/healthz", authorization: null, bytes: 0 },
    { method: "POST", path: "/v1/logs", authorization: `Bearer ${TOKEN}`, bytes: 0 },
  ]);
});

Deno.test("a wrong or missing token is rejected; no token needed gives not-required", async () => {
  await using server = fakeCollector(healthDocument(), TOKEN);
  assert.equal(
    (await probeCollector(server.url, { token: "wrong-token-0000000000" })).tokenCheck,
    "rejected",
  );
  assert.equal((await probeCollector(server.url)).tokenCheck, "rejected");

  await using open = fakeCollector(healthDocument({ token_required: false }));
  const probe = await probeCollector(`${open.url}/`, { token: TOKEN });
  assert.equal(probe.tokenCheck, "not-required");
  // No export is sent when the collector takes any request.
  assert.deepEqual(open.requests.map((request) => request.path), ["/healthz"]);
});

Deno.test("a degraded collector (503) is still recognised, with its health", async () => {
  const health = healthDocument({
    status: "degraded",
    token_required: false,
    runtime_log: { ...healthDocument().runtime_log, error: "No space left on device" },
  });
  await using server = fakeCollector(health);
  const probe = await probeCollector(server.url);
  assert.equal(probe.reachable, true);
  assert.equal(probe.health?.status, "degraded");
  assert.equal(probe.health?.runtime_log.error, "No space left on device");
  assert.equal(probe.error, undefined);
});

Deno.test("Beacon's real collector: health and token check, and the check writes nothing", async () => {
  await using collector = await startInProcessCollector({
    policyText: `version = 1\n[collector]\ntoken = "${TOKEN}"\n`,
  });
  const probe = await probeCollector(collector.url, { token: TOKEN });
  assert.equal(probe.reachable, true);
  assert.equal(probe.health?.service, "beacon-collector");
  assert.equal(probe.health?.mode, "user");
  assert.equal(probe.health?.token_required, true);
  assert.equal(probe.health?.runtime_log.path, collector.logPath);
  assert.equal(probe.tokenCheck, "ok");
  assert.equal(
    (await probeCollector(collector.url, { token: "x".repeat(20) })).tokenCheck,
    "rejected",
  );
  assert.deepEqual(await collector.events(), []);
  assert.deepEqual(collector.errors, []);
});

Deno.test("a closed port: nothing is listening", async () => {
  // Reserved and never listened on: nothing listens there, and nothing will.
  using closed = reservePort();
  const port = closed.port;
  const probe = await probeCollector(`http://127.0.0.1:${port}`);
  assert.deepEqual({ ...probe, latencyMs: 0 }, {
    reachable: false,
    error: `nothing is listening on 127.0.0.1:${port}`,
    tokenCheck: "unknown",
    latencyMs: 0,
  });
});

Deno.test("a server answering 404 is not a Beacon collector", async () => {
  await using server = serve(() => new Response("no such page", { status: 404 }));
  const probe = await probeCollector(server.url, { token: TOKEN });
  assert.equal(probe.reachable, true);
  assert.equal(probe.health, undefined);
  assert.equal(probe.error, `${new URL(server.url).host} answered 404, not a Beacon collector`);
  assert.equal(probe.tokenCheck, "unknown");
  // Nothing is posted to a server that is not Beacon's.
  assert.deepEqual(server.requests.map((request) => request.method), ["GET"]);
});

Deno.test("a server answering HTML or another service's JSON is not a Beacon collector", async () => {
  await using html = serve(() =>
    new Response("<html>ok</html>", { headers: { "content-type": "text/html" } })
  );
  assert.equal(
    (await probeCollector(html.url)).error,
    `${new URL(html.url).host} is reachable but not a Beacon collector: GET /healthz did not ` +
      "answer with JSON",
  );
  await using other = serve(() => Response.json({ status: "ok", service: "otelcol" }));
  const probe = await probeCollector(other.url);
  assert.equal(probe.reachable, true);
  assert.match(probe.error!, /reachable but not a Beacon collector: .*another service's JSON/);
});

Deno.test("a Beacon health answer without the fields status relies on is an error", async () => {
  await using server = serve(() => Response.json({ service: "beacon-collector", status: "ok" }));
  const probe = await probeCollector(server.url);
  assert.equal(probe.reachable, true);
  assert.equal(probe.health, undefined);
  assert.match(probe.error!, /is a Beacon collector, but its health answer has no valid mode/);
});

Deno.test("a server that accepts but never answers times out within the budget", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const connection of listener) held.push(connection);
  })();
  try {
    // The server never answers: only the probe's own deadline can end the wait.
    const probe = await orGiveUp(
      "the probe did not return: its 200 ms deadline did not end the wait",
      probeCollector(`http://127.0.0.1:${port}`, { timeoutMs: 200 }),
    );
    assert.ok(held.length >= 1, "the probe connected");
    assert.equal(probe.reachable, false);
    assert.equal(
      probe.error,
      `timed out after 200 ms: something on 127.0.0.1:${port} accepted the connection but did ` +
        "not answer",
    );
    assert.equal(probe.tokenCheck, "unknown");
  } finally {
    listener.close();
    for (const connection of held) connection.close();
    await accepting.catch(() => {});
  }
});

Deno.test("HTTP_PROXY does not divert the probe of a loopback collector", async () => {
  await using server = fakeCollector(healthDocument({ token_required: false }));
  const saved = { upper: Deno.env.get("HTTP_PROXY"), lower: Deno.env.get("http_proxy") };
  using proxyPort = reservePort(); // a proxy that is never there
  Deno.env.set("HTTP_PROXY", `http://127.0.0.1:${proxyPort.port}`);
  Deno.env.set("http_proxy", `http://127.0.0.1:${proxyPort.port}`);
  try {
    assert.equal((await probeCollector(server.url)).health?.service, "beacon-collector");
  } finally {
    for (const [name, value] of [["HTTP_PROXY", saved.upper], ["http_proxy", saved.lower]]) {
      if (value === undefined) Deno.env.delete(name!);
      else Deno.env.set(name!, value);
    }
  }
});

Deno.test("URLs: a bare host:port is accepted, https and nonsense are refused", async () => {
  await using server = fakeCollector(healthDocument({ token_required: false }));
  assert.equal((await probeCollector(new URL(server.url).host)).reachable, true);
  assert.match((await probeCollector("https://127.0.0.1:4318")).error!, /plain http:\/\//);
  assert.match((await probeCollector("http://")).error!, /is not a collector URL/);
});
