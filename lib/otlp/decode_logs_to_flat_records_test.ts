import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  create,
  type DescMessage,
  fromBinary,
  type MessageInitShape,
  ScalarType,
  toBinary,
} from "@bufbuild/protobuf";
import fc from "fast-check";
import { decodeLogsToFlatRecords } from "./decode_logs_to_flat_records.ts";
import { decodeOtlpLogsFast } from "./decode_otlp_logs_fast.ts";
import { decodeOtlpRequest, type DecodeOtlpRequestOptions } from "./decode_otlp_request.ts";
import { type FlatLogRecord, flattenLogRecords } from "./flatten_log_records.ts";
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { OTLP_RECURSION_LIMIT } from "./otlp_signal.ts";
import { repairProtobufUtf8 } from "./repair_protobuf_utf8.ts";

// --- Helpers ----------------------------------------------------------------------------------

const PROTOBUF: DecodeOtlpRequestOptions = {
  contentType: "application/x-protobuf",
  contentEncoding: null,
  maxBytes: Number.MAX_SAFE_INTEGER,
};
const CAPTURES = new URL("../../fixtures/codex-0.169/runs/", import.meta.url);
const utf8 = (text: string) => new TextEncoder().encode(text);

type Decoded =
  | { ok: true; records: FlatLogRecord[]; replacedInvalidStrings: number }
  | { ok: false; message: string };

/** The existing path: decodeOtlpRequest (fromBinary, repairing invalid UTF-8), then flatten. */
async function reference(bytes: Uint8Array): Promise<Decoded> {
  const decoded = await decodeOtlpRequest("logs", bytes, PROTOBUF);
  if (!decoded.ok) return { ok: false, message: decoded.message };
  return {
    ok: true,
    records: flattenLogRecords(decoded.request),
    replacedInvalidStrings: decoded.replacedInvalidStrings,
  };
}

const stringify = (value: unknown) =>
  JSON.stringify(value, (_key, v) => typeof v === "bigint" ? `${v}n` : v);

/** Equal values, and the same key order everywhere (which deepStrictEqual does not check). */
function assertSameRecords(actual: FlatLogRecord[], expected: FlatLogRecord[]): void {
  assert.deepStrictEqual(actual, expected);
  assert.equal(stringify(actual), stringify(expected));
}

function decodeOk(bytes: Uint8Array, recursionLimit?: number): FlatLogRecord[] {
  const result = decodeLogsToFlatRecords(bytes, { recursionLimit });
  assert.ok(result.ok, !result.ok ? result.message : "");
  return result.records;
}

/**
 * Why this decoder may refuse what fromBinary accepts (see its documentation): a known field
 * with the wrong wire type, a field running past its enclosing message, a group, a varint
 * longer than 10 bytes, a length of 2^32 or more.
 */
const STRICTER_THAN_FROM_BINARY =
  /wrong wire type|runs past the end of its enclosing message|unsupported group|varint longer than 10 bytes|length (\d{10,}|[\d.]+e\+\d+)/;

/** The new decoder never throws, and agrees with the existing one (see above for refusals). */
async function assertAgrees(bytes: Uint8Array): Promise<void> {
  let mine: Decoded;
  try {
    mine = decodeLogsToFlatRecords(bytes);
  } catch (error) {
    assert.fail(`decodeLogsToFlatRecords threw ${error}`);
  }
  const expected = await reference(bytes);
  if (mine.ok && expected.ok) {
    assertSameRecords(mine.records, expected.records);
    assert.equal(mine.replacedInvalidStrings, expected.replacedInvalidStrings);
  } else if (expected.ok) {
    assert.ok(!mine.ok);
    assert.match(mine.message, STRICTER_THAN_FROM_BINARY);
  } else if (mine.ok) {
    // decodeOtlpRequest's repair of invalid UTF-8 takes only lengths of up to 5 bytes
    // (varints padded with 0x80 bytes are valid protobuf, and fromBinary reads them).
    assert.ok(
      mine.replacedInvalidStrings > 0 && repairFails(bytes),
      `accepted what decodeOtlpRequest refuses: ${expected.message}`,
    );
  }
}

function repairFails(bytes: Uint8Array): boolean {
  try {
    repairProtobufUtf8(ExportLogsServiceRequestSchema, bytes, OTLP_RECURSION_LIMIT);
    return false;
  } catch {
    return true;
  }
}

// A minimal protobuf writer, for bytes that toBinary does not write.

