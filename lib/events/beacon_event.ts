/**
 * Beacon's event, schema version 1: what the collector writes to the runtime log, one JSON object
 * per line. `docs/events.md` documents it for people and `schemas/beacon-event.v1.schema.json`
 * for machines; keep the three in step (a test checks that the schema's kinds match
 * {@link BEACON_EVENT_KINDS} and that real events validate against it).
 *
 * Content (prompts, tool arguments and output, agent answers, identities) is only ever held by
 * {@link ContentField} values, produced by the policy's content rules; every other field is
 * metadata (names, ids, counts, durations, decisions).
 *
 * Versioning: adding a kind or an optional field keeps `schema_version: 1`; removing or renaming
 * a field, changing its type or meaning bumps it.
 *
 * @module
 */
import type { ContentField } from "../content/content_field.ts";
import type { ContentRule } from "../policy/policy_schema.ts";
import type { FlatValue } from "../otlp/flatten_any_value.ts";
import type { HarnessName } from "../harness/harness_adapters.ts";

export type { ContentField };

/** The schema version this module describes. */
export const BEACON_EVENT_SCHEMA_VERSION = 1;

/** Every event kind of schema version 1, in documentation order. */
export const BEACON_EVENT_KINDS = [
  "session_start",
  "prompt",
  "approval",
  "command_run",
  "file_change",
  "mcp_tool_call",
  "tool_result",
  "agent_response",
  "automated_review",
  "token_usage",
  "api_error",
  "span",
  "metric",
  "other_service_log",
] as const;

/** One of {@link BEACON_EVENT_KINDS}. */
export type BeaconEventKind = typeof BEACON_EVENT_KINDS[number];

/**
 * The harnesses Beacon classifies telemetry of (every one in the harness registry), and
 * `other`: a log record from another service, kept by name only when the policy asks
 * (`collector.other_services = "record"`).
 */
export type BeaconHarness = HarnessName | "other";

/** Who ran the agent, as the harness reported it, after the policy's `identity` rule. */
export interface BeaconEventUser {
  email?: ContentField;
  account_id?: ContentField;
}

/**
 * The CI run an event was recorded in (`beacon ci start`), stamped by the run's collector on
 * every event it writes; absent on an endpoint's events. Every string is metadata with secrets
 * scrubbed and cut to `max_field_bytes` (a branch name can hold anything); the run's actor names
 * a person, so it is a {@link ContentField} under the policy's `identity` rule, as `user` is.
 */
export interface BeaconEventCiRun {
  /** `github-actions`, `gitlab-ci`, `buildkite`, `jenkins`, `circleci`, or `local`. */
  provider: string;
  /** `owner/name` (GitHub, GitLab, CircleCI) or the repository's URL (Buildkite, Jenkins). */
  repository?: string;
  /** The workflow or pipeline (GitHub: `GITHUB_WORKFLOW`; GitLab: the pipeline id). */
  workflow?: string;
  job?: string;
  /** The run (GitHub), job (GitLab) or build (Buildkite, Jenkins, CircleCI) number. */
  run_id?: string;
  run_attempt?: string;
  /** The run's (or job's) page on the CI system. */
  url?: string;
  /** The commit the run is for. */
  sha?: string;
  /** The branch, tag or ref the run is for, as the CI system names it. */
  ref?: string;
  /** The pull (merge) request number, when the run is for one. */
  pr?: string;
  /** Who triggered the run, after the policy's `identity` rule (hashed by default). */
  actor?: ContentField;
}

