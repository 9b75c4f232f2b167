/**
 * One OTLP Export request body sent over each transport the collector serves, with the outcome
 * reduced to what every transport can say: accepted, or refused with a gRPC-style code.
 *
 * - `http-protobuf` / `http-json`: OTLP/HTTP (`POST /v1/<signal>`), gzip-compressed.
 * - `connect` / `connect-json`: the Connect protocol, unary, `application/proto` or
 *   `application/json` (proto3 JSON, which for requests without ids is OTLP/JSON too).
 * - `grpc-web`: gRPC-Web, binary, over HTTP/1.1.
 * - `grpc`: native gRPC over h2c, with `@grpc/grpc-js`.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import type { OtlpSignal } from "../../lib/otlp/otlp_signal.ts";

/** The transports of {@link sendOtlp}. */
export type OtlpTransport =
  | "http-protobuf"
  | "http-json"
  | "connect"
  | "connect-json"
  | "grpc-web"
  | "grpc";

/** Binary transports (the body is protobuf). */
export const BINARY_TRANSPORTS: readonly OtlpTransport[] = [
  "http-protobuf",
  "connect",
  "grpc-web",
  "grpc",
];

/** What a transport answered. `code` is the gRPC status name ("ok" when accepted). */
export interface OtlpOutcome {
  accepted: boolean;
  code: string;
  /** The HTTP status (OTLP/HTTP, Connect, gRPC-Web) or the gRPC status number. */
  status: number;
  message: string;
}

const SERVICE: Record<OtlpSignal, string> = {
  logs: "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
  traces: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
  metrics: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
};

const GRPC_CODE_NAMES = [
  "ok",
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
];

/** Where the collector listens. */
export interface OtlpTarget {
  /** `http://127.0.0.1:PORT` of the HTTP/1.1 listener. */
  url: string;
  /** Port of the gRPC (h2c) listener, for the `grpc` transport. */
  grpcPort?: number;
  headers?: Record<string, string>;
}

/**
 * Sends `body` (protobuf bytes, or OTLP/JSON text for `http-json`) as one Export request of
 * `signal` over `transport`.
 */
export async function sendOtlp(
  target: OtlpTarget,
  transport: OtlpTransport,
  signal: OtlpSignal,
  body: Uint8Array | string,
): Promise<OtlpOutcome> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  switch (transport) {
    case "http-protobuf":
    case "http-json": {
      const response = await fetch(`${target.url}/v1/${signal}`, {
        method: "POST",
        body: gzipSync(bytes),
        headers: {
          ...target.headers,
          "content-type": transport === "http-json" ? "application/json" : "application/x-protobuf",
          "content-encoding": "gzip",
        },
      });
      const text = new TextDecoder().decode(await response.arrayBuffer());
      return {
        accepted: response.status === 200,
        code: httpStatusCode(response.status),
        status: response.status,
        message: transport === "http-json" ? text : text.replace(/[^\x20-\x7e]+/g, " ").trim(),
      };
    }
    case "connect":
    case "connect-json": {
      const response = await fetch(`${target.url}${SERVICE[signal]}`, {
        method: "POST",
        body: gzipSync(bytes),
        headers: {
          ...target.headers,
          "content-type": transport === "connect" ? "application/proto" : "application/json",
          "content-encoding": "gzip",
          "connect-protocol-version": "1",
        },
      });
      const text = new TextDecoder().decode(await response.arrayBuffer());
      if (response.status === 200) {
        return { accepted: true, code: "ok", status: 200, message: "" };
      }
      let parsed: { code?: string; message?: string } = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        // not a Connect error body
      }
      return {
        accepted: false,
        code: parsed.code ?? `http ${response.status}`,
        status: response.status,
        message: parsed.message ?? text,
      };
    }
    case "grpc-web": {
      const envelope = new Uint8Array(5 + bytes.length);
      new DataView(envelope.buffer).setUint32(1, bytes.length);
      envelope.set(bytes, 5);
      const response = await fetch(`${target.url}${SERVICE[signal]}`, {
        method: "POST",
        body: envelope,
        headers: { ...target.headers, "content-type": "application/grpc-web+proto" },
      });
      const payload = new Uint8Array(await response.arrayBuffer());
      let grpcStatus = response.headers.get("grpc-status");
      let grpcMessage = response.headers.get("grpc-message") ?? "";
      // Trailers travel in the body as a frame flagged 0x80.
      for (let at = 0; at + 5 <= payload.length;) {
        const length = new DataView(payload.buffer, payload.byteOffset + at + 1, 4).getUint32(0);
        if (payload[at] & 0x80) {
          const text = new TextDecoder().decode(payload.subarray(at + 5, at + 5 + length));
          grpcStatus = /grpc-status:\s*(\d+)/i.exec(text)?.[1] ?? grpcStatus;
          grpcMessage = decodeURIComponent(/grpc-message:\s*(.*)/i.exec(text)?.[1] ?? grpcMessage)
            .trim();
        }
        at += 5 + length;
      }
      const code = Number(grpcStatus ?? -1);
      return {
        accepted: response.status === 200 && code === 0,
        code: GRPC_CODE_NAMES[code] ?? `http ${response.status}`,
        status: code,
        message: grpcMessage,
      };
    }
    case "grpc":
      return await sendGrpc(target, signal, bytes);
  }
}

async function sendGrpc(
  target: OtlpTarget,
  signal: OtlpSignal,
  bytes: Uint8Array,
): Promise<OtlpOutcome> {
  if (target.grpcPort === undefined) throw new Error("sendOtlp: grpc needs target.grpcPort");
  const client = new grpc.Client(
    `127.0.0.1:${target.grpcPort}`,
    grpc.credentials.createInsecure(),
    { "grpc.use_local_subchannel_pool": 1, "grpc.max_send_message_length": -1 },
  );
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(target.headers ?? {})) metadata.set(key, value);
  try {
    return await new Promise<OtlpOutcome>((resolve) => {
      client.makeUnaryRequest(
        SERVICE[signal],
        (message: Buffer) => message,
        (response: Buffer) => response,
        Buffer.from(bytes),
        metadata,
        { deadline: Date.now() + 60_000 },
        (error) =>
          resolve(
            error
              ? {
                accepted: false,
                code: GRPC_CODE_NAMES[error.code] ?? String(error.code),
                status: error.code,
                // connect-node percent-encodes grpc-message with encodeURIComponent, and
                // grpc-js decodes it with decodeURI, which leaves `%2C`, `%3A`... as they are.
                message: safeDecode(error.details),
              }
              : { accepted: true, code: "ok", status: 0, message: "" },
          ),
      );
    });
  } finally {
    client.close();
  }
}

function httpStatusCode(status: number): string {
  switch (status) {
    case 200:
      return "ok";
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 413:
      return "resource_exhausted";
    case 415:
      return "unimplemented";
    case 503:
      return "unavailable";
    default:
      return `http ${status}`;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
