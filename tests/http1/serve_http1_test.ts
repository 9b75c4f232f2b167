/**
 * serveHttp1 over real sockets on 127.0.0.1, driven by hand-written bytes the way a hostile or
 * broken client would send them. Timeouts are made small through options; tests wait for the
 * outcome (a response, the connection's end), never assert how long it took.
 */
import assert from "node:assert/strict";
import {
  type Http1Handler,
  type Http1Request,
  type Http1Server,
  type Http1ServerOptions,
  type ReadBodyResult,
  serveHttp1,
} from "../../lib/http1/serve_http1.ts";
import { orGiveUp, waitUntil } from "../support/wait_until.ts";

const encoder = new TextEncoder();
/** Turns a hang (a response or an end that never comes) into a failure; not a speed check. */
const GIVE_UP_MS = 10_000;
const decoder = new TextDecoder("latin1");

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A client connection that sends raw bytes and reads responses one at a time. */
class RawClient {
  #buffered = new Uint8Array(0);
  #ended = false;
  private constructor(readonly conn: Deno.Conn) {}

  static async open(server: Http1Server): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  }

  async send(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
    while (bytes.length > 0) bytes = bytes.subarray(await this.conn.write(bytes));
  }

  /** Sends `parts` with a pause between them, so the server reads them separately. */
  async sendInParts(parts: string[]): Promise<void> {
    for (const part of parts) {
      await this.send(part);
      await pause(3);
    }
  }

  async #readMore(): Promise<boolean> {
    if (this.#ended) return false;
    const chunk = new Uint8Array(64 * 1024);
    let read: number | null;
    try {
      read = await this.conn.read(chunk);
    } catch {
      read = null; // reset by the server: the same as its end, for these tests
    }
    if (read === null) {
      this.#ended = true;
      return false;
    }
    const joined = new Uint8Array(this.#buffered.length + read);
    joined.set(this.#buffered);
    joined.set(chunk.subarray(0, read), this.#buffered.length);
    this.#buffered = joined;
    return true;
  }

  /** The next response (a 1xx included), or null when the connection ends before one. */
  response(options: { head?: boolean } = {}): Promise<Response | null> {
    return orGiveUp("a response", this.#response(options), GIVE_UP_MS);
  }

  async #response(options: { head?: boolean }): Promise<Response | null> {
    while (true) {
      const text = decoder.decode(this.#buffered);
      const end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
        const status = Number(statusLine.split(" ")[1]);
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = status < 200 || options.head ? 0 : Number(headers["content-length"] ?? 0);
        while (this.#buffered.length < end + 4 + length) {
          if (!(await this.#readMore())) return null;
        }
        const body = decoder.decode(this.#buffered.subarray(end + 4, end + 4 + length));
        this.#buffered = this.#buffered.slice(end + 4 + length);
        return { status, headers, body };
      }
      if (!(await this.#readMore())) return null;
    }
  }

  /** Resolves once the server has ended the connection; the bytes it sent on the way. */
  async ended(): Promise<string> {
    await orGiveUp(
      "the connection's end",
      (async () => {
        while (await this.#readMore());
      })(),
      GIVE_UP_MS,
    );
    const rest = decoder.decode(this.#buffered);
    this.#buffered = new Uint8Array(0);
    return rest;
  }

  close() {
    try {
      this.conn.close();
    } catch { /* already closed */ }
  }

  [Symbol.dispose]() {
    this.close();
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Hooks called so far, by name. */
interface Calls {
  refused: number;
  idleClosed: number;
  aborted: number;
  handlerErrors: unknown[];
}

/** A server on 127.0.0.1:0 for the length of `run`, closed after it. */
async function withServer(
  handler: Http1Handler,
  options: Partial<Http1ServerOptions>,
  run: (server: Http1Server, calls: Calls) => Promise<void>,
): Promise<void> {
  const calls: Calls = { refused: 0, idleClosed: 0, aborted: 0, handlerErrors: [] };
  const server = serveHttp1({
    hostname: "127.0.0.1",
    port: 0,
    maxConnections: 16,
    // Long enough that only the behaviour under test ends a connection.
    idleTimeoutMs: 60_000,
    onConnectionRefused: () => calls.refused++,
    onIdleConnectionClosed: () => calls.idleClosed++,
    onAborted: () => calls.aborted++,
    onHandlerError: (error) => calls.handlerErrors.push(error),
    ...options,
  }, handler);
  try {
    await run(server, calls);
  } finally {
    await orGiveUp("server.close()", server.close());
  }
}

/** Answers with the method, path and body it read (up to 1 KiB). */
const echo: Http1Handler = async (request) => {
  const read = await request.readBody(1024);
  if (!read.ok) {
    return read.tooLarge ? { status: 413, body: encoder.encode("too large") } : undefined;
  }
  return {
    status: 200,
    body: encoder.encode(`${request.method} ${request.path} ${decoder.decode(read.body)}`),
  };
};

function post(path: string, body: string, fields: string[] = []): string {
  return [`POST ${path} HTTP/1.1`, "Host: x", `Content-Length: ${body.length}`, ...fields]
    .join("\r\n") + "\r\n\r\n" + body;
}

function chunkedPost(path: string, chunks: string, fields: string[] = []): string {
  return [`POST ${path} HTTP/1.1`, "Host: x", "Transfer-Encoding: chunked", ...fields]
    .join("\r\n") + "\r\n\r\n" + chunks;
}

const GET = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

/**
 * Reads a whole answer the server gave on its own from the raw bytes it sent before it closed
 * the connection (so nothing may follow the answer), and checks its status line, its plain-text
 * fields and its body for people: what was wrong (`problem`), then what to do.
 */
async function assertServerAnswer(
  client: RawClient,
  statusLine: string,
  problem: RegExp,
  options: { head?: boolean } = {},
): Promise<string> {
  const raw = await client.ended(); // resolves only once the server has closed the connection
  const end = raw.indexOf("\r\n\r\n");
  assert.ok(end > 0, `a whole head in ${JSON.stringify(raw)}`);
  const [first, ...fields] = raw.slice(0, end).split("\r\n");
  assert.equal(first, statusLine);
  const body = raw.slice(end + 4);
  assert.ok(fields.includes("content-type: text/plain; charset=utf-8"), fields.join(" | "));
  assert.ok(fields.includes("connection: close"), fields.join(" | "));
  const length = fields.find((field) => field.startsWith("content-length: "));
  if (options.head) {
    assert.equal(body, "", "a HEAD request's answer has no body");
    assert.ok(Number(length?.slice(16)) > 0, "but declares the body it would have");
    return raw;
  }
  assert.equal(length, `content-length: ${body.length}`, "the body, and nothing after it");
  const lines = body.split("\n");
  assert.equal(lines.length, 3, `two lines: ${JSON.stringify(body)}`);
  assert.match(lines[0], problem);
  assert.match(lines[1], /send the request again on a new one\.$/);
  return raw;
}

Deno.test("keep-alive: several requests on one connection, each answered", async () => {
  await withServer(echo, {}, async (server) => {
    using client = await RawClient.open(server);
    for (let i = 0; i < 5; i++) {
      await client.send(post(`/n${i}`, `body ${i}`));
      const response = await client.response();
      assert.equal(response?.status, 200);
      assert.equal(response?.body, `POST /n${i} body ${i}`);
      assert.equal(response?.headers.connection, "keep-alive");
    }
    assert.equal(server.connections(), 1);
    await client.send("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.equal((await client.response())?.headers.connection, "close");
    assert.equal(await client.ended(), "");
  });
});

Deno.test("pipelining: requests sent in one write are answered in order", async () => {
  let inHandler = 0;
  const slowFirst: Http1Handler = async (request) => {
    assert.equal(inHandler++, 0, "two handlers ran at once on one connection");
    if (request.path === "/0") await pause(30);
    try {
      return await echo(request);
    } finally {
      inHandler--;
    }
  };
  await withServer(slowFirst, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send(
      post("/0", "zero") + "\r\n" + chunkedPost("/1", "3\r\none\r\n0\r\n\r\n") + GET +
        post("/3", "three"),
    );
    assert.equal((await client.response())?.body, "POST /0 zero");
    assert.equal((await client.response())?.body, "POST /1 one");
    assert.equal((await client.response())?.body, "GET /healthz ");
    assert.equal((await client.response())?.body, "POST /3 three");
  });
});

Deno.test("chunked: extensions and trailers, split at every byte, give the body", async () => {
  const chunks = '5;name=value\r\nhello\r\n1 ; a="b"\r\n \r\n6\r\nworld!\r\n0;last\r\n' +
    "Trailer-A: 1\r\nTrailer-B: 2\r\n\r\n";
  const request = chunkedPost("/c", chunks);
  await withServer(echo, {}, async (server) => {
    using client = await RawClient.open(server);
    for (let at = request.indexOf("\r\n\r\n") + 4; at < request.length; at++) {
      await client.sendInParts([request.slice(0, at), request.slice(at)]);
      const response = await client.response();
      assert.equal(response?.body, "POST /c hello world!", `split at ${at}`);
    }
    // LF alone also ends a chunk line; the same connection still serves.
    await client.send(chunkedPost("/lf", "2\nhi\n0\n\n"));
    assert.equal((await client.response())?.body, "POST /lf hi");
    assert.equal(server.connections(), 1);
  });
});

Deno.test("chunked: a malformed chunk size is 400, and the connection ends", async () => {
  for (
    const chunks of [
      "zz\r\nhello\r\n0\r\n\r\n",
      "-5\r\nhello\r\n0\r\n\r\n",
      "0x5\r\nhello\r\n0\r\n\r\n",
      " 5\r\nhello\r\n0\r\n\r\n",
      "+5\r\nhello\r\n0\r\n\r\n",
      "\r\nhello\r\n0\r\n\r\n",
      "5\rX\r\nhello\r\n0\r\n\r\n",
      "1234567890abc\r\nhello\r\n0\r\n\r\n",
      "f".repeat(5000) + "\r\n",
    ]
  ) {
    let handlerResult: ReadBodyResult | undefined;
    const handler: Http1Handler = async (request) => {
      handlerResult = await request.readBody(1024);
      return { status: 200 };
    };
    await withServer(handler, {}, async (server, calls) => {
      using client = await RawClient.open(server);
      // A second request behind it must not be taken as part of the first.
      await client.send(chunkedPost("/c", chunks) + GET);
      const response = await client.response();
      assert.equal(response?.status, 400, JSON.stringify(chunks));
      assert.match(response?.body ?? "", /chunk/);
      assert.equal(response?.headers.connection, "close");
      assert.equal(await client.ended(), "");
      assert.deepEqual(handlerResult, { ok: false, aborted: true });
      assert.deepEqual(calls.handlerErrors, []);
    });
  }
});

Deno.test("chunked: chunk data longer than its size is 400, not the start of a request", async () => {
  await withServer(echo, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send(chunkedPost("/c", "3\r\nabcGET / HTTP/1.1\r\nHost: x\r\n\r\n0\r\n\r\n"));
    const response = await client.response();
    assert.equal(response?.status, 400);
    assert.match(response?.body ?? "", /longer than its size/);
    assert.equal(await client.ended(), "");
  });
});

Deno.test("Content-Length: over the handler's maxBytes is tooLarge, and the connection ends", async () => {
  let result: ReadBodyResult | undefined;
  const handler: Http1Handler = async (request) => {
    result = await request.readBody(8);
    return result.ok ? { status: 200 } : { status: 413 };
  };
  await withServer(handler, {}, async (server) => {
    // A declared length over the limit, then a chunked body over it: the same.
    for (
      const request of [
        post("/big", "123456789"),
        chunkedPost("/big", "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n"),
      ]
    ) {
      using client = await RawClient.open(server);
      await client.send(request + GET);
      const response = await client.response();
      assert.equal(response?.status, 413);
      assert.equal(response?.headers.connection, "close");
      assert.deepEqual(result, { ok: false, tooLarge: true });
      assert.equal(await client.ended(), "");
    }
  });
});

Deno.test("Expect: 100-continue is answered before the body is sent", async () => {
  await withServer(echo, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send(
      post("/e", "", ["Expect: 100-Continue"]).replace(
        "Content-Length: 0",
        "Content-Length: 4",
      ),
    );
    const interim = await client.response();
    assert.equal(interim?.status, 100);
    await client.send("body");
    const response = await client.response();
    assert.equal(response?.status, 200);
    assert.equal(response?.body, "POST /e body");
    // A chunked body too, on the same connection.
    await client.send(chunkedPost("/e", "", ["Expect: 100-continue"]));
    assert.equal((await client.response())?.status, 100);
    await client.send("2\r\nok\r\n0\r\n\r\n");
    assert.equal((await client.response())?.body, "POST /e ok");
  });
});

Deno.test("Expect: 100-continue, answered without reading: no 100, the answer, then the end", async () => {
  const unauthorized: Http1Handler = () => Promise.resolve({ status: 401 });
  await withServer(unauthorized, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send(
      "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
    );
    const response = await client.response();
    assert.equal(response?.status, 401);
    assert.equal(response?.headers.connection, "close");
    assert.equal(await client.ended(), "");
  });
});

Deno.test("idle timeout: a connection that sends nothing is closed without a word", async () => {
  await withServer(echo, { idleTimeoutMs: 50 }, async (server) => {
    const silent = await RawClient.open(server);
    const keptAlive = await RawClient.open(server);
    try {
      await keptAlive.send(GET);
      assert.equal((await keptAlive.response())?.status, 200);
      // Empty lines between requests are not a request: they do not keep it open.
      await keptAlive.send("\r\n");
      assert.equal(await silent.ended(), "");
      assert.equal(await keptAlive.ended(), "");
      await waitUntil("no connections", () => server.connections() === 0);
    } finally {
      silent.close();
      keptAlive.close();
    }
  });
});

Deno.test("header timeout: half a head, then nothing: 408, then the end", async () => {
  await withServer(echo, { headersTimeoutMs: 50 }, async (server, calls) => {
    using client = await RawClient.open(server);
    await client.send("POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-");
    const response = await client.response();
    assert.equal(response?.status, 408);
    assert.equal(response?.headers.connection, "close");
    assert.equal(await client.ended(), "");
    assert.equal(calls.aborted, 0);
  });
});

Deno.test("request timeout during a stalled body: 408, readBody aborted, not a handler error", async () => {
  let result: ReadBodyResult | undefined;
  const handler: Http1Handler = async (request) => {
    result = await request.readBody(1024);
    return result.ok ? { status: 200 } : undefined;
  };
  await withServer(handler, { requestTimeoutMs: 50 }, async (server, calls) => {
    for (
      const [request, rest] of [[post("/s", "0123456789"), 5], [
        chunkedPost("/s", "5\r\n01"),
        0,
      ]] as const
    ) {
      const client = await RawClient.open(server);
      try {
        await client.send(typeof rest === "number" && rest > 0 ? request.slice(0, -rest) : request);
        const response = await client.response();
        assert.equal(response?.status, 408);
        assert.equal(await client.ended(), "");
        await waitUntil("readBody's result", () => result);
        assert.deepEqual(result, { ok: false, aborted: true });
        assert.deepEqual(calls.handlerErrors, []);
      } finally {
        client.close();
        result = undefined;
      }
    }
    // The client stalled until the server gave up on it: counted like a client that went away.
    assert.equal(calls.aborted, 2);
  });
});

Deno.test("a head over 16 KiB is 431", async () => {
  await withServer(echo, {}, async (server) => {
    const client = await RawClient.open(server);
    try {
      await client.send(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(16 * 1024)}\r\n\r\n`);
      const response = await client.response();
      assert.equal(response?.status, 431);
      assert.equal(await client.ended(), "");
    } finally {
      client.close();
    }
    using justUnder = await RawClient.open(server);
    const head = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: `;
    await justUnder.send(head + "a".repeat(16 * 1024 - head.length - 4) + "\r\n\r\n");
    assert.equal((await justUnder.response())?.status, 200);
  });
});

Deno.test("bad heads are answered with their status, then the connection ends", async () => {
  await withServer(echo, {}, async (server) => {
    for (
      const [request, status] of [
        ["GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505],
        [
          "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
          400,
        ],
        ["GET / HTTP/1.1\r\nHost: x\r\nExpect: later\r\n\r\n", 417],
        ["GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
      ] as const
    ) {
      using client = await RawClient.open(server);
      await client.send(request + GET);
      assert.equal((await client.response())?.status, status, request);
      assert.equal(await client.ended(), "");
    }
  });
});

/** A handler that holds requests to `/hold` until `release()`; others are answered at once. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const state = {
    /** Requests to `/hold` in the handler so far. */
    entered: 0,
    handler: (async (request: Http1Request) => {
      if (request.path === "/hold") {
        state.entered++;
        await opened;
      }
      return echo(request);
    }) as Http1Handler,
    release: () => open(),
  };
  return state;
}

const HOLD = "GET /hold HTTP/1.1\r\nHost: x\r\n\r\n";

Deno.test("max connections: past the cap with every connection busy, the newcomer is refused", async () => {
  const waiting = gate();
  await withServer(
    waiting.handler,
    { maxConnections: 2, capGraceMs: 30 },
    async (server, calls) => {
      const busy = [await RawClient.open(server), await RawClient.open(server)];
      const newcomer = await RawClient.open(server);
      try {
        for (const client of busy) await client.send(HOLD);
        await waitUntil("two requests in their handler", () => waiting.entered === 2);
        assert.equal(await newcomer.ended(), "");
        assert.equal(calls.refused, 1);
        assert.equal(calls.idleClosed, 0);
        waiting.release();
        for (const client of busy) assert.equal((await client.response())?.status, 200);
      } finally {
        for (const client of [...busy, newcomer]) client.close();
      }
    },
  );
});

Deno.test("max connections: a connection that never sent anything makes room once older than the grace", async () => {
  const waiting = gate();
  await withServer(
    waiting.handler,
    { maxConnections: 2, capGraceMs: 30_000, silentConnectionGraceMs: 50 },
    async (server, calls) => {
      const silent = [await RawClient.open(server), await RawClient.open(server)];
      let newcomer: RawClient | undefined;
      try {
        // Both older than the grace before the newcomer arrives.
        await new Promise((resolve) => setTimeout(resolve, 150));
        newcomer = await RawClient.open(server);
        await newcomer.send(GET);
        assert.equal((await newcomer.response())?.status, 200);
        assert.equal(calls.idleClosed, 1);
        assert.equal(calls.refused, 0);
        assert.equal(await silent[0].ended(), "", "the oldest silent connection was closed");
      } finally {
        for (const client of [...silent, ...(newcomer ? [newcomer] : [])]) client.close();
      }
    },
  );
});

Deno.test("max connections: an idle kept-alive connection is closed to make room", async () => {
  const waiting = gate();
  await withServer(
    waiting.handler,
    { maxConnections: 2, capGraceMs: 30_000 },
    async (server, calls) => {
      const idle = await RawClient.open(server);
      const busy = await RawClient.open(server);
      let newcomer: RawClient | undefined;
      try {
        await idle.send(GET);
        assert.equal((await idle.response())?.status, 200);
        await busy.send(HOLD);
        await waitUntil("a request in its handler", () => waiting.entered === 1);
        newcomer = await RawClient.open(server);
        await newcomer.send(GET);
        assert.equal(await idle.ended(), "");
        assert.equal(calls.idleClosed, 1);
        waiting.release();
        assert.equal((await busy.response())?.status, 200);
        assert.equal((await newcomer.response())?.status, 200);
        assert.equal(calls.refused, 0);
      } finally {
        for (const client of [idle, busy, newcomer]) client?.close();
      }
    },
  );
});

Deno.test("close(): the request in flight finishes, idle connections end, then it resolves", async () => {
  const waiting = gate();
  const server = serveHttp1(
    { hostname: "127.0.0.1", port: 0, maxConnections: 4, idleTimeoutMs: 60_000 },
    waiting.handler,
  );
  const idle = await RawClient.open(server);
  const busy = await RawClient.open(server);
  try {
    await idle.send(GET);
    assert.equal((await idle.response())?.status, 200);
    await busy.send(HOLD);
    await waitUntil("a request in its handler", () => waiting.entered === 1);
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    const secondClose = server.close();
    assert.equal(await idle.ended(), "");
    assert.equal(closed, false);
    waiting.release();
    const response = await busy.response();
    assert.equal(response?.status, 200);
    assert.equal(response?.headers.connection, "close");
    assert.equal(await busy.ended(), "");
    await orGiveUp("close()", closing);
    await orGiveUp("the second close()", secondClose);
    assert.equal(server.connections(), 0);
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  } finally {
    idle.close();
    busy.close();
  }
});

Deno.test("a handler that throws: 500, onHandlerError, and the connection ends", async () => {
  const failure = new Error("a bug");
  await withServer(() => Promise.reject(failure), {}, async (server, calls) => {
    using client = await RawClient.open(server);
    await client.send(GET + GET);
    const response = await client.response();
    assert.equal(response?.status, 500);
    assert.doesNotMatch(response?.body ?? "", /a bug/);
    assert.equal(await client.ended(), "");
    assert.deepEqual(calls.handlerErrors, [failure]);
  });
});

Deno.test("a client that closes mid-body: onAborted, and the server serves on", async () => {
  let result: ReadBodyResult | undefined;
  const handler: Http1Handler = async (request) => {
    result = await request.readBody(1024);
    return result.ok ? { status: 200 } : undefined;
  };
  await withServer(handler, {}, async (server, calls) => {
    for (
      const request of [post("/a", "0123456789").slice(0, -4), chunkedPost("/a", "a\r\n01234")]
    ) {
      const client = await RawClient.open(server);
      await client.send(request);
      await waitUntil("the body read to begin", () => server.connections() === 1);
      client.close();
      await waitUntil("readBody's result", () => result);
      assert.deepEqual(result, { ok: false, aborted: true });
      result = undefined;
    }
    assert.equal(calls.aborted, 2);
    assert.deepEqual(calls.handlerErrors, []);
    using next = await RawClient.open(server);
    await next.send(post("/after", "x"));
    assert.equal((await next.response())?.status, 200);
  });
});

Deno.test("HEAD: the length of the body it would have, and no body", async () => {
  const handler: Http1Handler = () =>
    Promise.resolve({ status: 200, body: encoder.encode("twelve bytes") });
  await withServer(handler, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + GET);
    const head = await client.response({ head: true });
    assert.equal(head?.headers["content-length"], "12");
    assert.equal(head?.body, "");
    // Had the body been sent, it would be read here as the next response's status line.
    const get = await client.response();
    assert.equal(get?.status, 200);
    assert.equal(get?.body, "twelve bytes");
  });
});

Deno.test("a response field with a line break: refused, one plain-text 500 and one report, no injection", async () => {
  const handler: Http1Handler = () =>
    Promise.resolve({ status: 200, headers: { "x-echo": "a\r\nset-cookie: evil=1" } });
  await withServer(handler, {}, async (server, calls) => {
    for (const [method, head] of [["GET", false], ["HEAD", true]] as const) {
      using client = await RawClient.open(server);
      await client.send(`${method} / HTTP/1.1\r\nHost: x\r\n\r\n` + GET);
      const raw = await assertServerAnswer(
        client,
        "HTTP/1.1 500 Internal Server Error",
        /^Internal error in the server: it failed to answer this request \(see its log\)\.$/,
        { head },
      );
      assert.doesNotMatch(raw, /set-cookie/i);
    }
    assert.equal(calls.handlerErrors.length, 2, "one report a request");
    for (const error of calls.handlerErrors) {
      assert.match(String(error), /the response field "x-echo" holds a line break/);
    }
  });
});

Deno.test("bodyStream: content-length and chunked bodies, then the next request", async () => {
  const streamed: Http1Handler = async (request) => {
    const body = await new Response(request.bodyStream()).text();
    return { status: 200, body: encoder.encode(`${request.contentLength ?? "chunked"}:${body}`) };
  };
  await withServer(streamed, {}, async (server) => {
    using client = await RawClient.open(server);
    await client.send(
      post("/s", "hello") + chunkedPost("/s", "3\r\nabc\r\n2;x\r\nde\r\n0\r\n\r\n"),
    );
    assert.equal((await client.response())?.body, "5:hello");
    assert.equal((await client.response())?.body, "chunked:abcde");
    await client.sendInParts([post("/s", "split").slice(0, -3), "lit"]);
    assert.equal((await client.response())?.body, "5:split");
    await client.send(GET);
    assert.equal((await client.response())?.body, "0:");
    assert.equal(server.connections(), 1);
  });
});

Deno.test("a client that never reads its responses is closed, not kept for ever", async () => {
  const big: Http1Handler = () => Promise.resolve({ status: 200, body: new Uint8Array(1 << 20) });
  await withServer(big, { idleTimeoutMs: 100 }, async (server) => {
    using client = await RawClient.open(server);
    // Enough responses to fill both sides' socket buffers; the client reads none of them.
    await client.send(GET.repeat(64));
    await waitUntil("the connection's end", () => server.connections() === 0);
  });
});

Deno.test("the server's own answers: status line, plain text for people, then the connection's end", async () => {
  const bigHead = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(16 * 1024)}\r\n\r\n`;
  const cases: Array<[string, Partial<Http1ServerOptions>, string, string, RegExp]> = [
    [
      "header timeout",
      { headersTimeoutMs: 50 },
      "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-",
      "HTTP/1.1 408 Request Timeout",
      /^The request head did not arrive within 50 ms of its first byte\.$/,
    ],
    [
      "request timeout",
      { requestTimeoutMs: 50 },
      post("/s", "0123456789").slice(0, -5),
      "HTTP/1.1 408 Request Timeout",
      /^The request did not arrive whole within 50 ms of its first byte\.$/,
    ],
    [
      "malformed chunk",
      {},
      chunkedPost("/c", "zz\r\nhello\r\n0\r\n\r\n") + GET,
      "HTTP/1.1 400 Bad Request",
      /^Bad request: a malformed chunk size\.$/,
    ],
    [
      "head too large",
      {},
      bigHead + GET,
      "HTTP/1.1 431 Request Header Fields Too Large",
      /^The request head is larger than 16384 bytes\.$/,
    ],
    [
      "malformed head",
      {},
      "GET / HTTP/1.1\r\n\r\n" + GET,
      "HTTP/1.1 400 Bad Request",
      /^Bad request: no Host header\.$/,
    ],
    [
      "unsupported version",
      {},
      "GET / HTTP/2.0\r\nHost: x\r\n\r\n" + GET,
      "HTTP/1.1 505 HTTP Version Not Supported",
      /^HTTP\/2\.0 is not supported: use HTTP\/1\.1\.$/,
    ],
  ];
  for (const [name, options, request, statusLine, problem] of cases) {
    await withServer(echo, options, async (server, calls) => {
      using client = await RawClient.open(server);
      await client.send(request);
      await assertServerAnswer(client, statusLine, problem);
      assert.deepEqual(calls.handlerErrors, [], name);
    });
  }
});
