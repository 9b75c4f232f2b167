import assert from "node:assert/strict";
import { createOtlpRpcHandler } from "./otlp_rpc_handler.ts";
import { createExportPipeline } from "./export_pipeline.ts";
import type { Http1Request } from "../http1/serve_http1.ts";

const EXPORT_PATH = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

/** An RPC request whose body fails after its first bytes, as when the client goes away. */
function requestWhoseBodyFails(contentType: string): Http1Request {
  return {
    method: "POST",
    target: EXPORT_PATH,
    path: EXPORT_PATH,
    headers: new Map([["content-type", contentType]]),
    contentLength: 100,
    readBody: () => Promise.reject(new Error("the RPC handler reads the body as a stream")),
    bodyStream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([0, 0, 0, 0, 90]));
        },
        pull(controller) {
          controller.error(new Error("the client went away before sending its whole body"));
        },
      }),
  };
}

// The handler lets a rejection of the RPC framework through (to the collector's report of a
// bug) because the framework itself answers a body that fails: this is that premise.
Deno.test("an RPC whose body fails midway gets the framework's error answer, not a rejection", async () => {
  let exports = 0;
  const pipeline = createExportPipeline({
    classify: () => ({ events: [], dropped: 0 }),
    log: {
      append: () => {
        exports++;
        return Promise.resolve();
      },
    },
  });
  const handler = createOtlpRpcHandler({
    pipeline,
    now: () => new Date(),
    maxRequestBytes: 1 << 20,
  });
  for (
    const [contentType, status] of [
      ["application/proto", 500],
      ["application/json", 500],
      ["application/grpc-web+proto", 200], // gRPC-Web carries its status in the trailer
    ] as const
  ) {
    const response = await handler(requestWhoseBodyFails(contentType));
    assert.ok(response, contentType);
    assert.equal(response.status, status, contentType);
    const text = new TextDecoder().decode(response.body);
    assert.match(text, /internal|grpc-status: 13/, contentType);
  }
  assert.equal(exports, 0);
});
