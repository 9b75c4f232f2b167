import assert from "node:assert/strict";
import { fromBinary, fromJsonString } from "@bufbuild/protobuf";
import { encodeOtlpResponse, encodeOtlpStatus } from "./encode_otlp_response.ts";
import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
import { ExportLogsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportMetricsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import { ExportTraceServiceResponseSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { OTLP_SIGNALS } from "./otlp_signal.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("encodeOtlpResponse writes an empty success response in each encoding", () => {
  for (const signal of OTLP_SIGNALS) {
    const protobuf = encodeOtlpResponse(signal, "protobuf");
    assert.equal(protobuf.contentType, "application/x-protobuf");
    assert.equal(protobuf.body.byteLength, 0);
    const json = encodeOtlpResponse(signal, "json");
    assert.equal(json.contentType, "application/json");
    assert.equal(text(json.body), "{}");
  }
});

Deno.test("encodeOtlpResponse names the rejected count after the signal in JSON", () => {
  const partial = { rejected: 3, message: "3 records were over the size limit" };
  assert.equal(
    text(encodeOtlpResponse("logs", "json", partial).body),
    '{"partialSuccess":{"rejectedLogRecords":"3",' +
      '"errorMessage":"3 records were over the size limit"}}',
  );
  assert.match(text(encodeOtlpResponse("traces", "json", partial).body), /"rejectedSpans":"3"/);
  assert.match(
    text(encodeOtlpResponse("metrics", "json", partial).body),
    /"rejectedDataPoints":"3"/,
  );
});

Deno.test("encodeOtlpResponse round-trips partial success through protobuf and JSON", () => {
  const partial = { rejected: 2 ** 40, message: "too many" };
  const logs = encodeOtlpResponse("logs", "protobuf", partial);
  const decodedLogs = fromBinary(ExportLogsServiceResponseSchema, logs.body);
  assert.equal(decodedLogs.partialSuccess?.rejectedLogRecords, 2n ** 40n);
  assert.equal(decodedLogs.partialSuccess?.errorMessage, "too many");

  const spans = fromBinary(
    ExportTraceServiceResponseSchema,
    encodeOtlpResponse("traces", "protobuf", partial).body,
  );
  assert.equal(spans.partialSuccess?.rejectedSpans, 2n ** 40n);

  const points = fromJsonString(
    ExportMetricsServiceResponseSchema,
    text(encodeOtlpResponse("metrics", "json", partial).body),
  );
  assert.equal(points.partialSuccess?.rejectedDataPoints, 2n ** 40n);
});

Deno.test("encodeOtlpResponse keeps a warning-only partial success (rejected 0)", () => {
  const body = encodeOtlpResponse("logs", "protobuf", { rejected: 0, message: "U+FFFD used" });
  const decoded = fromBinary(ExportLogsServiceResponseSchema, body.body);
  assert.equal(decoded.partialSuccess?.rejectedLogRecords, 0n);
  assert.equal(decoded.partialSuccess?.errorMessage, "U+FFFD used");
});

Deno.test("encodeOtlpResponse refuses a rejected count that is not a count", () => {
  for (const rejected of [-1, 1.5, NaN, Infinity]) {
    assert.throws(
      () => encodeOtlpResponse("logs", "json", { rejected, message: "" }),
      RangeError,
    );
  }
});

Deno.test("encodeOtlpStatus writes a google.rpc.Status in each encoding", () => {
  const message = "Cannot decode protobuf logs request: premature EOF";
  const json = encodeOtlpStatus("json", 3, message);
  assert.equal(json.contentType, "application/json");
  assert.deepEqual(JSON.parse(text(json.body)), { code: 3, message });

  const protobuf = encodeOtlpStatus("protobuf", 8, "slow down");
  assert.equal(protobuf.contentType, "application/x-protobuf");
  const decoded = fromBinary(StatusSchema, protobuf.body);
  assert.equal(decoded.code, 8);
  assert.equal(decoded.message, "slow down");
  assert.deepEqual(decoded.details, []);
});

Deno.test("the hand-written bodies are byte for byte what the generated schemas write", async () => {
  const fc = (await import("fast-check")).default;
  const { create, toBinary, toJsonString } = await import("@bufbuild/protobuf");
  const { ExportTraceServiceResponseSchema } = await import(
    "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts"
  );
  fc.assert(
    fc.property(
      fc.integer({ min: -5, max: 2 ** 31 - 1 }),
      fc.string({ unit: "grapheme" }),
      fc.nat(),
      (code, message, rejected) => {
        const status = create(StatusSchema, { code, message });
        assert.deepEqual(
          encodeOtlpStatus("protobuf", code, message).body,
          toBinary(StatusSchema, status),
        );
        assert.equal(
          new TextDecoder().decode(encodeOtlpStatus("json", code, message).body),
          toJsonString(StatusSchema, status),
        );
        const response = create(ExportTraceServiceResponseSchema, {
          partialSuccess: { rejectedSpans: BigInt(rejected), errorMessage: message },
        });
        const ours = encodeOtlpResponse("traces", "protobuf", { rejected, message });
        assert.deepEqual(ours.body, toBinary(ExportTraceServiceResponseSchema, response));
        assert.equal(
          new TextDecoder().decode(
            encodeOtlpResponse("traces", "json", { rejected, message }).body,
          ),
          toJsonString(ExportTraceServiceResponseSchema, response),
        );
      },
    ),
  );
});
