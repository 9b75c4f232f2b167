/**
 * Base64url without padding (RFC 4648 §5): safe in URLs and cookies as it is.
 *
 * @example
 * ```ts
 * import { encodeBase64Url } from "./encode_base64_url.ts";
 * encodeBase64Url(new Uint8Array([251, 255])); // "-_8"
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