function varint(value: bigint | number): number[] {
  let n = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (n >= 0x80n) {
    bytes.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  bytes.push(Number(n));
  return bytes;
}

function concat(parts: readonly (Uint8Array | number[])[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

const tag = (field: number, wireType: number) => varint(field * 8 + wireType);
const len = (field: number, ...payload: (Uint8Array | number[])[]) => {
  const body = concat(payload);
  return concat([tag(field, 2), varint(body.length), body]);
};
const str = (field: number, text: string) => len(field, utf8(text));
const varintField = (field: number, value: bigint | number) =>
  concat([tag(field, 0), varint(value)]);
const fixed64 = (field: number, value: bigint) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return concat([tag(field, 1), bytes]);
};
const fixed32 = (field: number, value: number) => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return concat([tag(field, 5), bytes]);
};

/** A request with one resource, one scope and the given log record fields. */
function requestWith(...logRecordFields: Uint8Array[]): Uint8Array {
  return len(1, len(2, len(2, ...logRecordFields)));
}
const keyValue = (key: string, ...anyValueFields: Uint8Array[]) =>
  concat([str(1, key), len(2, ...anyValueFields)]);
const attribute = (key: string, ...anyValueFields: Uint8Array[]) =>
  len(6, keyValue(key, ...anyValueFields));

// --- Real captures ----------------------------------------------------------------------------

async function logsCaptures(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const captures = [];
  for (const run of [...Deno.readDirSync(CAPTURES)].map((entry) => entry.name).sort()) {
    for (const entry of Deno.readDirSync(new URL(`${run}/`, CAPTURES))) {
      const match = entry.name.match(/^\d+-(?:http|grpc)-logs\.(pb|json)$/);
      if (!match) continue;
      const body = Deno.readFileSync(new URL(`${run}/${entry.name}`, CAPTURES));
      if (match[1] === "pb") {
        captures.push({ name: `${run}/${entry.name}`, bytes: body });
        continue;
      }
      const decoded = await decodeOtlpRequest("logs", body, {
        ...PROTOBUF,
        contentType: "application/json",
      });
      assert.ok(decoded.ok, entry.name);
      const request = decoded.request as ExportLogsServiceRequest;
      const bytes = toBinary(ExportLogsServiceRequestSchema, request);
      captures.push({ name: `${run}/${entry.name} (as protobuf)`, bytes });
    }
  }
  return captures;
}

Deno.test("decodeLogsToFlatRecords gives what fromBinary and flattenLogRecords give for every Codex logs capture", async () => {
  const captures = await logsCaptures();
  assert.ok(captures.length >= 9, `${captures.length} captures`);
  let records = 0;
  for (const { name, bytes } of captures) {
    const expected = flattenLogRecords(fromBinary(ExportLogsServiceRequestSchema, bytes));
    const result = decodeLogsToFlatRecords(bytes);
    assert.ok(result.ok, `${name}: ${!result.ok && result.message}`);
    assertSameRecords(result.records, expected);
    assert.equal(result.replacedInvalidStrings, 0);
    // Twice: the second time, keys come from the string table.
    assertSameRecords(decodeOk(bytes), expected);
    records += expected.length;
  }
  assert.ok(records > 400, `${records} records`);
});

Deno.test("decodeLogsToFlatRecords shares one frozen resource and scope among a group's records", () => {
  const bytes = len(
    1,
    len(1, len(1, keyValue("service.name", str(1, "codex"))), len(1, keyValue("nested", len(6)))),
    len(2, len(1, str(1, "codex_otel")), len(2), len(2)),
  );
  const [a, b] = decodeOk(bytes);
  assert.deepEqual(a.resource, { "service.name": "codex", nested: {} });
  // One object per group, not a copy per record (a copy made a 123 KB request cost 4.4 GB).
  assert.equal(a.resource, b.resource);
  assert.equal(a.scope, b.scope);
  assert.ok(Object.isFrozen(a.resource) && Object.isFrozen(a.resource.nested), "deep-frozen");
  assert.ok(Object.isFrozen(a.scope));
  assert.throws(() => {
    (a.resource as Record<string, unknown>)["service.name"] = "changed";
  }, TypeError);
  assert.deepEqual(b.scope, { name: "codex_otel", version: "" });
});

Deno.test("decodeLogsToFlatRecords copies a resource attribute named __proto__ as its own", () => {
  const bytes = len(
    1,
    len(1, len(1, keyValue("__proto__", str(1, "p"))), len(1, keyValue("a", len(5)))),
    len(2, len(2), len(2)),
  );
  for (const { resource } of decodeOk(bytes)) {
    assert.deepEqual(Object.keys(resource), ["__proto__", "a"]);
    assert.equal(Object.getPrototypeOf(resource), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(resource, "__proto__")?.value, "p");
  }
});

Deno.test("decodeLogsToFlatRecords gives the right strings however many collide in its string table", async () => {
  // 6,000 distinct short keys and values, of few lengths: many share a table entry.
  const attributes = Array.from({ length: 6000 }, (_, i) => {
    const text = (i * 7919).toString(36).padStart(i % 3 + 4, "-");
    return attribute(`k${text}`, str(1, text.slice(1)));
  });
  const bytes = requestWith(...attributes);
  const expected = await reference(bytes);
  assert.ok(expected.ok);
  for (let round = 0; round < 3; round++) assertSameRecords(decodeOk(bytes), expected.records);
  const fixture = Deno.readFileSync(new URL("02-http-binary-logs/0072-http-logs.pb", CAPTURES));
  const fixtureRecords = flattenLogRecords(fromBinary(ExportLogsServiceRequestSchema, fixture));
  assertSameRecords(decodeOk(fixture), fixtureRecords);
  assertSameRecords(decodeOk(bytes), expected.records);
  assertSameRecords(decodeOk(fixture), fixtureRecords);
});

// --- Hand-made messages -----------------------------------------------------------------------

Deno.test("decodeLogsToFlatRecords reads every field of a log record", async () => {
  const bytes = requestWith(
    fixed64(1, 5n),
    fixed64(11, 1795606969169053809n),
    varintField(2, 9),
    str(3, "INFO"),
    len(5, str(1, "hello")),
    attribute("int", varintField(3, -1n)),
    attribute("big", varintField(3, 2n ** 60n)),
    attribute("min", varintField(3, -(2n ** 53n))),
    attribute("safe", varintField(3, -(2n ** 53n) + 1n)),
    attribute("double", fixed64(4, 0x7ff0000000000000n)), // Infinity
    attribute("bool", varintField(2, 1)),
    attribute("bytes", len(7, [0xff, 0x00, 0x61])),
    attribute("strindex", varintField(8, 3)),
    attribute("empty"),
    attribute("array", len(5, len(1, str(1, "a")), len(1), len(1, varintField(2, 0)))),
    attribute("kvlist", len(6, len(1, keyValue("k", str(1, "v"))))),
    varintField(7, 3),
    fixed32(8, 1),
    len(9, [0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0, 1, 2, 3, 4, 5, 6, 0xff]),
    len(10, [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]),
    str(12, "event otel/src/events/session_telemetry.rs:1200"),
  );
  assert.deepEqual(decodeOk(bytes), [{
    timeUnixNano: 5n,
    observedTimeUnixNano: 1795606969169053809n,
    severityNumber: 9,
    severityText: "INFO",
    body: "hello",
    attributes: {
      int: -1,
      big: "1152921504606846976",
      min: "-9007199254740992",
      safe: -9007199254740991,
      double: "Infinity",
      bool: true,
      bytes: "/wBh",
      strindex: null,
      empty: null,
      array: ["a", null, false],
      kvlist: { k: "v" },
    },
    resource: {},
    scope: { name: "", version: "" },
    traceId: "4bf92f3577b34da600010203040506ff",
    spanId: "00f067aa0ba902b7",
    eventName: "event otel/src/events/session_telemetry.rs:1200",
  }]);
  await assertAgrees(bytes);
});

Deno.test("decodeLogsToFlatRecords decodes an empty body as no records", () => {
  assert.deepEqual(decodeLogsToFlatRecords(new Uint8Array(0)), {
    ok: true,
    records: [],
    replacedInvalidStrings: 0,
  });
});

Deno.test("decodeLogsToFlatRecords keeps the first place of a duplicate key and the last value", async () => {
  const bytes = requestWith(
    attribute("b", str(1, "1")),
    attribute("a", str(1, "2")),
    attribute("10", str(1, "3")),
    attribute("b", str(1, "4")),
    attribute("__proto__", str(1, "5")),
    attribute("2", str(1, "6")),
  );
  const [record] = decodeOk(bytes);
  assert.deepEqual(Object.keys(record.attributes), ["2", "10", "b", "a", "__proto__"]);
  assert.equal(record.attributes.b, "4");
  assert.ok(Object.hasOwn(record.attributes, "__proto__"));
  assert.equal(Object.getPrototypeOf(record.attributes), Object.prototype);
  await assertAgrees(bytes);
});

Deno.test("decodeLogsToFlatRecords merges repeated singular message fields as fromBinary does", async () => {
  const cases: { bytes: Uint8Array; check: (records: FlatLogRecord[]) => void }[] = [
    {
      // Two bodies with an arrayValue each: one array.
      bytes: requestWith(
        len(5, len(5, len(1, str(1, "a")))),
        len(5, len(5, len(1, str(1, "b")), len(1, varintField(3, 7)))),
      ),
      check: ([record]) => assert.deepEqual(record.body, ["a", "b", 7]),
    },
    {
      // An empty second body keeps the first; another case replaces it.
      bytes: requestWith(len(5, str(1, "a")), len(5)),
      check: ([record]) => assert.equal(record.body, "a"),
    },
    {
      bytes: requestWith(
        len(5, len(5, len(1, str(1, "a")))),
        len(5, str(1, "x")),
        len(5, len(5, len(1, str(1, "b")))),
      ),
      check: ([record]) => assert.deepEqual(record.body, ["b"]),
    },
    {
      // Within one AnyValue, too: two arrayValue fields merge, a kvlist after a string replaces.
      bytes: requestWith(
        len(5, len(5, len(1, str(1, "a"))), len(5, len(1, str(1, "b")))),
        attribute("kv", str(1, "s"), len(6, len(1, keyValue("k", str(1, "v"))))),
      ),
      check: ([record]) => {
        assert.deepEqual(record.body, ["a", "b"]);
        assert.deepEqual(record.attributes.kv, { k: "v" });
      },
    },
    {
      // A KeyValue with two kvlist values: one object, the last duplicate key wins.
      bytes: requestWith(
        len(
          6,
          str(1, "kv"),
          len(2, len(6, len(1, keyValue("a", str(1, "1"))), len(1, keyValue("b", str(1, "2"))))),
          len(2, len(6, len(1, keyValue("a", str(1, "3"))), len(1, keyValue("c", str(1, "4"))))),
          len(2),
        ),
      ),
      check: ([record]) => {
        assert.deepEqual(record.attributes.kv, { a: "3", b: "2", c: "4" });
        assert.deepEqual(Object.keys(record.attributes.kv as object), ["a", "b", "c"]);
      },
    },
    {
      // Scope: name from the first, version from the second, given after the records.
      bytes: len(
        1,
        len(
          2,
          len(1, str(1, "first"), str(2, "1")),
          len(2, str(3, "x")),
          len(1, str(2, "2")),
        ),
      ),
      check: ([record]) => assert.deepEqual(record.scope, { name: "first", version: "2" }),
    },
    {
      // Resource: attributes of both, given after the scope logs.
      bytes: len(
        1,
        len(1, len(1, keyValue("a", str(1, "1")))),
        len(2, len(2, str(3, "x")), len(2, str(3, "y"))),
        len(1, len(1, keyValue("b", str(1, "2"))), len(1, keyValue("a", str(1, "3")))),
      ),
      check: (records) => {
        assert.equal(records.length, 2);
        for (const record of records) assert.deepEqual(record.resource, { a: "3", b: "2" });
      },
    },
    {
      // The last of a repeated scalar wins; a log record given as two pieces is one record.
      bytes: requestWith(
        str(3, "first"),
        fixed64(11, 1n),
        varintField(2, 5),
        str(3, "last"),
        fixed64(11, 2n),
        varintField(2, -1),
        len(9, [1]),
        len(9, [2]),
      ),
      check: ([record]) => {
        assert.equal(record.severityText, "last");
        assert.equal(record.observedTimeUnixNano, 2n);
        assert.equal(record.severityNumber, -1);
        assert.equal(record.traceId, "02");
      },
    },
  ];
  for (const { bytes, check } of cases) {
    check(decodeOk(bytes));
    const expected = await reference(bytes);
    assert.ok(expected.ok);
    assertSameRecords(decodeOk(bytes), expected.records);
  }
});

Deno.test("decodeLogsToFlatRecords skips unknown fields of every wire type at every level", async () => {
  const unknown = concat([
    varintField(13, 2n ** 64n - 1n), // 10 bytes
    fixed64(14, 12345n),
    len(15, utf8("not a string: \xff"), [0xff]),
    fixed32(16, 7),
    varintField(1000, 1),
    len(536870911, [1, 2, 3]), // the largest field number: a 5-byte tag
    len(99, len(1, len(1, [0xff, 0xff]))),
  ]);
  const bytes = concat([
    unknown,
    len(
      1,
      unknown,
      len(1, unknown, len(1, unknown, str(1, "k"), unknown, len(2, unknown, str(1, "v")))),
      len(
        2,
        unknown,
        len(1, unknown, str(1, "scope"), unknown),
        len(
          2,
          unknown,
          str(3, "INFO"),
          varintField(4, 1), // the reserved field 4
          unknown,
          len(5, unknown, len(5, unknown, len(1, unknown, varintField(3, 5)), unknown)),
          len(
            6,
            unknown,
            str(1, "a"),
            len(2, unknown, len(6, unknown, len(1, unknown, keyValue("b", str(1, "c"))))),
          ),
        ),
      ),
    ),
    unknown,
  ]);
  assert.deepEqual(decodeOk(bytes), [{
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: "INFO",
    body: [5],
    attributes: { a: { b: "c" } },
    resource: { k: "v" },
    scope: { name: "scope", version: "" },
    traceId: "",
    spanId: "",
    eventName: "",
  }]);
  await assertAgrees(bytes);
});

Deno.test("decodeLogsToFlatRecords refuses malformed messages with a short reason", async () => {
  const valid = requestWith(attribute("a", str(1, "b")), str(3, "INFO"));
  const cases: [Uint8Array, RegExp][] = [
    [valid.subarray(0, valid.length - 1), /^truncated message/],
    [Uint8Array.of(0x0a), /^truncated message at byte 1/],
    [Uint8Array.of(0x0a, 0x05, 0x12), /^truncated message: length 5 at byte 1/],
    [Uint8Array.of(0x0a, 0x80), /^truncated message at byte 1/],
    [Uint8Array.of(0x80), /^truncated message at byte 0/],
    [Uint8Array.of(0x00), /^invalid tag at byte 0: field number 0/],
    [Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), /^invalid tag at byte 0: longer than 32 bits/],
    [Uint8Array.of(0x0e), /^invalid wire type 6/],
    [Uint8Array.of(0x13, 0x14), /^unsupported group \(wire type 3\) in field 2/],
    [Uint8Array.of(0x0b, 0x0c), /^field 1 of ExportLogsServiceRequest has the wrong wire type 3/],
    [Uint8Array.of(0x7b, 0x7c), /^unsupported group \(wire type 3\) in field 15/],
    [Uint8Array.of(0x7c), /^unsupported group \(wire type 4\) in field 15/],
    [concat([tag(20, 0), Array(10).fill(0xff), [0]]), /^varint longer than 10 bytes at byte 2/],
    [Uint8Array.of(0x08, 0x01), /^field 1 of ExportLogsServiceRequest has the wrong wire type 0/],
    [requestWith(varintField(3, 1)), /^field 3 of LogRecord has the wrong wire type 0/],
    [requestWith(fixed32(1, 1)), /^field 1 of LogRecord has the wrong wire type 5/],
    [requestWith(len(6, len(2, varintField(1, 1)))), /^field 1 of AnyValue has the wrong/],
    // A KeyValue whose key runs on into the next attribute.
    [
      requestWith(concat([tag(6, 2), [3], tag(1, 2), [5], utf8("abc")])),
      /^length 5 at byte \d+ runs past the end of its enclosing message/,
    ],
    [requestWith(concat([tag(6, 2), [2], tag(2, 0)]), str(3, "x")), /wrong wire type|runs past/],
    [requestWith(concat([tag(1, 1), [1, 2, 3]])), /^truncated message at byte 7/],
  ];
  for (const [bytes, message] of cases) {
    const result = decodeLogsToFlatRecords(bytes);
    assert.ok(!result.ok, `accepted ${bytes}`);
    assert.match(result.message, message);
    assert.ok(result.message.length < 120, result.message);
    await assertAgrees(bytes);
  }
});

