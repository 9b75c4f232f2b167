import { decodeOtlpRequest } from "../decode_otlp_request.ts";
const enc = (s: string) => new TextEncoder().encode(s);
for (const t of ['1700000000000000000', '1.7e18', '"1.7e18"', '18446744073709551616', '"0x10"', '" 12"', '12.0', '"12.0"']) {
  const r = await decodeOtlpRequest("logs", enc(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":${t}}]}]}]}`), { contentType: "application/json", contentEncoding: null, maxBytes: 1e6 });
  console.log(t, r.ok ? r.request.resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano : r.message);
}
