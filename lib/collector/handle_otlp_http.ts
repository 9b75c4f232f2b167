import { bodyTooLargeMessage } from "../otlp/body_too_large_message.ts";
import type { Http1Request, Http1Response } from "../http1/serve_http1.ts";
import { decodeOtlpLogsFast } from "../otlp/decode_otlp_logs_fast.ts";
import { encodeOtlpResponse, encodeOtlpStatus } from "../otlp/encode_otlp_response.ts";
import type { OtlpEncoding, OtlpSignal } from "../otlp/otlp_signal.ts";
import type { ExportPipeline } from "./export_pipeline.ts";
import { isAuthorized } from "./is_authorized.ts";
import { exportBatchOf } from "./export_batch.ts";

/** google.rpc.Code values used in error bodies. */
const RPC = {
  invalidArgument: 3,
  notFound: 5,
  resourceExhausted: 8,
  unimplemented: 12,
  unavailable: 14,
  unauthenticated: 16,
} as const;

const SIGNAL_PATHS: Record<string, OtlpSignal> = {
  "/v1/logs": "logs",
  "/v1/traces": "traces",
  "/v1/metrics": "metrics",
};

/** How long a client should wait before retrying when the runtime log is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** Options of {@link handleOtlpHttp}. */
export interface OtlpHttpOptions {
  pipeline: ExportPipeline;
  token?: string;
  /** Largest body, measured after decompression (and before it, for the raw upload). */
  maxBytes: number;
  now?: () => Date;
}

/**
 * OTLP/HTTP (`POST /v1/logs|traces|metrics`, protobuf or JSON, plain or gzip) per the OTLP
 * specification: 200 with an empty Export response in the request's encoding once the events
 * are durable; 400 undecodable, 401 missing or wrong token (nothing is read or written), 404
 * unknown path, 405 wrong method, 413 too large (after decompression), 415 unsupported content
 * type or encoding, 503 with `Retry-After` when the runtime log cannot take writes. Error bodies
 * are `google.rpc.Status` in the request's encoding. Returns false for paths that are not OTLP
 * (the caller serves those).
 */
export async function handleOtlpHttp(
  request: Http1Request,
  options: OtlpHttpOptions,
): Promise<Http1Response | undefined | false> {
  const signal = SIGNAL_PATHS[request.path];
  if (!signal) return false;
  const encoding = statusEncodingOf(request);
  if (request.method !== "POST") {
    return statusResponse(
      405,
      encoding,
      RPC.unimplemented,
      `Method ${request.method} is not allowed on ${request.path}: send POST`,
      { allow: "POST" },
    );
  }
  if (!isAuthorized(options.token, request.headers.get("authorization") ?? null)) {
    return statusResponse(
      401,
      encoding,
      RPC.unauthenticated,
      "Missing or wrong token: send `Authorization: Bearer <token>` as set in the policy",
      { "www-authenticate": 'Bearer realm="beacon"' },
    );
  }
  const read = await request.readBody(options.maxBytes);
  // Nothing to answer; the server counted the request as aborted.
  if (!read.ok && read.aborted) return undefined;
  if (!read.ok) {
    return statusResponse(
      413,
      encoding,
      RPC.resourceExhausted,
      bodyTooLargeMessage(options.maxBytes, false),
    );
  }
  const decodeOptions = {
    contentType: request.headers.get("content-type") ?? null,
    contentEncoding: request.headers.get("content-encoding") ?? null,
    maxBytes: options.maxBytes,
  };
  // Logs (Codex's telemetry, the hot path) decode straight into flat records.
  // Spans and metrics take the generated schemas, loaded on first use (not at start).
  const decoded = signal === "logs"
    ? await decodeOtlpLogsFast(read.body, decodeOptions)
    : await (await import("../otlp/decode_otlp_request.ts"))
      .decodeOtlpRequest(signal, read.body, decodeOptions);
  if (!decoded.ok) {
    const code = decoded.status === 413
      ? RPC.resourceExhausted
      : decoded.status === 415
      ? RPC.unimplemented
      : RPC.invalidArgument;
    return statusResponse(decoded.status, decoded.encoding ?? encoding, code, decoded.message);
  }
  const batch = "records" in decoded
    ? { signal: "logs" as const, records: decoded.records }
    : exportBatchOf(signal, decoded.request);
  const outcome = await options.pipeline.export(batch, options.now?.() ?? new Date());
  if (outcome.status === "unavailable") {
    return statusResponse(503, decoded.encoding, RPC.unavailable, outcome.message, {
      "retry-after": String(RETRY_AFTER_SECONDS),
    });
  }
  const warning = decoded.replacedInvalidStrings
    ? `${decoded.replacedInvalidStrings} string(s) held invalid UTF-8 and were stored with U+FFFD`
    : undefined;
  const partial = outcome.rejected
    ? { rejected: outcome.rejected, message: outcome.message ?? "" }
    : warning
    ? { rejected: 0, message: warning }
    : undefined;
  const { body, contentType } = encodeOtlpResponse(signal, decoded.encoding, partial);
  return { status: 200, headers: { "content-type": contentType }, body };
}

/**
 * The encoding of an error body for `request`: JSON when its content type names JSON, else
 * protobuf (an unknown or missing type included).
 */
export function statusEncodingOf(request: Http1Request): OtlpEncoding {
  return /json/i.test(request.headers.get("content-type") ?? "") ? "json" : "protobuf";
}

/**
 * A google.rpc.Status error response in the request's encoding. A request whose body was not
 * read ends its connection (the server does that on its own).
 */
export function statusResponse(
  status: number,
  encoding: OtlpEncoding,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Http1Response {
  const { body, contentType } = encodeOtlpStatus(encoding, code, message);
  return { status, headers: { ...headers, "content-type": contentType }, body };
}

export { RPC as RPC_CODES };