// --- UTF-8 ------------------------------------------------------------------------------------

Deno.test("decodeLogsToFlatRecords replaces invalid UTF-8 and counts it, as decodeOtlpRequest does", async () => {
  const bad = [0x61, 0xff, 0x62, 0xed, 0xa0, 0x80, 0xe2, 0x82]; // a, b, a surrogate, a cut sequence
  const badLong = concat([utf8("x".repeat(100)), bad]);
  const field = (number: number, bytes: Uint8Array | number[]) => len(number, bytes);
  const bytes = len(
    1,
    len(
      1,
      len(1, concat([field(1, bad), len(2, field(1, bad))])),
      len(3, field(1, bad), field(2, bad), field(3, bad), field(4, bad)), // an EntityRef
    ),
    field(3, bad), // ResourceLogs.schema_url
    len(
      2,
      len(1, field(1, bad), field(2, bad), len(3, str(1, "k"), len(2, field(1, bad)))),
      field(3, bad), // ScopeLogs.schema_url
      len(
        2,
        field(3, bad),
        field(12, badLong),
        len(5, len(5, len(1, field(1, badLong)))),
        len(6, field(1, bad), len(2, field(1, bad))),
        len(6, str(1, "ok"), len(2, field(1, bad), str(1, "replaced"))),
        len(6, str(1, "bytes"), len(2, len(7, bad))),
        len(6, str(1, "bom"), len(2, field(1, [0xef, 0xbb, 0xbf, 0x61]))),
        len(6, str(1, "fffd"), len(2, str(1, "\ufffd"))),
        len(6, str(1, "long fffd"), len(2, str(1, "\ufffd".repeat(40)))),
      ),
    ),
  );
  const result = decodeLogsToFlatRecords(bytes);
  assert.ok(result.ok);
  const expected = await reference(bytes);
  assert.ok(expected.ok);
  assert.equal(expected.replacedInvalidStrings, 17);
  assert.equal(result.replacedInvalidStrings, 17);
  assertSameRecords(result.records, expected.records);
  const [record] = result.records;
  const text = "a\ufffdb\ufffd\ufffd\ufffd\ufffd";
  assert.equal(record.severityText, text);
  assert.equal(record.attributes[text], text);
  assert.equal(record.attributes.ok, "replaced");
  assert.equal(record.attributes.bom, "\ufeffa");
  assert.equal(record.attributes.fffd, "\ufffd");
  assert.deepEqual(record.resource, { [text]: text });
  assert.deepEqual(record.scope, { name: text, version: text });
  assert.deepEqual(record.body, [`${"x".repeat(100)}${text}`]);
});

