/**
 * A destination's own content rules, applied on top of what the runtime log already holds.
 *
 * @module
 */
import type { ContentField } from "../content/content_field.ts";
import { hashContent } from "../content/hash_content.ts";
import { applyIdentityRule, hashIdentity } from "../content/hash_identity.ts";
import { scrubJsonStrings } from "../content/scrub_json_strings.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import type { ContentKind, ContentRule } from "../policy/policy_schema.ts";

/** A destination's content rules; an absent kind sends what the runtime log holds. */
export type DestinationContentRules = Partial<Record<ContentKind, ContentRule>>;

const STRICTNESS: Record<ContentRule, number> = { keep: 0, redact: 1, hash: 2, drop: 3 };

/** Which event fields hold which kind of content (see `lib/events/beacon_event.ts`). */
const FIELD_KINDS: ReadonlyArray<[field: string, kind: ContentKind, json?: true]> = [
  ["prompt", "prompt"],
  ["arguments", "tool_arguments", true],
  ["command", "tool_arguments"],
  ["workdir", "tool_arguments"],
  ["output", "tool_output"],
  ["response", "agent_response"],
  ["rationale", "agent_response"],
];

/**
 * The stricter of two rules (`keep` < `redact` < `hash` < `drop`). A destination can make a
 * field stricter than the runtime log keeps it, never looser: the log is all it has.
 */
export function stricterRule(a: ContentRule, b: ContentRule): ContentRule {
  return STRICTNESS[a] >= STRICTNESS[b] ? a : b;
}

/**
 * `event` (a runtime-log line, parsed) as a destination with `rules` may receive it. Returns
 * the same object when no rule is stricter than what the log holds; otherwise a copy. Pure.
 *
 * A field the log keeps (`keep`) or scrubbed (`redact`) can become `redact` (scrubbed again),
 * `hash` (SHA-256 of the text the log holds: for truncated or scrubbed text that is not the hash
 * the log would have written for the original) or `drop` (the length only). Span and metric
 * `content` maps, whose kind is not known per key, follow the strictest of the rules given.
 *
 * @example
 * ```ts
 * const event = { kind: "prompt", prompt: { mode: "keep", bytes: 5, text: "hello" } };
 * restrictEventContent(event, { prompt: "drop" });
 * // { kind: "prompt", prompt: { mode: "drop", bytes: 5 } }
 * ```
 */
export function restrictEventContent(
  event: Record<string, unknown>,
  rules: DestinationContentRules,
): Record<string, unknown> {
  const given = Object.values(rules) as ContentRule[];
  if (given.every((rule) => rule === "keep")) return event;
  let copy: Record<string, unknown> | null = null;
  const set = (key: string, value: unknown) => {
    copy ??= { ...event };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  };
  for (const [field, kind, json] of FIELD_KINDS) {
    const rule = rules[kind];
    const value = event[field];
    if (!rule || !isContentField(value)) continue;
    const restricted = restrictField(value, rule, json === true);
    if (restricted !== value) set(field, restricted);
  }
  const pathsRule = rules.tool_arguments;
  if (pathsRule && typeof event.paths_mode === "string" && Array.isArray(event.paths)) {
    const mode = stricterRule(event.paths_mode as ContentRule, pathsRule);
    if (mode !== event.paths_mode) {
      set("paths_mode", mode);
      const paths = event.paths as string[];
      set(
        "paths",
        mode === "drop"
          ? undefined
          : mode === "hash"
          ? paths.map((path) => event.paths_mode === "hash" ? path : hashContent(path))
          : paths.map((path) => scrubSecrets(path).text),
      );
    }
  }
  const identityRule = rules.identity;
  const user = event.user as Record<string, unknown> | undefined;
  if (identityRule && user && typeof user === "object") {
    let userCopy: Record<string, unknown> | null = null;
    for (const key of ["email", "account_id"]) {
      const value = user[key];
      if (!isContentField(value)) continue;
      const restricted = restrictField(value, identityRule, false, true);
      if (restricted !== value) (userCopy ??= { ...user })[key] = restricted;
    }
    if (userCopy) set("user", userCopy);
  }
  const ci = event.ci as Record<string, unknown> | undefined;
  if (identityRule && ci && typeof ci === "object" && isContentField(ci.actor)) {
    // The CI run's actor (the login that triggered it) is an identity like `user`'s.
    const restricted = restrictField(ci.actor, identityRule, false, true);
    if (restricted !== ci.actor) set("ci", { ...ci, actor: restricted });
  }
  const strictest = given.reduce(stricterRule, "keep");
  for (const key of ["span", "metric"]) {
    const inner = event[key];
    if (inner && typeof inner === "object") {
      const restricted = restrictContentMaps(inner, strictest);
      if (restricted !== inner) set(key, restricted);
    }
  }
  return copy ?? event;
}

function restrictField(
  field: ContentField,
  rule: ContentRule,
  json: boolean,
  identity = false,
): ContentField {
  const mode = stricterRule(field.mode, rule);
  if (mode === field.mode) {
    // The same rule again: `redact` scrubs already scrubbed text to the same text.
    return field;
  }
  const text = field.text ?? "";
  switch (mode) {
    case "redact": {
      if (identity) {
        // An identity is redacted as the local rule would (`***@domain`), not scrubbed for
        // secrets: scrubbing leaves an email address whole.
        const redacted = applyIdentityRule(text, "redact", Infinity);
        return { ...redacted, bytes: field.bytes };
      }
      const scrubbed = json ? scrubJsonStrings(text) : scrubSecrets(text);
      return {
        mode,
        bytes: field.bytes,
        text: scrubbed.text,
        ...(field.truncated ? { truncated: true } : {}),
        redactions: (field.redactions ?? 0) + scrubbed.redactions,
      };
    }
    case "hash":
      return {
        mode,
        bytes: field.bytes,
        sha256: identity ? hashIdentity(text) : hashContent(text),
      };
    default:
      return { mode: "drop", bytes: field.bytes };
  }
}

/** Walks a span or metric value and restricts every `content` map in it. */
function restrictContentMaps(value: unknown, rule: ContentRule): unknown {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = restrictContentMaps(item, rule);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const [key, inner] of Object.entries(record)) {
    let next: unknown = inner;
    if (key === "content" && inner && typeof inner === "object" && !Array.isArray(inner)) {
      let contentCopy: Record<string, unknown> | null = null;
      for (const [name, field] of Object.entries(inner as Record<string, unknown>)) {
        if (!isContentField(field)) continue;
        const restricted = restrictField(field, rule, false);
        if (restricted !== field) (contentCopy ??= { ...(inner as object) })[name] = restricted;
      }
      next = contentCopy ?? inner;
    } else if (inner && typeof inner === "object") {
      next = restrictContentMaps(inner, rule);
    }
    if (next !== inner) (copy ??= { ...record })[key] = next;
  }
  return copy ?? value;
}

function isContentField(value: unknown): value is ContentField {
  return !!value && typeof value === "object" && typeof (value as ContentField).mode === "string" &&
    typeof (value as ContentField).bytes === "number";
}
