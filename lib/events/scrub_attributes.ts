import { applyContentRule } from "../content/apply_content_rule.ts";
import { applyIdentityRule } from "../content/hash_identity.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import { splitNameWords } from "../content/split_name_words.ts";
import type { FlatObject, FlatValue } from "../otlp/flatten_any_value.ts";
import type { ContentField } from "../content/content_field.ts";
import type { ContentKind, Policy } from "../policy/policy_schema.ts";
import type { ScrubbedAttributes } from "./beacon_event.ts";

/**
 * The last word of an attribute name that marks its value as content, and which policy rule
 * governs it. Conservative on purpose: `cwd` and `code.file.path` are treated as tool
 * arguments, `message` as tool output.
 */
const CONTENT_WORDS: Readonly<Record<string, ContentKind>> = {
  prompt: "prompt",
  prompts: "prompt",
  input: "prompt",
  inputs: "prompt",
  query: "prompt",
  instructions: "prompt",
  text: "prompt",
  arguments: "tool_arguments",
  args: "tool_arguments",
  argv: "tool_arguments",
  command: "tool_arguments",
  cmd: "tool_arguments",
  script: "tool_arguments",
  patch: "tool_arguments",
  diff: "tool_arguments",
  justification: "tool_arguments",
  cwd: "tool_arguments",
  workdir: "tool_arguments",
  dir: "tool_arguments",
  directory: "tool_arguments",
  path: "tool_arguments",
  paths: "tool_arguments",
  file: "tool_arguments",
  filename: "tool_arguments",
  url: "tool_arguments",
  uri: "tool_arguments",
  output: "tool_output",
  outputs: "tool_output",
  stdout: "tool_output",
  stderr: "tool_output",
  result: "tool_output",
  message: "tool_output",
  error: "tool_output",
  body: "tool_output",
  content: "tool_output",
  response: "agent_response",
  completion: "agent_response",
  answer: "agent_response",
  rationale: "agent_response",
  reasoning: "agent_response",
  summary: "agent_response",
  email: "identity",
  account_id: "identity",
  user_id: "identity",
  username: "identity",
};

/**
 * Names that look like content by their last word but are the emitting program's own metadata
 * (OpenTelemetry's source-location and HTTP route conventions). Their strings are still scrubbed.
 */
const METADATA_NAMES: ReadonlySet<string> = new Set([
  "code.file.path",
  "code.filepath",
  "code.function",
  "code.function.name",
  "code.namespace",
  "api.path",
  "http.route",
]);

/**
 * Which content rule governs the attribute `name`, judged by its last dot-separated segment:
 * the whole segment (`account_id`) or its last word (`tool.arguments`, `gen_ai.prompt`,
 * `user.email`, `run.cwd`); undefined for metadata names (`duration_ms`, `tool_name`,
 * `prompt_length`: a length is not content) and for OpenTelemetry's own `code.file.path` and
 * `api.path`.
 *
 * @example
 * ```ts
 * contentKindOfAttribute("cwd"); // "tool_arguments"
 * contentKindOfAttribute("prompt_length"); // undefined
 * ```
 */
export function contentKindOfAttribute(name: string): ContentKind | undefined {
  if (METADATA_NAMES.has(name)) return undefined;
  const segment = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  if (Object.hasOwn(CONTENT_WORDS, segment)) return CONTENT_WORDS[segment];
  const words = splitNameWords(segment);
  const last = words[words.length - 1]?.toLowerCase();
  return last !== undefined && Object.hasOwn(CONTENT_WORDS, last) ? CONTENT_WORDS[last] : undefined;
}

/**
 * Splits raw attributes (of a span, span event or metric data point) into metadata and content,
 * so that nothing a policy drops can pass through:
 *
 * - an attribute whose name marks content ({@link contentKindOfAttribute}) and whose value holds
 *   text goes to `content`, as the ContentField of the matching policy rule (identities through
 *   the identity rule); arrays and objects are rendered as JSON first and scrubbed as JSON;
 * - every other string, at any depth, goes through `scrubSecrets` whatever the policy says;
 *   numbers, booleans and null are kept.
 *
 * `content` is absent when no attribute was content.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * const policy = v.parse(PolicySchema, {});
 * scrubAttributes({ cwd: "/home/ada/secret-project", item_count: 3 }, policy);
 * // { attributes: { item_count: 3 }, content: { cwd: { mode: "redact", bytes: 24, text: "/home/ada/secret-project", redactions: 0 } } }
 * ```
 */
export function scrubAttributes(
  attributes: Readonly<Record<string, FlatValue>>,
  policy: Policy,
): ScrubbedAttributes {
  const kept: Record<string, FlatValue> = {};
  const content: Record<string, ContentField> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const kind = contentKindOfAttribute(name);
    if (kind !== undefined && holdsText(value)) {
      content[scrubSecrets(name).text] = contentField(value, kind, policy);
    } else {
      kept[scrubSecrets(name).text] = scrubFlatValue(value);
    }
  }
  return Object.keys(content).length === 0 ? { attributes: kept } : { attributes: kept, content };
}

/**
 * `value` with `scrubSecrets` applied to every string in it (object keys included).
 *
 * @example
 * ```ts
 * scrubFlatValue(["ok", "GITHUB_TOKEN=ghp_abc"]); // ["ok", "GITHUB_TOKEN=[REDACTED:secret]"]
 * ```
 */
export function scrubFlatValue(value: FlatValue): FlatValue {
  if (typeof value === "string") return scrubSecrets(value).text;
  if (Array.isArray(value)) return value.map(scrubFlatValue);
  if (value !== null && typeof value === "object") {
    const out: FlatObject = {};
    for (const [key, item] of Object.entries(value)) {
      out[scrubSecrets(key).text] = scrubFlatValue(item);
    }
    return out;
  }
  return value;
}

function holdsText(value: FlatValue): boolean {
  if (typeof value === "string") return true;
  if (Array.isArray(value)) return value.some(holdsText);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsText);
  return false;
}

function contentField(value: FlatValue, kind: ContentKind, policy: Policy): ContentField {
  const maxFieldBytes = policy.content.max_field_bytes;
  const rule = policy.content[kind];
  if (typeof value === "string") {
    return kind === "identity"
      ? applyIdentityRule(value, rule, maxFieldBytes)
      : applyContentRule(value, rule, { maxFieldBytes });
  }
  return applyContentRule(JSON.stringify(value), rule, { maxFieldBytes, json: true });
}
