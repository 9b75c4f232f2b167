import assert from "node:assert/strict";
import { otlpEncodingOfContentType } from "./otlp_encoding_of_content_type.ts";

Deno.test("otlpEncodingOfContentType names protobuf and JSON, case-insensitively", () => {
  assert.equal(otlpEncodingOfContentType("application/x-protobuf"), "protobuf");
  assert.equal(otlpEncodingOfContentType("application/protobuf"), "protobuf");
  assert.equal(otlpEncodingOfContentType(" Application/X-Protobuf ; foo=bar"), "protobuf");
  assert.equal(otlpEncodingOfContentType("application/json"), "json");
  assert.equal(otlpEncodingOfContentType("application/JSON;charset=UTF-8"), "json");
  assert.equal(otlpEncodingOfContentType('application/json; charset="utf8"'), "json");
  assert.equal(otlpEncodingOfContentType("application/json; boundary=x"), "json");
});

Deno.test("otlpEncodingOfContentType names nothing for other types and charsets", () => {
  for (
    const contentType of [
      null,
      "",
      "text/plain",
      "application/grpc",
      "application/grpc+proto",
      "application/json; charset=iso-8859-1",
      "application/jsonx",
      "json",
    ]
  ) {
    assert.equal(otlpEncodingOfContentType(contentType), undefined, String(contentType));
  }
});
