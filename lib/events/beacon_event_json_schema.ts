/**
 * The JSON Schema of Beacon's event, schema version 1, built from parts so that the common
 * fields are written once. `schemas/beacon-event.v1.schema.json` is this value, printed by
 * running this module:
 *
 * ```sh
 * deno run lib/events/beacon_event_json_schema.ts > schemas/beacon-event.v1.schema.json
 * ```
 *
 * A test keeps the file, this module, the TypeScript types (`beacon_event.ts`) and real events
 * in step.
 *
 * @module
 */
import {
  type AuthEnvironment,
  BEACON_EVENT_KINDS,
  type BeaconEventBase,
  type BeaconEventCiRun,
  type BeaconEventKind,
  type BeaconEventOfKind,
  type BeaconEventUser,
  type BeaconMetric,
  type BeaconMetricPoint,
  type BeaconSpan,
  type BeaconSpanEvent,
  type PatchOperations,
  type ScrubbedAttributes,
  type ToolEventFields,
} from "./beacon_event.ts";
import { HARNESS_NAMES } from "../harness/harness_adapters.ts";

/** A JSON Schema, as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/**
 * One schema per field of `T`, no more, no less: the compiler keeps the schema's property names
 * in step with the TypeScript types.
 */
type PropertiesOf<T> = { [F in keyof T]-?: JsonSchema };

/** The fields a kind adds to the common ones. */
type OwnFields<K extends BeaconEventKind> = Exclude<
  keyof BeaconEventOfKind<K>,
  keyof BeaconEventBase
>;

const ref = (name: string): JsonSchema => ({ $ref: `#/$defs/${name}` });
const str: JsonSchema = { type: "string" };
const int: JsonSchema = { type: "integer" };
const count: JsonSchema = { type: "integer", minimum: 0 };
/** A count that may pass 2^53 - 1: then its decimal string, as other int64 fields. */
const largeCount: JsonSchema = {
  oneOf: [count, { type: "string", pattern: "^[0-9]+$" }],
};
const num: JsonSchema = { type: "number" };
const bool: JsonSchema = { type: "boolean" };
const nullable = (schema: JsonSchema): JsonSchema => ({
  ...schema,
  type: [schema.type as string, "null"],
});
const described = (description: string, schema: JsonSchema): JsonSchema => ({
  description,
  ...schema,
});

const CONTENT_MODES = ["keep", "redact", "hash", "drop"] as const;

/** One ContentField branch per mode: only keep and redact carry text, only hash a digest. */
const CONTENT_FIELD: JsonSchema = {
  description: "A piece of content after the policy's rule. Only keep and redact carry text; " +
    "hash carries a SHA-256; drop only the length. `bytes` is the UTF-8 length of the original " +
    "value (0 when the harness withheld it).",
  oneOf: [
    contentBranch("keep", { text: str, truncated: { const: true } }),
    contentBranch("redact", {
      text: str,
      truncated: { const: true },
      redactions: count,
    }),
    contentBranch("hash", { sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } }),
    contentBranch("drop", {}),
  ],
};

function contentBranch(mode: string, extra: Record<string, JsonSchema>): JsonSchema {
  return {
    type: "object",
    properties: { mode: { const: mode }, bytes: count, ...extra },
    required: ["mode", "bytes"],
    additionalProperties: false,
  };
}

const ATTRIBUTE_VALUE: JsonSchema = {
  description: "An attribute value: string, number, boolean, null, array or object of them.",
  type: ["string", "number", "boolean", "null", "array", "object"],
  items: ref("AttributeValue"),
  additionalProperties: ref("AttributeValue"),
};

const SCRUBBED_ATTRIBUTES: PropertiesOf<ScrubbedAttributes> = {
  attributes: {
    description: "Metadata attributes, every string scrubbed of secrets.",
    type: "object",
    additionalProperties: ref("AttributeValue"),
  },
  content: {
    description: "Attributes named like content, after the matching policy rule.",
    type: "object",
    additionalProperties: ref("ContentField"),
  },
};

