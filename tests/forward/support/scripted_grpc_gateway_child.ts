/**
 * An OTLP/gRPC Logs server (`@grpc/grpc-js`) answering with a script, in a process of its own:
 * grpc-js serves on `node:http2`, whose server can abort the whole process under Deno
 * (denoland/deno#36788), which must end one test, not the `deno test` run. Started by
 * `scripted_grpc_gateway.ts`:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 scripted_grpc_gateway_child.ts '[{"code": 14}, {"code": 0}]'
 * ```
 *
 * Each Export call gets the next answer of the script (the last one repeats): `code` 0 succeeds,
 * with `rejected` records as a partial success; another code fails the call, with a
 * `google.rpc.RetryInfo` of `retryDelayMs` in `grpc-status-details-bin` when given. Prints
 * `{"port": N, "control": N}` once listening. The control port (HTTP/1.1, `Deno.serve`) answers
 * `GET /requests` with every request received, in order: `{body: base64 protobuf, metadata:
 * {key: [values]}}`. On SIGTERM it shuts the server down and exits 0.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
} from "../../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { StatusSchema } from "../../../lib/otlp/gen/google/rpc/status_pb.ts";
import { LOGS_EXPORT_METHOD } from "../../../lib/forward/send_otlp_grpc.ts";
import type { GatewayAnswer, GatewayRequest } from "./scripted_grpc_gateway.ts";

const script = JSON.parse(Deno.args[0] ?? "[]") as GatewayAnswer[];
if (script.length === 0) throw new Error("scripted_grpc_gateway_child.ts needs a script");

function statusDetails(code: number, retryDelayMs: number): Buffer {
  const duration = new BinaryWriter().uint32(8).int64(Math.floor(retryDelayMs / 1000))
    .uint32(16).int32((retryDelayMs % 1000) * 1e6).finish();
  const retryInfo = new BinaryWriter().uint32(10).bytes(duration).finish();
  return Buffer.from(toBinary(
    StatusSchema,
    create(StatusSchema, {
      code,
      message: "slow down",
      details: [{ typeUrl: "type.googleapis.com/google.rpc.RetryInfo", value: retryInfo }],
    }),
  ));
}

/** A request as received: its bytes, checked to decode as an ExportLogsServiceRequest. */
interface Received {
  bytes: Buffer;
}

const requests: GatewayRequest[] = [];
const server = new grpc.Server();
server.addService({
  Export: {
    path: LOGS_EXPORT_METHOD,
    requestStream: false,
    responseStream: false,
    requestSerialize: (received: Received) => received.bytes,
    requestDeserialize: (bytes: Buffer): Received => {
      fromBinary(ExportLogsServiceRequestSchema, bytes);
      return { bytes };
    },
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
}, {
  Export: (
    call: grpc.ServerUnaryCall<Received, Buffer>,
    callback: grpc.sendUnaryData<Buffer>,
  ) => {
    const metadata: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(call.metadata.toJSON())) {
      metadata[key] = values.map((value) => String(value));
    }
    requests.push({ body: call.request.bytes.toString("base64"), metadata });
    const answer = script[Math.min(requests.length - 1, script.length - 1)];
    if (answer.code === 0) {
      return callback(
        null,
        Buffer.from(toBinary(
          ExportLogsServiceResponseSchema,
          create(ExportLogsServiceResponseSchema, {
            partialSuccess: answer.rejected
              ? { rejectedLogRecords: BigInt(answer.rejected), errorMessage: "too old" }
              : undefined,
          }),
        )),
      );
    }
    const trailers = new grpc.Metadata();
    if (answer.retryDelayMs !== undefined) {
      trailers.set("grpc-status-details-bin", statusDetails(answer.code, answer.retryDelayMs));
    }
    callback({
      code: answer.code,
      details: `scripted ${grpc.status[answer.code]}`,
      metadata: trailers,
    });
  },
});
const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync(
    "127.0.0.1:0",
    grpc.ServerCredentials.createInsecure(),
    (error, port) => error ? reject(error) : resolve(port),
  )
);

const control = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  (request) =>
    request.method === "GET" && new URL(request.url).pathname === "/requests"
      ? Response.json(requests)
      : new Response("not found", { status: 404 }),
);

Deno.addSignalListener("SIGTERM", async () => {
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  Deno.exit(0);
});
console.log(JSON.stringify({ port, control: control.addr.port }));