/** The fields every event has. Optional fields are absent (not null) when the source sent none. */
export interface BeaconEventBase<K extends BeaconEventKind = BeaconEventKind> {
  schema_version: 1;
  /**
   * 32 lowercase hex characters: a SHA-256 prefix of the record's identifying metadata (never of
   * its content), so a record the harness sends twice gets the same id. See `beaconEventId`.
   */
  id: string;
  /** When it happened: RFC 3339, UTC, milliseconds (`2026-11-25T11:42:42.500Z`). */
  time: string;
  harness: BeaconHarness;
  /** The harness's version (Codex: `app.version`, else the resource's `service.version`). */
  harness_version: string | null;
  kind: K;
  /**
   * The harness's session (Codex: `conversation.id`, Claude Code: `session.id`); null when the
   * record has none.
   */
  session_id: string | null;
  /** The source's own name for what happened: `codex.tool_result`, a span or metric name. */
  source_event: string;
  model?: string;
  /** Codex's `slug`: the model family slug. */
  model_slug?: string;
  /** Which client started the session (Codex: `codex_exec`, `codex_cli_rs`, ...). */
  originator?: string;
  /** The terminal type (Codex: `terminal.type`). */
  terminal?: string;
  /** The harness's configured environment (the `env` resource attribute). */
  environment?: string;
  /** Present only when the harness sent an identity. */
  user?: BeaconEventUser;
  /** How the user signed in, as sent (Codex: `Chatgpt`, `ApiKey`). */
  auth_mode?: string;
  /** The trace the record belongs to (lowercase hex), when the source sent one. */
  trace_id?: string;
  /** The span the record belongs to (lowercase hex), when the source sent one. */
  span_id?: string;
  /** The CI run the event was recorded in; only on the events of a `beacon ci` run's collector. */
  ci?: BeaconEventCiRun;
}

/** The harness's configuration when a session started (Codex: `codex.conversation_starts`). */
export interface SessionStartEvent extends BeaconEventBase<"session_start"> {
  /** The model provider's display name (`provider_name`). */
  provider?: string;
  reasoning_effort?: string;
  reasoning_summary?: string;
  /** `never`, `on-request`, `on-failure`, `untrusted`, ... as sent. */
  approval_policy?: string;
  /** `read-only`, `workspace-write`, `danger-full-access`, ... as sent. */
  sandbox_policy?: string;
  /** Names of the configured MCP servers (Codex sends them comma-separated). */
  mcp_servers?: string[];
  mcp_server_count?: number;
  /** `config.legacy_multi_agent_disabled_sources`, as sent. */
  legacy_multi_agent_disabled_sources?: string;
  /** Which credentials the environment offered (`auth.env_*`): presence flags, never values. */
  auth_env?: AuthEnvironment;
}

/** Codex's `auth.env_*` attributes: whether credentials were present, never what they are. */
export interface AuthEnvironment {
  openai_api_key_present?: boolean;
  codex_api_key_present?: boolean;
  codex_api_key_enabled?: boolean;
  /** Codex sends `configured` rather than the variable's name. */
  provider_key_name?: string;
  provider_key_present?: boolean;
  refresh_token_url_override_present?: boolean;
}

/** A prompt the user (or a reviewer session) sent (Codex: `codex.user_prompt`). */
export interface PromptEvent extends BeaconEventBase<"prompt"> {
  /**
   * The prompt after the policy's `prompt` rule. When the harness itself withheld the text
   * (`source_redacted`), this is `{ mode, bytes: 0 }` with no text or hash.
   */
  prompt: ContentField;
  /** The prompt's length as the harness counted it (Codex: characters). */
  prompt_length?: number;
  /** The harness sent a placeholder instead of the prompt (Codex: `log_user_prompt = false`). */
  source_redacted?: true;
  text_input_count?: number;
  image_input_count?: number;
  local_image_input_count?: number;
}

/**
 * A decision on whether a tool call may run (Codex: `codex.tool_decision`, Claude Code:
 * `claude_code.tool_decision`).
 */
export interface ApprovalEvent extends BeaconEventBase<"approval"> {
  tool_name: string | null;
  tool_namespace?: string;
  call_id: string | null;
  /** As sent: `approved`, `approved_for_session`, `denied`, `abort`, ...; null when absent. */
  decision: string | null;
  /** Who decided, snake_case: `config`, `user`, `automated_reviewer`, ... */
  decided_by?: string;
  /** True only for decisions starting with `approved`; `denied`, `abort` and anything else false. */
  approved: boolean;
}

/** What every tool-result kind carries. */
export interface ToolEventFields {
  tool_name: string | null;
  tool_namespace?: string;
  call_id: string | null;
  /** The harness's counter of tool results in the session (Codex: `tool_result_seq`). */
  sequence?: number;
  /** null when the harness did not say. */
  success: boolean | null;
  duration_ms: number | null;
  /** Which agent ran the tool (Codex: `agent_name`, e.g. `/root`). */
  agent_name?: string;
  /** The call's arguments (JSON) after the `tool_arguments` rule, JSON strings scrubbed. */
  arguments?: ContentField;
  /** The tool's output after the `tool_output` rule. */
  output?: ContentField;
  /** The harness cut the output before sending it. */
  output_truncated?: boolean;
}

