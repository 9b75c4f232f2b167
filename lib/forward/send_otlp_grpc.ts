/**
 * OTLP/gRPC export to a gateway: `@grpc/grpc-js` as a generic client of the Logs service, the
 * request encoded by `@bufbuild/protobuf` like the HTTP body.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { ExportLogsServiceResponseSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { StatusSchema } from "../otlp/gen/google/rpc/status_pb.ts";
import type { SendTls } from "./send_otlp_logs.ts";

/** The OTLP Logs Export method. */
export const LOGS_EXPORT_METHOD = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

/** What the gateway answered: a status code (0 = OK) and what comes with it. */
export interface GrpcAnswer {
  /** The gRPC status code (`grpc.status`); 0 when the call succeeded. */
  code: number;
  /** `google.rpc.RetryInfo.retry_delay` from the status details, ms; null when absent. */
  retryDelayMs: number | null;
  /** `partial_success.rejected_log_records` of a successful answer (0 when absent). */
  rejected: number;
  /** `partial_success.error_message`, or the status message of a failed call. */
  message: string;
}

/** One export call. */
export interface GrpcSendRequest {
  /** The serialised `ExportLogsServiceRequest`. */
  body: Uint8Array;
  /** Sent as metadata (names lower case). */
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A connection to one gateway, reused between batches. */
export interface OtlpGrpcSender {
  send(request: GrpcSendRequest): Promise<GrpcAnswer>;
  close(): void;
}

/**
 * A gRPC channel to `endpoint` (`http://host:port` plaintext, `https://host:port` TLS with the
 * policy's CA, client certificate and server name), gzip-compressed. A transport failure is an
 * answer (`UNAVAILABLE`), not a throw: gRPC reports it as a status like any other.
 */
export function createOtlpGrpcSender(endpoint: string, tls: SendTls): OtlpGrpcSender {
  const url = new URL(endpoint);
  // Opened by the first call: grpc-js takes Buffers, and node:buffer imported at the top would
  // be hoisted into the bundle and start Deno's Node compatibility layer in every process.
  let channel: Promise<{ client: grpc.Client; Buffer: typeof Buffer }> | undefined;
  const open = () => channel ??= openChannel(url, tls);
  return {
    async send(request) {
      const { client, Buffer } = await open();
      const metadata = new grpc.Metadata();
      for (const [name, value] of Object.entries(request.headers)) metadata.set(name, value);
      return await new Promise<GrpcAnswer>((resolve) => {
        const call = client.makeUnaryRequest(
          LOGS_EXPORT_METHOD,
          (message: Buffer) => message,
          (bytes: Buffer) => bytes,
          Buffer.from(request.body),
          metadata,
          { deadline: Date.now() + request.timeoutMs },
          (error, response) => {
            request.signal?.removeEventListener("abort", abort);
            resolve(error ? failedAnswer(error) : succeededAnswer(response!));
          },
        );
        const abort = () => call.cancel();
        request.signal?.addEventListener("abort", abort, { once: true });
      });
    },
    close() {
      void channel?.then(({ client }) => client.close());
    },
  };
}

async function openChannel(
  url: URL,
  tls: SendTls,
): Promise<{ client: grpc.Client; Buffer: typeof Buffer }> {
  const { Buffer } = await import("node:buffer");
  const secure = url.protocol === "https:";
  const port = url.port || (secure ? "443" : "80");
  const credentials = secure
    ? grpc.credentials.createSsl(
      tls.ca ? Buffer.from(tls.ca) : null,
      tls.key ? Buffer.from(tls.key) : null,
      tls.cert ? Buffer.from(tls.cert) : null,
    )
    : grpc.credentials.createInsecure();
  const client = new grpc.Client(`${url.hostname}:${port}`, credentials, {
    "grpc.default_compression_algorithm": 2, // gzip
    ...(secure && tls.serverName
      ? {
        "grpc.ssl_target_name_override": tls.serverName,
        "grpc.default_authority": tls.serverName,
      }
      : {}),
  });
  return { client, Buffer };
}

function succeededAnswer(bytes: Uint8Array): GrpcAnswer {
  try {
    const response = fromBinary(ExportLogsServiceResponseSchema, bytes);
    return {
      code: 0,
      retryDelayMs: null,
      rejected: Number(response.partialSuccess?.rejectedLogRecords ?? 0n),
      message: response.partialSuccess?.errorMessage ?? "",
    };
  } catch {
    return { code: 0, retryDelayMs: null, rejected: 0, message: "" };
  }
}

function failedAnswer(error: grpc.ServiceError): GrpcAnswer {
  const details = error.metadata?.get("grpc-status-details-bin")[0];
  return {
    code: error.code,
    retryDelayMs: details === undefined ? null : retryDelayOf(new Uint8Array(details as Buffer)),
    rejected: 0,
    message: (error.details || grpc.status[error.code] || "").slice(0, 300),
  };
}

const RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";

/**
 * The `RetryInfo.retry_delay` in a serialised `google.rpc.Status`, ms; null when it holds none
 * or cannot be read. Pure.
 */
export function retryDelayOf(statusBytes: Uint8Array): number | null {
  try {
    const status = fromBinary(StatusSchema, statusBytes);
    const info = status.details.find((any) => any.typeUrl === RETRY_INFO);
    if (!info) return null;
    // RetryInfo { Duration retry_delay = 1 }, Duration { int64 seconds = 1; int32 nanos = 2 }
    const outer = new BinaryReader(info.value);
    while (outer.pos < outer.len) {
      const [field, wireType] = outer.tag();
      if (field !== 1) {
        outer.skip(wireType);
        continue;
      }
      const duration = new BinaryReader(outer.bytes());
      let seconds = 0;
      let nanos = 0;
      while (duration.pos < duration.len) {
        const [inner, innerType] = duration.tag();
        if (inner === 1) seconds = Number(duration.int64());
        else if (inner === 2) nanos = duration.int32();
        else duration.skip(innerType);
      }
      return Math.max(0, Math.round(seconds * 1000 + nanos / 1e6));
    }
    return null;
  } catch {
    return null;
  }
}
