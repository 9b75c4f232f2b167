/**
 * The binary Export request whose field 1 holds `groups` in order: the inverse of reading a
 * request as `beacon.otlp.v1.RawExportRequest` (field 1 of every OTLP Export request is its
 * repeated resource group). Unknown top-level fields are not kept (no OTLP request has any).
 *
 * @example
 * ```ts
 * import { joinRawExportRequest } from "./join_raw_export_request.ts";
 * joinRawExportRequest([new Uint8Array([0x12, 0x00])]); // [0x0a, 0x02, 0x12, 0x00]
 * ```
 */
export function joinRawExportRequest(groups: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const group of groups) size += 1 + varintSize(group.byteLength) + group.byteLength;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const group of groups) {
    bytes[at++] = 0x0a; // field 1, length-delimited
    let length = group.byteLength;
    while (length > 0x7f) {
      bytes[at++] = (length & 0x7f) | 0x80;
      length >>>= 7;
    }
    bytes[at++] = length;
    bytes.set(group, at);
    at += group.byteLength;
  }
  return bytes;
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value >>>= 7;
    size++;
  }
  return size;
}