const COMMON_PROPERTIES: PropertiesOf<Omit<BeaconEventBase, "kind">> = {
  schema_version: { const: 1 },
  id: described("SHA-256 prefix of the record's identifying metadata.", {
    type: "string",
    pattern: "^[0-9a-f]{32}$",
  }),
  time: described("RFC 3339, UTC, milliseconds.", {
    type: "string",
    format: "date-time",
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$",
  }),
  harness: { enum: [...HARNESS_NAMES, "other"] },
  harness_version: nullable(str),
  session_id: nullable(str),
  source_event: str,
  model: str,
  model_slug: str,
  originator: str,
  terminal: str,
  environment: str,
  user: {
    type: "object",
    properties: {
      email: ref("ContentField"),
      account_id: ref("ContentField"),
    } satisfies PropertiesOf<BeaconEventUser>,
    additionalProperties: false,
  },
  auth_mode: str,
  trace_id: { type: "string", pattern: "^[0-9a-f]+$" },
  span_id: { type: "string", pattern: "^[0-9a-f]+$" },
  ci: ref("CiRun"),
};

/** The CI run an event was recorded in (stamped by a `beacon ci` run's collector). */
const CI_RUN: JsonSchema = {
  description: "The CI run the event was recorded in (beacon ci start); absent on an " +
    "endpoint's events. Strings are metadata, secrets scrubbed; actor is an identity under the " +
    "policy's identity rule.",
  type: "object",
  properties: {
    provider: str,
    repository: str,
    workflow: str,
    job: str,
    run_id: str,
    run_attempt: str,
    url: str,
    sha: str,
    ref: str,
    pr: str,
    actor: ref("ContentField"),
  } satisfies PropertiesOf<BeaconEventCiRun>,
  required: ["provider"],
  additionalProperties: false,
};

const COMMON_REQUIRED: (keyof BeaconEventBase)[] = [
  "schema_version",
  "id",
  "time",
  "harness",
  "harness_version",
  "kind",
  "session_id",
  "source_event",
];

const TOOL_PROPERTIES: PropertiesOf<ToolEventFields> = {
  tool_name: nullable(str),
  tool_namespace: str,
  call_id: nullable(str),
  sequence: count,
  success: nullable(bool),
  duration_ms: nullable(num),
  agent_name: str,
  arguments: ref("ContentField"),
  output: ref("ContentField"),
  output_truncated: bool,
};

const TOOL_REQUIRED: (keyof ToolEventFields)[] = ["tool_name", "call_id", "success", "duration_ms"];