/** A shell command the agent ran (Codex: `exec_command`, `shell`, `local_shell`, ...). */
export interface CommandRunEvent extends BeaconEventBase<"command_run">, ToolEventFields {
  /** The command line (an argv is shell-quoted and joined) after the `tool_arguments` rule. */
  command?: ContentField;
  /** The working directory asked for, after the `tool_arguments` rule. */
  workdir?: ContentField;
  /** The exit code, read from the output's header (never from the command's own output). */
  exit_code?: number;
  /** The sandbox permissions the call asked for, e.g. `require_escalated`. */
  sandbox_permissions?: string;
}

/** How many files a patch adds, updates, deletes and moves. */
export interface PatchOperations {
  add: number;
  update: number;
  delete: number;
  move: number;
}

/** Files the agent changed with a patch (Codex: `apply_patch`). */
export interface FileChangeEvent extends BeaconEventBase<"file_change">, ToolEventFields {
  /** How many distinct paths the patch touched (move destinations included). */
  path_count: number;
  /** The `tool_arguments` rule applied to the paths. */
  paths_mode: ContentRule;
  /**
   * keep: the paths; redact: the paths with secrets scrubbed; hash: SHA-256 of each path;
   * drop: absent. At most `max_field_bytes` of them in total.
   */
  paths?: string[];
  /** Some paths were left out to stay within `max_field_bytes`. */
  paths_truncated?: true;
  operations: PatchOperations;
}

/** A call of an MCP server's tool. */
export interface McpToolCallEvent extends BeaconEventBase<"mcp_tool_call">, ToolEventFields {
  mcp_server: string;
  /** Where the server came from, as sent (secrets scrubbed). */
  mcp_server_origin?: string;
  /** The tool's name on the server (a `mcp__server__` prefix removed). */
  mcp_tool?: string;
}

/** Any other tool call (web search, `write_stdin`, plan updates, ...). */
export interface ToolResultEvent extends BeaconEventBase<"tool_result">, ToolEventFields {}

/** The agent's answer (Codex: `codex.agent_response`, with `log_agent_responses = true`). */
export interface AgentResponseEvent extends BeaconEventBase<"agent_response"> {
  /** After the policy's `agent_response` rule. */
  response: ContentField;
  response_length?: number;
  /** The harness cut the response before sending it. */
  response_truncated?: boolean;
  /** `main`, or a sub-agent's type. */
  agent_type?: string;
  turn_id?: string;
  item_id?: string;
  root_turn_id?: string;
}

/** An automated reviewer's assessment of a tool call (Codex: `codex.guardian_assessment`). */
export interface AutomatedReviewEvent extends BeaconEventBase<"automated_review"> {
  review_id?: string;
  turn_id?: string;
  /** The reviewed item: the tool call's id. */
  item_id?: string;
  /** As sent: `approved`, `denied`, ... */
  status?: string;
  /** As sent: `allow`, `deny`. */
  outcome?: string;
  risk_level?: string;
  user_authorization?: string;
  started_at_ms?: number;
  completed_at_ms?: number;
  /** completed_at_ms - started_at_ms, when both were sent. */
  duration_ms?: number;
  /** The reviewer's reasoning, after the policy's `agent_response` rule. */
  rationale?: ContentField;
  rationale_length?: number;
  rationale_truncated?: boolean;
}

/** Tokens one model response used (Codex: `codex.sse_event` of kind `response.completed`). */
export interface TokenUsageEvent extends BeaconEventBase<"token_usage"> {
  /** Counts are numbers; one beyond 2^53 - 1 is its decimal string (as other int64 fields). */
  input_tokens: number | string;
  output_tokens: number | string;
  cached_tokens?: number | string;
  cache_write_tokens?: number | string;
  reasoning_tokens?: number | string;
  /** Codex's `tool_token_count` (in 0.169 it equals input + output tokens). */
  tool_tokens?: number | string;
  /** Time to first token, in ms. */
  ttft_ms?: number;
  duration_ms?: number;
  /** What the request cost in US dollars, as the harness computed it (Claude Code: `cost_usd`). */
  cost_usd?: number;
}