Deno.test("decodeLogsToFlatRecords decodes non-ASCII strings of every length", async () => {
  const texts = ["é", "日本語", "🎉", "a".repeat(63) + "é", "é".repeat(32), "🎉".repeat(17)];
  for (const text of texts) {
    for (const prefix of ["", "x", "xyz"]) {
      const value = prefix + text;
      const bytes = requestWith(attribute(value, str(1, value)), str(3, value));
      const [record] = decodeOk(bytes);
      assert.deepEqual(record.attributes, { [value]: value });
      assert.equal(record.severityText, value);
      await assertAgrees(bytes);
    }
  }
});

// --- Nesting ----------------------------------------------------------------------------------

/**
 * A request whose one log record's body nests `levels` arrayValues, so that the innermost
 * AnyValue is at depth 5 + 2 * levels (the request is 1). Built from the inside out in one
 * buffer, so that any depth is cheap.
 */
function nestedBody(levels: number, kvlist = false): Uint8Array {
  const buffer = new Uint8Array(levels * 24 + 64);
  let start = buffer.length;
  const prepend = (bytes: number[]) => {
    start -= bytes.length;
    buffer.set(bytes, start);
  };
  const wrap = (field: number) => {
    const length = buffer.length - start;
    prepend([...tag(field, 2), ...varint(length)]);
  };
  prepend([...tag(1, 2), 1, 0x78]); // AnyValue{string_value "x"}
  for (let i = 0; i < levels; i++) {
    if (kvlist) {
      wrap(2); // KeyValue.value
      prepend([...tag(1, 2), 1, 0x6b]); // KeyValue.key "k"
      wrap(1); // KeyValueList.values
      wrap(6); // AnyValue.kvlist_value
    } else {
      wrap(1); // ArrayValue.values
      wrap(5); // AnyValue.array_value
    }
  }
  wrap(5); // LogRecord.body
  wrap(2); // ScopeLogs.log_records
  wrap(2); // ResourceLogs.scope_logs
  wrap(1); // ExportLogsServiceRequest.resource_logs
  return buffer.subarray(start);
}

