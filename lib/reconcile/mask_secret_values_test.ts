import assert from "node:assert/strict";
import { maskSecretValues } from "./mask_secret_values.ts";

Deno.test("maskSecretValues: secret names keep their scheme; every header value is masked", () => {
  assert.deepEqual(
    maskSecretValues({
      "otlp-http": {
        endpoint: "https://otel.example.com/v1/logs",
        headers: { authorization: "Bearer abc", "x-honeycomb-team": "def", "x-n": ["ghi"] },
      },
      api_key: "jkl",
      tokens: ["mno"],
      port: 4318,
      tokenCheck: true,
    }),
    {
      "otlp-http": {
        endpoint: "https://otel.example.com/v1/logs",
        headers: { authorization: "Bearer ****", "x-honeycomb-team": "****", "x-n": ["****"] },
      },
      api_key: "****",
      tokens: ["****"],
      port: 4318,
      tokenCheck: true,
    },
  );
  assert.deepEqual(maskSecretValues({ "x-team": "abc" }, "headers"), { "x-team": "****" });
  assert.equal(maskSecretValues("authorization=Basic abc", "OTEL_EXPORTER_OTLP_HEADERS"), "****");
  assert.equal(maskSecretValues("http://127.0.0.1:4318", "endpoint"), "http://127.0.0.1:4318");
});