/**
 * A model request that failed for good, after the harness's own retries (Claude Code:
 * `claude_code.api_error`).
 */
export interface ApiErrorEvent extends BeaconEventBase<"api_error"> {
  /** The HTTP status; null when the request failed without one (a network error). */
  status_code: number | null;
  /** The error message as sent, secrets scrubbed, cut to `max_field_bytes`. */
  error?: string;
  /** Which attempt this was (1 for the first). */
  attempt?: number;
  duration_ms?: number;
  /** The provider's request id, to find the request in the provider's own records. */
  request_id?: string;
}

/**
 * A log record from a service that is no harness Beacon knows, sent to the same collector, kept
 * only when the policy says `collector.other_services = "record"`: which service, when, and the
 * record's event name; never its body or attributes (content nobody reviewed). `harness` is
 * `other`, `harness_version` the resource's `service.version`, `session_id` null.
 */
export interface OtherServiceLogEvent extends BeaconEventBase<"other_service_log"> {
  /** The resource's `service.name`; null when it has none. */
  service_name: string | null;
  /** The record's severity text (`INFO`, `ERROR`...), else its severity number's name. */
  severity?: string;
}

/**
 * Attributes of a span, span event or data point, split by what they hold: `attributes` keeps
 * metadata with secrets scrubbed from every string; `content` holds attributes whose names say
 * they are content (`prompt`, `cwd`, `output`, ...) after the matching policy rule.
 */
export interface ScrubbedAttributes {
  attributes: Record<string, FlatValue>;
  content?: Record<string, ContentField>;
}

/** A span event inside {@link BeaconSpan}. */
export interface BeaconSpanEvent extends ScrubbedAttributes {
  name: string;
  time_unix_nano: string;
}

/** A raw span, compacted (resource and scope left out, strings scrubbed). */
export interface BeaconSpan extends ScrubbedAttributes {
  name: string;
  /** `internal`, `server`, `client`, `producer`, `consumer`, `unspecified`. */
  span_kind: string;
  trace_id: string;
  span_id: string;
  /** "" for a root span. */
  parent_span_id: string;
  /** W3C `tracestate`, secrets scrubbed; absent when empty. */
  trace_state?: string;
  start_time_unix_nano: string;
  end_time_unix_nano: string;
  duration_ms: number;
  /** `unset`, `ok`, `error`. */
  status_code: string;
  status_message?: string;
  events: BeaconSpanEvent[];
}

/** One raw span, only when the policy asks for spans (`include_spans`). */
export interface SpanEvent extends BeaconEventBase<"span"> {
  span: BeaconSpan;
}

/** A data point inside {@link BeaconMetric}. */
export interface BeaconMetricPoint extends ScrubbedAttributes {
  start_time_unix_nano: string;
  time_unix_nano: string;
  value?: number | string;
  count?: number | string;
  sum?: number | string;
}

/** A raw metric stream, compacted. */
export interface BeaconMetric {
  name: string;
  description?: string;
  unit?: string;
  /** `gauge`, `sum`, `histogram`, `exponential_histogram`, `summary`, `empty`. */
  metric_type: string;
  /** `delta`, `cumulative`, `unspecified`; null for gauges and summaries. */
  temporality: string | null;
  monotonic: boolean | null;
  data_points: BeaconMetricPoint[];
}

/** One raw metric stream, only when the policy asks for metrics (`include_metrics`). */
export interface MetricEvent extends BeaconEventBase<"metric"> {
  metric: BeaconMetric;
}

/** A Beacon event of schema version 1: one line of the runtime log. */
export type BeaconEvent =
  | SessionStartEvent
  | PromptEvent
  | ApprovalEvent
  | CommandRunEvent
  | FileChangeEvent
  | McpToolCallEvent
  | ToolResultEvent
  | AgentResponseEvent
  | AutomatedReviewEvent
  | TokenUsageEvent
  | ApiErrorEvent
  | SpanEvent
  | MetricEvent
  | OtherServiceLogEvent;

/** The event of kind `K`. */
export type BeaconEventOfKind<K extends BeaconEventKind> = Extract<BeaconEvent, { kind: K }>;
