/**
 * A real gRPC client for the OTLP Logs service: `@grpc/grpc-js` used as a generic client, with
 * the generated message types encoded and decoded by `@bufbuild/protobuf`.
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import {
  ExportLogsServiceRequestSchema,
  type ExportLogsServiceResponse,
  ExportLogsServiceResponseSchema,
} from "../../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

/** The gRPC method of the OTLP Logs Export call. */
export const LOGS_EXPORT_METHOD = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

/**
 * A gRPC client of `127.0.0.1:port` with a connection of its own: grpc-js otherwise shares one
 * connection between every client of the same address, and the tests need many connections.
 */
export function createOtlpGrpcClient(port: number): grpc.Client {
  return new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.use_local_subchannel_pool": 1,
  });
}

/** One Export call in flight: its outcome, and a way to cancel it (RST_STREAM CANCEL). */
export interface ExportCall {
  /** Resolves with the decoded response; rejects with the `grpc.ServiceError`. */
  response: Promise<ExportLogsServiceResponse>;
  cancel(): void;
}

/** Starts one OTLP Logs Export call on `client`. */
export function exportLogs(
  client: grpc.Client,
  request: MessageInitShape<typeof ExportLogsServiceRequestSchema> = {},
  options: { metadata?: grpc.Metadata; timeoutMs?: number } = {},
): ExportCall {
  const body = Buffer.from(
    toBinary(ExportLogsServiceRequestSchema, create(ExportLogsServiceRequestSchema, request)),
  );
  const { promise, resolve, reject } = Promise.withResolvers<ExportLogsServiceResponse>();
  const call = client.makeUnaryRequest(
    LOGS_EXPORT_METHOD,
    (message: Buffer) => message,
    (bytes: Buffer) => fromBinary(ExportLogsServiceResponseSchema, bytes),
    body,
    options.metadata ?? new grpc.Metadata(),
    { deadline: Date.now() + (options.timeoutMs ?? 15_000) },
    (error, response) => error ? reject(error) : resolve(response!),
  );
  return { response: promise, cancel: () => call.cancel() };
}
