/**
 * Beacon events as an OTLP `ExportLogsServiceRequest`, in protobuf or OTLP/JSON.
 *
 * @module
 */
import { create, type MessageInitShape, toBinary, toJson } from "@bufbuild/protobuf";
import { convertOtlpJsonIds } from "../otlp/convert_otlp_json_ids.ts";
import { ExportLogsServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type {
  AnyValueSchema,
  KeyValueSchema,
} from "../otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import { SeverityNumber } from "../otlp/gen/opentelemetry/proto/logs/v1/logs_pb.ts";

type AnyValueInit = MessageInitShape<typeof AnyValueSchema>;
type KeyValueInit = MessageInitShape<typeof KeyValueSchema>;

/** The OTLP/HTTP encodings a destination may use. */
export type OtlpHttpProtocol = "http/protobuf" | "http/json";

/** Who forwards: the resource of every record. */
export interface ForwardResource {
  /** `host.name`. */
  hostName: string;
  /** `service.version`: Beacon's version. */
  version: string;
}

/** The instrumentation scope of forwarded records. */
export const FORWARD_SCOPE = "beacon.forward";

/**
 * The request carrying `events` (runtime-log lines, parsed), one log record per event, grouped
 * into one resource per harness (`beacon.harness`, with `host.name`, `service.name = beacon`).
 *
 * Each record: `event.name` (attribute and field) `beacon.<kind>`; `log.record.uid` the event's
 * id, so a backend can drop the duplicates at-least-once delivery may bring; the event's fields
 * as attributes, nested objects flattened to dotted keys (`prompt.mode`, `user.email.sha256`),
 * arrays as array values; `time_unix_nano` the event's time; trace and span ids when it has
 * them. Pure.
 */
export function otlpLogsRequest(
  events: readonly Record<string, unknown>[],
  resource: ForwardResource,
  observedAt: Date,
): MessageInitShape<typeof ExportLogsServiceRequestSchema> {
  const byHarness = new Map<string, Record<string, unknown>[]>();
  for (const event of events) {
    const harness = typeof event.harness === "string" ? event.harness : "unknown";
    let list = byHarness.get(harness);
    if (!list) byHarness.set(harness, list = []);
    list.push(event);
  }
  const observed = BigInt(observedAt.getTime()) * 1_000_000n;
  return {
    resourceLogs: [...byHarness].map(([harness, list]) => ({
      resource: {
        attributes: [
          keyValue("service.name", "beacon"),
          keyValue("service.version", resource.version),
          keyValue("host.name", resource.hostName),
          keyValue("beacon.harness", harness),
        ],
      },
      scopeLogs: [{
        scope: { name: FORWARD_SCOPE, version: resource.version },
        logRecords: list.map((event) => logRecord(event, observed)),
      }],
    })),
  };
}

/** {@link otlpLogsRequest} encoded for `protocol`: the HTTP body and its content type. */
export function encodeOtlpLogs(
  events: readonly Record<string, unknown>[],
  resource: ForwardResource,
  protocol: OtlpHttpProtocol,
  observedAt: Date,
): { body: Uint8Array; contentType: string } {
  const message = create(
    ExportLogsServiceRequestSchema,
    otlpLogsRequest(events, resource, observedAt),
  );
  if (protocol === "http/protobuf") {
    return {
      body: toBinary(ExportLogsServiceRequestSchema, message),
      contentType: "application/x-protobuf",
    };
  }
  const json = toJson(ExportLogsServiceRequestSchema, message, { enumAsInteger: true });
  // OTLP/JSON writes trace and span ids as hex, where protobuf JSON writes bytes as base64.
  convertOtlpJsonIds("logs", json, "base64-to-hex");
  return {
    body: new TextEncoder().encode(JSON.stringify(json)),
    contentType: "application/json",
  };
}

function logRecord(event: Record<string, unknown>, observed: bigint) {
  const name = `beacon.${typeof event.kind === "string" ? event.kind : "event"}`;
  const attributes: KeyValueInit[] = [keyValue("event.name", name)];
  if (typeof event.id === "string") attributes.push(keyValue("log.record.uid", event.id));
  flattenInto(attributes, "", event);
  const millis = typeof event.time === "string" ? Date.parse(event.time) : NaN;
  return {
    timeUnixNano: Number.isFinite(millis) ? BigInt(millis) * 1_000_000n : 0n,
    observedTimeUnixNano: observed,
    severityNumber: SeverityNumber.INFO,
    severityText: "INFO",
    eventName: name,
    // The event itself, whole: what a log backend shows as the line, and what a receiving
    // Beacon collector writes back (attributes drop nulls and flatten objects).
    body: { value: { case: "stringValue" as const, value: JSON.stringify(event) } },
    attributes,
    ...(isHexId(event.trace_id, 32) ? { traceId: hexToBytes(event.trace_id as string) } : {}),
    ...(isHexId(event.span_id, 16) ? { spanId: hexToBytes(event.span_id as string) } : {}),
  };
}

function flattenInto(out: KeyValueInit[], prefix: string, value: Record<string, unknown>): void {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix + key;
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      flattenInto(out, `${name}.`, inner as Record<string, unknown>);
    } else if (inner !== undefined && inner !== null) {
      out.push({ key: name, value: anyValue(inner) });
    }
  }
}

function keyValue(key: string, value: string): KeyValueInit {
  return { key, value: { value: { case: "stringValue", value } } };
}

function anyValue(value: unknown): AnyValueInit {
  switch (typeof value) {
    case "string":
      return { value: { case: "stringValue", value } };
    case "boolean":
      return { value: { case: "boolValue", value } };
    case "number":
      return Number.isSafeInteger(value)
        ? { value: { case: "intValue", value: BigInt(value) } }
        : { value: { case: "doubleValue", value } };
    case "bigint":
      return { value: { case: "intValue", value } };
  }
  if (Array.isArray(value)) {
    return { value: { case: "arrayValue", value: { values: value.map(anyValue) } } };
  }
  if (value && typeof value === "object") {
    return {
      value: {
        case: "kvlistValue",
        value: {
          values: Object.entries(value).filter(([, inner]) => inner !== undefined && inner !== null)
            .map(([key, inner]) => ({ key, value: anyValue(inner) })),
        },
      },
    };
  }
  return {};
}

function isHexId(value: unknown, length: number): boolean {
  return typeof value === "string" && value.length === length && /^[0-9a-f]+$/.test(value) &&
    !/^0+$/.test(value);
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