function fromBinaryAccepts(bytes: Uint8Array, recursionLimit: number): boolean {
  try {
    fromBinary(ExportLogsServiceRequestSchema, bytes, { recursionLimit });
    return true;
  } catch (error) {
    assert.match(String(error), /maximum recursion depth/);
    return false;
  }
}

Deno.test("decodeLogsToFlatRecords counts nesting as fromBinary does", () => {
  for (const kvlist of [false, true]) {
    for (let levels = 0; levels < 8; levels++) {
      const bytes = nestedBody(levels, kvlist);
      for (let limit = 1; limit < 30; limit++) {
        const result = decodeLogsToFlatRecords(bytes, { recursionLimit: limit });
        assert.equal(
          result.ok,
          fromBinaryAccepts(bytes, limit),
          `${levels} levels, limit ${limit}`,
        );
        if (!result.ok) assert.equal(result.message, `messages nest deeper than ${limit} levels`);
      }
    }
  }
  // At the default limit: the innermost AnyValue at depth 99, then 101.
  assert.ok(decodeLogsToFlatRecords(nestedBody(47)).ok);
  assert.ok(fromBinaryAccepts(nestedBody(47), OTLP_RECURSION_LIMIT));
  const tooDeep = decodeLogsToFlatRecords(nestedBody(48));
  assert.deepEqual(tooDeep, { ok: false, message: "messages nest deeper than 100 levels" });
  assert.ok(!fromBinaryAccepts(nestedBody(48), OTLP_RECURSION_LIMIT));
});

Deno.test("decodeLogsToFlatRecords does not overflow the stack whatever the limit", () => {
  const bytes = nestedBody(200_000);
  const result = decodeLogsToFlatRecords(bytes, { recursionLimit: Infinity });
  assert.deepEqual(result, { ok: false, message: "messages nest too deeply to decode" });
  // And it still works afterwards.
  assert.ok(decodeLogsToFlatRecords(nestedBody(1000), { recursionLimit: Infinity }).ok);
});

// --- Properties -------------------------------------------------------------------------------

const textArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "binary-ascii", minLength: 60, maxLength: 70 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom("", "\ufeffbom", "\ufffd", "é", "日本", "🎉", "\u0000"),
);
const keyArb = fc.oneof(
  fc.constantFrom("a", "b", "event.name", "__proto__", "0", "10", "constructor", "toString"),
  textArb,
);
const int64Arb = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
  fc.bigInt({ min: -(2n ** 53n) - 3n, max: -(2n ** 53n) + 3n }),
  fc.bigInt({ min: -300n, max: 300n }),
  fc.constantFrom(2n ** 49n - 1n, 2n ** 49n, 2n ** 56n, -(2n ** 63n), 2n ** 63n - 1n, 2n ** 32n),
);
const uint32Arb = fc.integer({ min: 0, max: 0xffffffff });
const int32Arb = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const uint64Arb = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constant(0n));
const idArb = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  fc.uint8Array({ maxLength: 40 }),
);

const { anyValue: anyValueArb, keyValue: keyValueArb } = fc.letrec((tie) => ({
  anyValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant({}),
    fc.record({ value: fc.record({ case: fc.constant("stringValue"), value: textArb }) }),
    fc.record({ value: fc.record({ case: fc.constant("boolValue"), value: fc.boolean() }) }),
    fc.record({ value: fc.record({ case: fc.constant("intValue"), value: int64Arb }) }),
    fc.record({ value: fc.record({ case: fc.constant("doubleValue"), value: fc.double() }) }),
    fc.record({
      value: fc.record({ case: fc.constant("bytesValue"), value: fc.uint8Array({ maxLength: 9 }) }),
    }),
    fc.record({
      value: fc.record({ case: fc.constant("stringValueStrindex"), value: int32Arb }),
    }),
    fc.record({
      value: fc.record({
        case: fc.constant("arrayValue"),
        value: fc.record({ values: fc.array(tie("anyValue"), { maxLength: 3 }) }),
      }),
    }),
    fc.record({
      value: fc.record({
        case: fc.constant("kvlistValue"),
        value: fc.record({ values: fc.array(tie("keyValue"), { maxLength: 3 }) }),
      }),
    }),
  ),
  keyValue: fc.record(
    { key: keyArb, value: tie("anyValue"), keyStrindex: int32Arb },
    { requiredKeys: ["key"] },
  ),
}));
const attributesArb = fc.array(keyValueArb, { maxLength: 5 });
const logRecordArb = fc.record({
  timeUnixNano: uint64Arb,
  observedTimeUnixNano: uint64Arb,
  severityNumber: int32Arb,
  severityText: textArb,
  body: anyValueArb,
  attributes: attributesArb,
  droppedAttributesCount: uint32Arb,
  flags: uint32Arb,
  traceId: idArb,
  spanId: idArb,
  eventName: textArb,
}, { requiredKeys: [] });
const requestArb = fc.record({
  resourceLogs: fc.array(
    fc.record({
      resource: fc.record({
        attributes: attributesArb,
        droppedAttributesCount: uint32Arb,
        entityRefs: fc.array(
          fc.record({
            schemaUrl: textArb,
            type: textArb,
            idKeys: fc.array(textArb, { maxLength: 2 }),
            descriptionKeys: fc.array(textArb, { maxLength: 2 }),
          }, { requiredKeys: [] }),
          { maxLength: 2 },
        ),
      }, { requiredKeys: [] }),
      scopeLogs: fc.array(
        fc.record({
          scope: fc.record({
            name: textArb,
            version: textArb,
            attributes: attributesArb,
            droppedAttributesCount: uint32Arb,
          }, { requiredKeys: [] }),
          logRecords: fc.array(logRecordArb, { maxLength: 4 }),
          schemaUrl: textArb,
        }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
      schemaUrl: textArb,
    }, { requiredKeys: [] }),
    { maxLength: 3 },
  ),
}).map((init) =>
  create(
    ExportLogsServiceRequestSchema,
    init as unknown as MessageInitShape<typeof ExportLogsServiceRequestSchema>,
  )
);

Deno.test("decodeLogsToFlatRecords equals fromBinary and flattenLogRecords on random requests", () => {
  fc.assert(
    fc.property(requestArb, (request) => {
      const bytes = toBinary(ExportLogsServiceRequestSchema, request);
      const expected = flattenLogRecords(request);
      assertSameRecords(decodeOk(bytes), expected);
      assertSameRecords(
        flattenLogRecords(fromBinary(ExportLogsServiceRequestSchema, bytes)),
        expected,
      );
    }),
    { numRuns: 300 },
  );
});

/** A seeded pseudo-random generator (mulberry32), for the choices of the scrambling writer. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ScrambleOptions {
  /** Sometimes write a string field as random bytes (often invalid UTF-8). */
  rawStrings: boolean;
}

/**
 * Serialises `message` as a valid but unusual encoding: fields interleaved in any order (the
 * order within one field, or one oneof, kept), unknown fields of every wire type inserted,
 * singular messages split into several occurrences (which parsers merge), scalars preceded by
 * a value that the last one overrides, zero values written out, varints padded to more bytes.
 */
function scramble(
  desc: DescMessage,
  message: Record<string, unknown>,
  next: () => number,
  options: ScrambleOptions,
): Uint8Array[] {
  const groups: Uint8Array[][] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const paddedVarint = (value: bigint | number) => {
    const bytes = varint(value);
    while (bytes.length < 10 && next() < 0.15) {
      bytes[bytes.length - 1] |= 0x80;
      bytes.push(0);
    }
    return bytes;
  };
  const lengthDelimited = (field: number, body: Uint8Array) =>
    concat([tag(field, 2), paddedVarint(body.length), body]);
  const scalar = (field: number, type: ScalarType, value: unknown): Uint8Array => {
    switch (type) {
      case ScalarType.STRING:
        if (options.rawStrings && next() < 0.2) {
          return lengthDelimited(
            field,
            Uint8Array.from({ length: next() * 8 }, () => next() * 256),
          );
        }
        return lengthDelimited(field, utf8(value as string));
      case ScalarType.BYTES:
        return lengthDelimited(field, value as Uint8Array);
      case ScalarType.BOOL:
        return concat([tag(field, 0), paddedVarint(value ? 1 : 0)]);
      case ScalarType.INT32:
      case ScalarType.UINT32:
      case ScalarType.INT64:
        return concat([tag(field, 0), paddedVarint(value as number | bigint)]);
      case ScalarType.FIXED64:
        return fixed64(field, value as bigint);
      case ScalarType.FIXED32:
        return fixed32(field, value as number);
      case ScalarType.DOUBLE: {
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setFloat64(0, value as number, true);
        return concat([tag(field, 1), bytes]);
      }
      default:
        throw new Error(`no scalar type ${type} in OTLP logs`);
    }
  };
  const randomScalar = (type: ScalarType): unknown => {
    switch (type) {
      case ScalarType.STRING:
        return pick(["decoy", "", "é"]);
      case ScalarType.BYTES:
        return Uint8Array.of(1, 2);
      case ScalarType.BOOL:
        return next() < 0.5;
      case ScalarType.FIXED64:
      case ScalarType.INT64:
        return BigInt(Math.floor(next() * 1e6)) - 1000n;
      case ScalarType.DOUBLE:
        return next();
      default:
        return Math.floor(next() * 1000);
    }
  };
  const messageOccurrences = (field: number, child: DescMessage, value: unknown) => {
    const entries = scramble(child, value as Record<string, unknown>, next, options);
    // Split into consecutive pieces: parsing them as repeated occurrences merges them back.
    const pieces: Uint8Array[] = [];
    let piece: Uint8Array[] = [];
    for (const entry of entries) {
      if (piece.length > 0 && next() < 0.3) {
        pieces.push(lengthDelimited(field, concat(piece)));
        piece = [];
      }
      piece.push(entry);
    }
    pieces.push(lengthDelimited(field, concat(piece)));
    return pieces;
  };
  for (const member of desc.members) {
    if (member.kind === "oneof") {
      const held = message[member.localName] as { case?: string; value?: unknown };
      const field = member.fields.find((f) => f.localName === held.case);
      if (field === undefined) continue;
      const entries: Uint8Array[] = [];
      const decoy = pick(member.fields);
      if (decoy !== field && next() < 0.3) {
        if (decoy.fieldKind === "message") {
          entries.push(lengthDelimited(decoy.number, new Uint8Array(0)));
        } else if (decoy.fieldKind === "scalar") {
          entries.push(scalar(decoy.number, decoy.scalar, randomScalar(decoy.scalar)));
        }
      }
      if (field.fieldKind === "message") {
        entries.push(...messageOccurrences(field.number, field.message, held.value));
      } else if (field.fieldKind === "scalar") {
        entries.push(scalar(field.number, field.scalar, held.value));
      }
      groups.push(entries);
      continue;
    }
    const field = member;
    const value = message[field.localName];
    const entries: Uint8Array[] = [];
    switch (field.fieldKind) {
      case "scalar":
      case "enum": {
        const type = field.fieldKind === "enum" ? ScalarType.INT32 : field.scalar;
        const isZero = value === 0 || value === 0n || value === "" || value === false ||
          (value instanceof Uint8Array && value.length === 0);
        if (next() < 0.2) entries.push(scalar(field.number, type, randomScalar(type)));
        if (!isZero || entries.length > 0 || next() < 0.2) {
          entries.push(scalar(field.number, type, value));
        }
        break;
      }
      case "message":
        if (value !== undefined) {
          entries.push(...messageOccurrences(field.number, field.message, value));
        }
        break;
      case "list":
        for (const item of value as unknown[]) {
          if (field.listKind === "message") {
            const itemEntries = scramble(
              field.message,
              item as Record<string, unknown>,
              next,
              options,
            );
            entries.push(lengthDelimited(field.number, concat(itemEntries)));
          } else if (field.listKind === "scalar") {
            entries.push(scalar(field.number, field.scalar, item));
          }
        }
        break;
    }
    groups.push(entries);
  }
  // Unknown fields, each on its own.
  const known = new Set(desc.fields.map((field) => field.number));
  while (next() < 0.3) {
    const number = pick(
      [4, 5, 9, 13, 15, 16, 100, 2047, 2048, 536870911].filter((n) => !known.has(n)),
    );
    const wireType = pick([0, 1, 2, 5]);
    const payload = wireType === 0
      ? paddedVarint(BigInt(Math.floor(next() * 2 ** 40)))
      : wireType === 1
      ? new Uint8Array(8).fill(0xff)
      : wireType === 5
      ? [1, 2, 3, 4]
      : [...paddedVarint(3), 0xff, 0x0a, 0x80];
    groups.push([concat([tag(number, wireType), payload])]);
  }
  // Interleave the groups, each in its own order.
  const entries: Uint8Array[] = [];
  const cursors = groups.map(() => 0);
  for (;;) {
    const open = groups.map((_, i) => i).filter((i) => cursors[i] < groups[i].length);
    if (open.length === 0) break;
    const i = pick(open);
    entries.push(groups[i][cursors[i]++]);
  }
  return entries;
}

Deno.test("decodeLogsToFlatRecords equals fromBinary on scrambled encodings: any field order, unknown fields, merged pieces", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, fc.integer(), async (request, seed) => {
      const bytes = concat(
        scramble(
          ExportLogsServiceRequestSchema,
          request as unknown as Record<string, unknown>,
          random(seed),
          { rawStrings: false },
        ),
      );
      // The scrambling writer keeps the meaning...
      const expected = await reference(bytes);
      assert.ok(expected.ok, !expected.ok ? expected.message : "");
      assertSameRecords(expected.records, flattenLogRecords(request));
      // ...and the new decoder reads it the same.
      assertSameRecords(decodeOk(bytes), expected.records);
    }),
    { numRuns: 300 },
  );
});

