/**
 * The one message for a request body over the collector's size limit (HTTP 413,
 * `resource_exhausted`), whichever check finds it: a declared Content-Length, the upload, or
 * decompression (`afterDecompression`). It says what the limit is and where to change it.
 *
 * @example
 * ```ts
 * import { bodyTooLargeMessage } from "./body_too_large_message.ts";
 * bodyTooLargeMessage(1024, false);
 * // "Request body is larger than the limit of 1024 bytes (collector.max_request_bytes in the policy): send smaller batches"
 * ```
 */
export function bodyTooLargeMessage(maxBytes: number, afterDecompression: boolean): string {
  return `Request body is larger than the limit of ${maxBytes} bytes` +
    (afterDecompression ? " after decompression" : "") +
    " (collector.max_request_bytes in the policy): send smaller batches";
}
