import type { OtlpEncoding } from "./otlp_signal.ts";

/**
 * The OTLP encoding a `Content-Type` header value names, or undefined if it names none (the
 * server answers 415). Case-insensitive; parameters are allowed, but a JSON `charset` must be
 * UTF-8 (OTLP/JSON is always UTF-8).
 *
 * - `application/x-protobuf`, `application/protobuf` -> `"protobuf"`
 * - `application/json` -> `"json"`
 *
 * @example
 * ```ts
 * import { otlpEncodingOfContentType } from "./otlp_encoding_of_content_type.ts";
 * otlpEncodingOfContentType("Application/JSON; charset=utf-8"); // "json"
 * otlpEncodingOfContentType("text/plain"); // undefined
 * ```
 */
export function otlpEncodingOfContentType(contentType: string | null): OtlpEncoding | undefined {
  if (contentType === null) return undefined;
  const [mediaType, ...parameters] = contentType.split(";");
  switch (mediaType.trim().toLowerCase()) {
    case "application/x-protobuf":
    case "application/protobuf":
      return "protobuf";
    case "application/json":
      return parameters.every(isUtf8OrNotCharset) ? "json" : undefined;
    default:
      return undefined;
  }
}

function isUtf8OrNotCharset(parameter: string): boolean {
  const equals = parameter.indexOf("=");
  const name = parameter.slice(0, equals === -1 ? undefined : equals).trim().toLowerCase();
  if (name !== "charset") return true;
  const value = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
  return value === "utf-8" || value === "utf8";
}
