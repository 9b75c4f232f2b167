/**
 * The Beacon policy: what an admin commits (TOML) to say which harnesses Beacon manages, how
 * content is handled, and where the collector listens and writes. Every object is strict, so a
 * misspelt key is an error rather than a silently ignored setting.
 *
 * The shipped, commented examples in `policies/` are the admins' documentation; keep them in
 * step with this file (a test parses every one of them).
 *
 * @module
 */
import * as v from "valibot";
import { BEACON_EVENT_KINDS } from "../events/beacon_event.ts";
import { HARNESS_ADAPTERS, HARNESS_NAMES } from "../harness/harness_adapters.ts";
import { CI_REQUIREMENT_PATTERN, parseCiRequirement } from "../ci/parse_ci_requirement.ts";

/** How one kind of content is kept in the runtime log. */
export const ContentRuleSchema = v.pipe(
  v.picklist(["keep", "redact", "hash", "drop"]),
  v.description(
    "keep: as sent; redact: kept with secrets scrubbed; hash: SHA-256 only, so equal values can " +
      "be joined; drop: only the length is kept",
  ),
);

const ContentSchema = v.strictObject({
  prompt: v.optional(ContentRuleSchema, "drop"),
  tool_arguments: v.optional(ContentRuleSchema, "redact"),
  tool_output: v.optional(ContentRuleSchema, "drop"),
  agent_response: v.optional(ContentRuleSchema, "drop"),
  identity: v.optional(ContentRuleSchema, "hash"),
  max_field_bytes: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(64),
      v.maxValue(1_048_576),
      v.description("Longest kept text per field, in UTF-8 bytes; longer text is truncated."),
    ),
    4096,
  ),
});

/** One optional `[harnesses.<name>]` table per harness in the registry. */
type HarnessTablesEntries = {
  [A in typeof HARNESS_ADAPTERS[number] as A["name"]]: v.OptionalSchema<
    A["policySchema"],
    Record<string, never>
  >;
};

const HARNESS_TABLES = Object.fromEntries(
  HARNESS_ADAPTERS.map((adapter) => [adapter.name, v.optional(adapter.policySchema, {})]),
) as HarnessTablesEntries;

const ListenAddressSchema = v.pipe(
  v.string(),
  v.regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "expected HOST:PORT"),
);

const CollectorSchema = v.strictObject({
  listen: v.optional(ListenAddressSchema, "127.0.0.1:4318"),
  grpc: v.optional(v.boolean(), false),
  grpc_listen: v.optional(ListenAddressSchema, "127.0.0.1:4317"),
  allow_non_loopback: v.optional(v.boolean(), false),
  token: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\x21-\x7e]{16,256}$/, "expected 16 to 256 printable ASCII characters"),
    ),
  ),
  max_request_bytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(256 * 1024 * 1024)),
    16 * 1024 * 1024,
  ),
  /** Resident memory past which new requests get 503 + Retry-After (the memory limiter). */
  memory_limit_mib: v.optional(v.pipe(v.number(), v.integer(), v.minValue(64)), 256),
  /** Request-body bytes all requests in flight may hold together (more: 503 + Retry-After). */
  max_buffered_bytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(64 * 1024)),
    32 * 1024 * 1024,
  ),
  /**
   * Open connections on the OTLP/HTTP listener; past it an idle one makes room, or the newcomer is
   * closed after waiting up to 500 ms for a place.
   */
  max_connections: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 256),
  /**
   * Telemetry from services that are no known harness: "drop" (counted only) or "record" (each
   * log record kept as an `other_service_log` event: service, time and event name, no content).
   */
  other_services: v.optional(v.picklist(["drop", "record"]), "drop"),
});

const RuntimeLogSchema = v.strictObject({
  path: v.optional(v.pipe(v.string(), v.minLength(1))),
  max_bytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(64 * 1024)),
    10 * 1024 * 1024,
  ),
  archives: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 5),
});

const EndpointSchema = v.strictObject({
  mode: v.optional(v.picklist(["user", "system"]), "user"),
});

/** Gates `beacon ci finish` applies to a CI run's events (its flags override each key). */
const CiSchema = v.strictObject({
  min_events: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description("Fewest events the run must record (0: no minimum)."),
    ),
    0,
  ),
  require: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.regex(CI_REQUIREMENT_PATTERN, (issue) => {
            const parsed = parseCiRequirement(String(issue.input));
            return parsed.ok
              ? `"${issue.input}": write KIND or HARNESS:KIND without spaces`
              : parsed.problem;
          }),
        ),
      ),
      v.description(
        "Event kinds the run must record at least once: KIND from any harness " +
          '(e.g. "session_start") or HARNESS:KIND from that harness (e.g. ' +
          `"claude-code:token_usage"). Harnesses: ${HARNESS_NAMES.join(", ")}; kinds: ` +
          `${BEACON_EVENT_KINDS.join(", ")}.`,
      ),
    ),
    [],
  ),
  require_telemetry: v.optional(
    v.pipe(
      v.boolean(),
      v.description("true: a failed gate fails the step (exit 3); false: it is only a warning."),
    ),
    true,
  ),
});

