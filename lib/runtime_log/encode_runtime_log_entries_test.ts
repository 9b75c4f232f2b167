import assert from "node:assert/strict";
import { encodeRuntimeLogEntries } from "./encode_runtime_log_entries.ts";

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("values are stringified, strings kept, each line newline-terminated", () => {
  assert.equal(
    decode(encodeRuntimeLogEntries("r.jsonl", [{ a: "x\ny" }, '{"b":2}', [1, 2]])),
    '{"a":"x\\ny"}\n{"b":2}\n[1,2]\n',
  );
  assert.equal(encodeRuntimeLogEntries("r.jsonl", []).length, 0);
});

Deno.test("an entry that would not be exactly one line is refused with its index", () => {
  assert.throws(() => encodeRuntimeLogEntries("r.jsonl", ["ok", "two\nlines"]), {
    name: "TypeError",
    message: /entry 1 must be a JSON value or a string without "\\n"/,
  });
  assert.throws(() => encodeRuntimeLogEntries("r.jsonl", [{ n: 1n }]), {
    name: "TypeError",
    message: /entry 0 cannot be encoded as JSON/,
  });
  assert.throws(
    () => encodeRuntimeLogEntries("r.jsonl", [{ toJSON: () => undefined }]),
    TypeError,
  );
  assert.throws(
    () => encodeRuntimeLogEntries("r.jsonl", "not an array" as unknown as string[]),
    /entries must be an array/,
  );
});
