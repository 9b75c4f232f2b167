import { hashContent } from "../content/hash_content.ts";
import { sha256Words } from "../content/sha256_words.ts";
import { wordsToHex } from "../content/words_to_hex.ts";

/** SHA-256 of bytes or text (as UTF-8), as lowercase hex. */
export function sha256Hex(data: Uint8Array | string): string {
  if (typeof data === "string") return hashContent(data);
  return wordsToHex(sha256Words(data, data.length));
}