const DestinationContentSchema = v.strictObject({
  prompt: v.optional(ContentRuleSchema),
  tool_arguments: v.optional(ContentRuleSchema),
  tool_output: v.optional(ContentRuleSchema),
  agent_response: v.optional(ContentRuleSchema),
  identity: v.optional(ContentRuleSchema),
});

const LITERAL_HEADER_REFUSED =
  "a literal header value is refused: a committed policy must not hold a secret; " +
  'write { env = "VARIABLE" } or { file = "/path/to/secret" } (optionally with prefix = "Bearer ")';

/** Where a header's value comes from: an environment variable or a file, never the policy. */
const HeaderSourceSchema = v.pipe(
  v.unknown(),
  v.check((value) => typeof value !== "string", LITERAL_HEADER_REFUSED),
  v.strictObject({
    env: v.optional(
      v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected a variable name")),
    ),
    file: v.optional(v.pipe(v.string(), v.minLength(1))),
    prefix: v.optional(v.string()),
  }),
  v.check(
    (source) => (source.env === undefined) !== (source.file === undefined),
    "expected exactly one of env or file",
  ),
);

/** One gateway Beacon forwards the runtime log's events to, as OTLP logs. */
const DestinationSchema = v.strictObject({
  name: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "expected lowercase letters, digits, - and _ (1 to 63)"),
  ),
  endpoint: v.pipe(
    v.string(),
    v.regex(
      /^https?:\/\/[^\s/@]+(\/\S*)?$/,
      "expected an http:// or https:// URL (credentials go in headers)",
    ),
    v.description("The OTLP/HTTP logs URL (none: /v1/logs); for grpc, http(s)://host:port."),
  ),
  protocol: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (value) => value === "http/protobuf" || value === "http/json" || value === "grpc",
        'expected "http/protobuf", "http/json" or "grpc"',
      ),
    ),
    "http/protobuf",
  ),
  headers: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/)), HeaderSourceSchema),
    {},
  ),
  tls: v.optional(
    v.strictObject({
      ca_file: v.optional(v.pipe(v.string(), v.minLength(1))),
      cert_file: v.optional(v.pipe(v.string(), v.minLength(1))),
      key_file: v.optional(v.pipe(v.string(), v.minLength(1))),
      server_name: v.optional(v.pipe(v.string(), v.minLength(1))),
    }),
    {},
  ),
  timeout_seconds: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(600)), 10),
  content: v.optional(DestinationContentSchema, {}),
  batch_max_events: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
    1000,
  ),
  batch_max_bytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(64 * 1024 * 1024)),
    4 * 1024 * 1024,
  ),
  batch_delay_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000)),
    1000,
  ),
  retry_initial_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60_000)),
    1000,
  ),
  retry_max_ms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3_600_000)),
    60_000,
  ),
});

/** A grpc destination names a host and port only: gRPC has its own method path. */
const DestinationEndpointSchema = v.pipe(
  DestinationSchema,
  v.forward(
    v.check(
      (d) => d.protocol !== "grpc" || /^https?:\/\/[^\s/@]+\/?$/.test(d.endpoint),
      'a grpc endpoint is "http://host:port" or "https://host:port", without a path',
    ),
    ["endpoint"],
  ),
);

/** Settings shared by every destination. */
const ForwardingSchema = v.strictObject({
  max_undelivered_archives: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.maxValue(999),
      v.description(
        "Archives kept beyond runtime_log.archives while a destination still needs them; past " +
          "this the oldest undelivered archive is deleted, and its events are counted as dropped.",
      ),
    ),
    20,
  ),
  failing_after_seconds: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description("endpoint status exits 3 once a destination has failed for this long."),
    ),
    900,
  ),
});

/** The whole policy file. */
export const PolicySchema = v.strictObject({
  version: v.optional(v.literal(1), 1),
  endpoint: v.optional(EndpointSchema, {}),
  harnesses: v.optional(v.strictObject(HARNESS_TABLES), {}),
  content: v.optional(ContentSchema, {}),
  collector: v.optional(CollectorSchema, {}),
  runtime_log: v.optional(RuntimeLogSchema, {}),
  ci: v.optional(CiSchema, {}),
  forwarding: v.optional(ForwardingSchema, {}),
  destinations: v.optional(
    v.pipe(
      v.array(DestinationEndpointSchema),
      v.check(
        (list) => new Set(list.map((d) => d.name)).size === list.length,
        "expected each destination name once",
      ),
    ),
    [],
  ),
});

/** A validated policy with every default filled in. */
export type Policy = v.InferOutput<typeof PolicySchema>;
/** One `[[destinations]]` entry, defaults filled in. */
export type Destination = Policy["destinations"][number];
/** One of `keep`, `redact`, `hash`, `drop`. */
export type ContentRule = v.InferOutput<typeof ContentRuleSchema>;
/** The content kinds a policy rules on. */
export type ContentKind = Exclude<keyof Policy["content"], "max_field_bytes">;
