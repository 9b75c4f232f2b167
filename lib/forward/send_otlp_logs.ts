/**
 * One OTLP/HTTP export request to a gateway, over node:http or node:https (which take a CA
 * file, a client certificate and a server name, where `fetch` takes none of the last). They and
 * node:zlib are loaded by the first request, not imported at the top: a static node: import is
 * hoisted into the bundle and would start Deno's Node compatibility layer in every process.
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import { concatBytes } from "../bytes/concat_bytes.ts";
import { ExportLogsServiceResponseSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

/** TLS material, already read from the files the policy names. */
export interface SendTls {
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
}

/** One export request. */
export interface SendRequest {
  url: string;
  body: Uint8Array;
  contentType: string;
  headers: Record<string, string>;
  tls: SendTls;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** What the gateway answered (a transport failure throws instead). */
export interface SendResponse {
  status: number;
  retryAfter: string | null;
  /** `partial_success.rejected_log_records` of a 2xx answer (0 when absent). */
  rejected: number;
  /** `partial_success.error_message`, or the error body's message for a failed answer. */
  message: string;
}

/**
 * POSTs `body` gzip-compressed and reads the answer: status, Retry-After, and a 2xx answer's
 * partial success (protobuf or JSON, as the response's content type says). Rejects on network
 * errors, timeouts (`timeoutMs` for the whole exchange) and aborts.
 */
export async function sendOtlpLogs(request: SendRequest): Promise<SendResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  const [{ request: sendRequest }, { gzipSync }] = await Promise.all([
    secure ? import("node:https") : import("node:http"),
    import("node:zlib"),
  ]);
  const compressed = gzipSync(request.body);
  return await new Promise<SendResponse>((resolve, reject) => {
    const options = {
      method: "POST",
      headers: {
        ...request.headers,
        "content-type": request.contentType,
        "content-encoding": "gzip",
        "content-length": String(compressed.length),
      },
      timeout: request.timeoutMs,
      ...(secure
        ? {
          ca: request.tls.ca,
          cert: request.tls.cert,
          key: request.tls.key,
          servername: request.tls.serverName,
        }
        : {}),
    };
    const req = sendRequest(url, options, (res) => {
      const chunks: Uint8Array[] = [];
      res.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const body = concatBytes(chunks);
        const type = String(res.headers["content-type"] ?? "");
        resolve({
          status,
          retryAfter: typeof res.headers["retry-after"] === "string"
            ? res.headers["retry-after"]
            : null,
          ...readAnswer(status, type, body),
        });
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    const abort = () => req.destroy(new Error("stopped"));
    request.signal?.addEventListener("abort", abort, { once: true });
    req.on("error", (error) => {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", abort);
      reject(error);
    });
    req.on("close", () => request.signal?.removeEventListener("abort", abort));
    req.end(compressed);
  });
}

function readAnswer(
  status: number,
  type: string,
  body: Uint8Array,
): { rejected: number; message: string } {
  try {
    if (status >= 200 && status < 300) {
      if (body.length === 0) return { rejected: 0, message: "" };
      if (type.includes("json")) {
        const json = JSON.parse(new TextDecoder().decode(body));
        const partial = json?.partialSuccess ?? json?.partial_success ?? {};
        return {
          rejected: Number(partial.rejectedLogRecords ?? partial.rejected_log_records ?? 0) || 0,
          message: String(partial.errorMessage ?? partial.error_message ?? ""),
        };
      }
      const response = fromBinary(ExportLogsServiceResponseSchema, body);
      return {
        rejected: Number(response.partialSuccess?.rejectedLogRecords ?? 0n),
        message: response.partialSuccess?.errorMessage ?? "",
      };
    }
    if (type.includes("json")) {
      const json = JSON.parse(new TextDecoder().decode(body));
      return { rejected: 0, message: String(json?.message ?? "").slice(0, 300) };
    }
    const text = new TextDecoder().decode(body.subarray(0, 300));
    // A google.rpc.Status in protobuf: its message is field 2; show the printable part.
    return { rejected: 0, message: text.replace(/[^\x20-\x7e]+/g, " ").trim() };
  } catch {
    return { rejected: 0, message: "" };
  }
}