Deno.test("decodeLogsToFlatRecords agrees with decodeOtlpRequest on strings of random bytes", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, fc.integer(), async (request, seed) => {
      const bytes = concat(
        scramble(
          ExportLogsServiceRequestSchema,
          request as unknown as Record<string, unknown>,
          random(seed),
          { rawStrings: true },
        ),
      );
      const result = decodeLogsToFlatRecords(bytes);
      assert.ok(result.ok, !result.ok ? result.message : "");
      await assertAgrees(bytes);
    }),
    { numRuns: 300 },
  );
});

Deno.test("decodeLogsToFlatRecords never throws on arbitrary bytes and agrees with decodeOtlpRequest", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), assertAgrees),
    { numRuns: 2000 },
  );
});

Deno.test("decodeLogsToFlatRecords never throws on damaged requests and agrees with decodeOtlpRequest", async () => {
  const damage = fc.array(
    fc.tuple(fc.constantFrom("set", "insert", "delete", "truncate"), fc.nat(), fc.nat(255)),
    { minLength: 1, maxLength: 4 },
  );
  await fc.assert(
    fc.asyncProperty(requestArb, damage, async (request, changes) => {
      const bytes = [...toBinary(ExportLogsServiceRequestSchema, request)];
      for (const [change, at, byte] of changes) {
        const i = bytes.length === 0 ? 0 : at % bytes.length;
        if (change === "set") bytes[i] = byte;
        else if (change === "insert") bytes.splice(i, 0, byte);
        else if (change === "delete") bytes.splice(i, 1);
        else bytes.length = i;
      }
      await assertAgrees(Uint8Array.from(bytes));
    }),
    { numRuns: 1000 },
  );
});

