import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { joinRawExportRequest } from "./join_raw_export_request.ts";
import { RawExportRequestSchema } from "./gen/beacon/otlp/v1/raw_export_pb.ts";
import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

Deno.test("joinRawExportRequest gives back the request read as RawExportRequest, byte for byte", () => {
  const request = create(ExportLogsServiceRequestSchema, {
    resourceLogs: [
      { scopeLogs: [{ logRecords: [{ severityText: "x".repeat(300) }] }] },
      {},
      { resource: { attributes: [{ key: "k" }] } },
    ],
  });
  const bytes = toBinary(ExportLogsServiceRequestSchema, request);
  const raw = fromBinary(RawExportRequestSchema, bytes);
  assert.equal(raw.resourceGroups.length, 3);
  assert.deepEqual(joinRawExportRequest(raw.resourceGroups), bytes);
  assert.deepEqual(joinRawExportRequest([]), new Uint8Array());
});