/** Each kind's own properties and required ones. */
const KIND_FIELDS: {
  readonly [K in BeaconEventKind]: {
    description: string;
    properties: { [F in OwnFields<K>]-?: JsonSchema };
    required?: OwnFields<K>[];
  };
} = {
  session_start: {
    description: "A session started (codex.conversation_starts).",
    properties: {
      provider: str,
      reasoning_effort: str,
      reasoning_summary: str,
      approval_policy: str,
      sandbox_policy: str,
      mcp_servers: { type: "array", items: str },
      mcp_server_count: count,
      legacy_multi_agent_disabled_sources: str,
      auth_env: {
        type: "object",
        properties: {
          openai_api_key_present: bool,
          codex_api_key_present: bool,
          codex_api_key_enabled: bool,
          provider_key_name: str,
          provider_key_present: bool,
          refresh_token_url_override_present: bool,
        } satisfies PropertiesOf<AuthEnvironment>,
        additionalProperties: false,
      },
    },
  },
  prompt: {
    description: "A prompt (codex.user_prompt).",
    properties: {
      prompt: ref("ContentField"),
      prompt_length: count,
      source_redacted: { const: true },
      text_input_count: count,
      image_input_count: count,
      local_image_input_count: count,
    },
    required: ["prompt"],
  },
  approval: {
    description: "A tool call was approved or not (codex.tool_decision).",
    properties: {
      tool_name: nullable(str),
      tool_namespace: str,
      call_id: nullable(str),
      decision: nullable(str),
      decided_by: str,
      approved: bool,
    },
    required: ["tool_name", "call_id", "decision", "approved"],
  },
  command_run: {
    description: "A shell command ran (codex.tool_result of a shell tool).",
    properties: {
      ...TOOL_PROPERTIES,
      command: ref("ContentField"),
      workdir: ref("ContentField"),
      exit_code: int,
      sandbox_permissions: str,
    },
    required: TOOL_REQUIRED,
  },
  file_change: {
    description: "A patch changed files (codex.tool_result of apply_patch).",
    properties: {
      ...TOOL_PROPERTIES,
      path_count: count,
      paths_mode: { enum: [...CONTENT_MODES] },
      paths: { type: "array", items: str },
      paths_truncated: { const: true },
      operations: {
        type: "object",
        properties: {
          add: count,
          update: count,
          delete: count,
          move: count,
        } satisfies PropertiesOf<PatchOperations>,
        required: ["add", "update", "delete", "move"],
        additionalProperties: false,
      },
    },
    required: [...TOOL_REQUIRED, "path_count", "paths_mode", "operations"],
  },
  mcp_tool_call: {
    description: "An MCP server's tool was called (codex.tool_result with mcp_server).",
    properties: {
      ...TOOL_PROPERTIES,
      mcp_server: str,
      mcp_server_origin: str,
      mcp_tool: str,
    },
    required: [...TOOL_REQUIRED, "mcp_server"],
  },
  tool_result: {
    description: "Any other tool call (codex.tool_result).",
    properties: TOOL_PROPERTIES,
    required: TOOL_REQUIRED,
  },
  agent_response: {
    description: "The agent answered (codex.agent_response).",
    properties: {
      response: ref("ContentField"),
      response_length: count,
      response_truncated: bool,
      agent_type: str,
      turn_id: str,
      item_id: str,
      root_turn_id: str,
    },
    required: ["response"],
  },
  automated_review: {
    description: "An automated reviewer assessed a tool call (codex.guardian_assessment).",
    properties: {
      review_id: str,
      turn_id: str,
      item_id: str,
      status: str,
      outcome: str,
      risk_level: str,
      user_authorization: str,
      started_at_ms: num,
      completed_at_ms: num,
      duration_ms: num,
      rationale: ref("ContentField"),
      rationale_length: count,
      rationale_truncated: bool,
    },
  },
  token_usage: {
    description:
      "Tokens of one model response (codex.sse_event, response.completed; claude_code.api_request).",
    properties: {
      input_tokens: largeCount,
      output_tokens: largeCount,
      cached_tokens: largeCount,
      cache_write_tokens: largeCount,
      reasoning_tokens: largeCount,
      tool_tokens: largeCount,
      ttft_ms: num,
      duration_ms: num,
      cost_usd: { type: "number", minimum: 0 },
    },
    required: ["input_tokens", "output_tokens"],
  },
  api_error: {
    description: "A model request failed after the harness's retries (claude_code.api_error).",
    properties: {
      status_code: nullable(count),
      error: str,
      attempt: count,
      duration_ms: num,
      request_id: str,
    },
    required: ["status_code"],
  },
  span: {
    description: "A raw span (only with include_spans).",
    properties: {
      span: {
        type: "object",
        properties: {
          name: str,
          span_kind: str,
          trace_id: str,
          span_id: str,
          parent_span_id: str,
          trace_state: str,
          start_time_unix_nano: { type: "string", pattern: "^\\d+$" },
          end_time_unix_nano: { type: "string", pattern: "^\\d+$" },
          duration_ms: { type: "number", minimum: 0 },
          status_code: str,
          status_message: str,
          ...SCRUBBED_ATTRIBUTES,
          events: {
            type: "array",
            items: {
              type: "object",
              properties: {
                name: str,
                time_unix_nano: { type: "string", pattern: "^\\d+$" },
                ...SCRUBBED_ATTRIBUTES,
              } satisfies PropertiesOf<BeaconSpanEvent>,
              required: ["name", "time_unix_nano", "attributes"],
              additionalProperties: false,
            },
          },
        } satisfies PropertiesOf<BeaconSpan>,
        required: [
          "name",
          "span_kind",
          "trace_id",
          "span_id",
          "parent_span_id",
          "start_time_unix_nano",
          "end_time_unix_nano",
          "duration_ms",
          "status_code",
          "attributes",
          "events",
        ],
        additionalProperties: false,
      },
    },
    required: ["span"],
  },
  metric: {
    description: "A raw metric stream (only with include_metrics).",
    properties: {
      metric: {
        type: "object",
        properties: {
          name: str,
          description: str,
          unit: str,
          metric_type: str,
          temporality: nullable(str),
          monotonic: nullable(bool),
          data_points: {
            type: "array",
            items: {
              type: "object",
              properties: {
                start_time_unix_nano: { type: "string", pattern: "^\\d+$" },
                time_unix_nano: { type: "string", pattern: "^\\d+$" },
                ...SCRUBBED_ATTRIBUTES,
                value: { type: ["number", "string"] },
                count: { type: ["number", "string"] },
                sum: { type: ["number", "string"] },
              } satisfies PropertiesOf<BeaconMetricPoint>,
              required: ["start_time_unix_nano", "time_unix_nano", "attributes"],
              additionalProperties: false,
            },
          },
        } satisfies PropertiesOf<BeaconMetric>,
        required: ["name", "metric_type", "temporality", "monotonic", "data_points"],
        additionalProperties: false,
      },
    },
    required: ["metric"],
  },
  other_service_log: {
    description:
      'A log record from another service, by name only (collector.other_services = "record").',
    properties: {
      service_name: nullable(str),
      severity: str,
    },
    required: ["service_name"],
  },
};