// --- decodeOtlpLogsFast -----------------------------------------------------------------------

Deno.test("decodeOtlpLogsFast gives what decodeOtlpRequest and flattenLogRecords give", async () => {
  const cases: [string, DecodeOtlpRequestOptions][] = [
    ["02-http-binary-logs/0072-http-logs.pb", PROTOBUF],
    ["02-http-binary-logs/0072-http-logs.pb", { ...PROTOBUF, contentEncoding: "gzip" }],
    ["03-http-json-logs/0073-http-logs.json", { ...PROTOBUF, contentType: "application/json" }],
    [
      "03-http-json-logs/0073-http-logs.json",
      { ...PROTOBUF, contentType: "application/json; charset=utf-8", contentEncoding: "gzip" },
    ],
  ];
  for (const [path, options] of cases) {
    const raw = Deno.readFileSync(new URL(path, CAPTURES));
    const body = options.contentEncoding === "gzip" ? gzipSync(raw) : raw;
    const fast = await decodeOtlpLogsFast(body, options);
    const slow = await decodeOtlpRequest("logs", body, options);
    assert.ok(fast.ok && slow.ok, path);
    assertSameRecords(fast.records, flattenLogRecords(slow.request as ExportLogsServiceRequest));
    assert.equal(fast.encoding, slow.encoding);
    assert.equal(fast.decodedBytes, slow.decodedBytes);
    assert.equal(fast.decodedBytes, raw.byteLength);
    assert.equal(fast.replacedInvalidStrings, 0);
  }
});

Deno.test("decodeOtlpLogsFast refuses what decodeOtlpRequest refuses, with the same status", async () => {
  const pb = Deno.readFileSync(new URL("02-http-binary-logs/0072-http-logs.pb", CAPTURES));
  const cases: [Uint8Array, DecodeOtlpRequestOptions, 400 | 413 | 415][] = [
    [pb, { ...PROTOBUF, contentType: null }, 415],
    [pb, { ...PROTOBUF, contentType: "text/plain" }, 415],
    [pb, { ...PROTOBUF, contentEncoding: "br" }, 415],
    [pb, { ...PROTOBUF, maxBytes: 1000 }, 413],
    [gzipSync(pb), { ...PROTOBUF, contentEncoding: "gzip", maxBytes: 1000 }, 413],
    [pb, { ...PROTOBUF, contentEncoding: "gzip" }, 400],
    [pb.subarray(0, 1000), PROTOBUF, 400],
    [utf8("{"), { ...PROTOBUF, contentType: "application/json" }, 400],
  ];
  for (const [body, options, status] of cases) {
    const fast = await decodeOtlpLogsFast(body, options);
    const slow = await decodeOtlpRequest("logs", body, options);
    assert.ok(!fast.ok && !slow.ok);
    assert.equal(fast.status, status, fast.message);
    assert.equal(slow.status, status);
    assert.equal(fast.encoding, slow.encoding);
    if (status !== 400 || options.contentType === "application/json") {
      assert.equal(fast.message, slow.message);
    }
  }
  const truncated = await decodeOtlpLogsFast(pb.subarray(0, 1000), PROTOBUF);
  assert.ok(!truncated.ok);
  assert.match(truncated.message, /^Cannot decode protobuf logs request: truncated message/);
});

Deno.test("decodeOtlpLogsFast repairs and counts invalid UTF-8 as decodeOtlpRequest does", async () => {
  const body = requestWith(attribute("k", len(1, [0x61, 0xff])), len(3, [0xc3]));
  const fast = await decodeOtlpLogsFast(body, PROTOBUF);
  const slow = await decodeOtlpRequest("logs", body, PROTOBUF);
  assert.ok(fast.ok && slow.ok);
  assert.equal(fast.replacedInvalidStrings, 2);
  assert.equal(slow.replacedInvalidStrings, 2);
  assertSameRecords(fast.records, flattenLogRecords(slow.request as ExportLogsServiceRequest));
  assert.deepEqual(fast.records[0].attributes, { k: "a\ufffd" });
});