function kindSchema(kind: BeaconEventKind): JsonSchema {
  const fields = KIND_FIELDS[kind];
  return {
    description: fields.description,
    type: "object",
    properties: { ...COMMON_PROPERTIES, kind: { const: kind }, ...fields.properties },
    required: [...COMMON_REQUIRED, ...(fields.required ?? [])],
    additionalProperties: false,
  };
}

/**
 * The JSON Schema (draft 2020-12) of a Beacon event of schema version 1: one `oneOf` branch per
 * kind (each a closed object: unknown fields are errors), `ContentField` and `AttributeValue`
 * in `$defs`.
 *
 * @example
 * ```ts
 * BEACON_EVENT_JSON_SCHEMA.oneOf.length; // 12, one per kind
 * ```
 */
export const BEACON_EVENT_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Beacon event, schema version 1",
  description: "One line of Beacon's runtime log (JSON Lines). Generated from " +
    "lib/events/beacon_event_json_schema.ts; documented in docs/events.md. Additive changes " +
    "(new kinds, new optional fields) keep schema_version 1; anything else bumps it.",
  oneOf: BEACON_EVENT_KINDS.map((kind) => ref(kind)),
  $defs: {
    ...Object.fromEntries(BEACON_EVENT_KINDS.map((kind) => [kind, kindSchema(kind)])),
    ContentField: CONTENT_FIELD,
    AttributeValue: ATTRIBUTE_VALUE,
    CiRun: CI_RUN,
  },
};

/**
 * The schema as the text of `schemas/beacon-event.v1.schema.json` (two-space indent, final
 * newline).
 *
 * @example
 * ```ts
 * JSON.parse(beaconEventJsonSchemaText()).title; // "Beacon event, schema version 1"
 * ```
 */
export function beaconEventJsonSchemaText(): string {
  return JSON.stringify(BEACON_EVENT_JSON_SCHEMA, null, 2) + "\n";
}

if (import.meta.main) {
  await Deno.stdout.write(new TextEncoder().encode(beaconEventJsonSchemaText()));
}
