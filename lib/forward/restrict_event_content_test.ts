import assert from "node:assert/strict";
import fc from "fast-check";
import { leaks, SAMPLE_BODY, SECRET_SHAPES, secretBody } from "../../tests/content/fake_secrets.ts";
import { applyContentRule } from "../content/apply_content_rule.ts";
import type { ContentField } from "../content/content_field.ts";
import { applyIdentityRule, hashIdentity } from "../content/hash_identity.ts";
import { hashContent } from "../content/hash_content.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import type { ContentKind, ContentRule } from "../policy/policy_schema.ts";
import {
  type DestinationContentRules,
  restrictEventContent,
  stricterRule,
} from "./restrict_event_content.ts";

const RULES: ContentRule[] = ["keep", "redact", "hash", "drop"];
const STRICTNESS: Record<ContentRule, number> = { keep: 0, redact: 1, hash: 2, drop: 3 };
const KINDS: ContentKind[] = [
  "prompt",
  "tool_arguments",
  "tool_output",
  "agent_response",
  "identity",
];
/** The event fields the forwarder restricts, and the kind whose rule applies to each. */
const FIELDS: Array<[field: string, kind: ContentKind, json?: true]> = [
  ["prompt", "prompt"],
  ["arguments", "tool_arguments", true],
  ["command", "tool_arguments"],
  ["workdir", "tool_arguments"],
  ["output", "tool_output"],
  ["response", "agent_response"],
  ["rationale", "agent_response"],
];

const rule = fc.constantFrom(...RULES);
const rules: fc.Arbitrary<DestinationContentRules> = fc.record(
  Object.fromEntries(KINDS.map((kind) => [kind, rule])) as Record<ContentKind, typeof rule>,
  { requiredKeys: [] },
);

/** Text that may hold a planted secret (`secret` is "" when it holds none). */
const plantedText = fc.oneof(
  fc.string({ maxLength: 60 }).map((text) => ({ text, secret: "" })),
  fc.tuple(fc.constantFrom(...SECRET_SHAPES), secretBody, fc.string({ maxLength: 20 })).map((
    [shape, body, around],
  ) => {
    const planted = shape.plant(body);
    return { text: `${around} ${planted.text}`, secret: planted.secret };
  }),
);

/** The same value as it would sit in a tool's JSON arguments. */
const asJson = (text: string) => JSON.stringify({ cmd: ["bash", "-lc", text] });

Deno.test("stricterRule: keep < redact < hash < drop, either way round", () => {
  for (const a of RULES) {
    for (const b of RULES) {
      assert.equal(stricterRule(a, b), STRICTNESS[a] >= STRICTNESS[b] ? a : b);
      assert.equal(stricterRule(a, b), stricterRule(b, a));
    }
  }
});

Deno.test("restrictEventContent: a kept field restricted is what the log would hold under that rule", () => {
  // The destination's rule over a field the log keeps whole must give exactly what the local
  // rule would have written from the original value.
  fc.assert(
    fc.property(
      plantedText,
      rule,
      fc.constantFrom(...FIELDS),
      ({ text }, to, [field, kind, json]) => {
        const value = json ? asJson(text) : text;
        const options = { maxFieldBytes: 1 << 20, json: json === true };
        const event = { kind: "tool_call", [field]: applyContentRule(value, "keep", options) };
        const restricted = restrictEventContent(event, { [kind]: to });
        assert.deepEqual(restricted[field], applyContentRule(value, to, options));
      },
    ),
  );
});

Deno.test("restrictEventContent: a kept identity restricted is what the identity rule gives", () => {
  const identity = fc.oneof(
    fc.emailAddress(),
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== ""),
  );
  fc.assert(
    fc.property(identity, identity, rule, (email, account, to) => {
      const event = {
        kind: "prompt",
        user: {
          email: applyIdentityRule(email, "keep", 4096),
          account_id: applyIdentityRule(account, "keep", 4096),
        },
      };
      const user = restrictEventContent(event, { identity: to }).user as Record<string, unknown>;
      assert.deepEqual(user.email, applyIdentityRule(email, to, 4096));
      assert.deepEqual(user.account_id, applyIdentityRule(account, to, 4096));
    }),
  );
});

Deno.test("restrictEventContent: a CI run's actor is restricted by the identity rule too", () => {
  const identity = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== "");
  fc.assert(
    fc.property(identity, rule, (actor, to) => {
      const event = {
        kind: "prompt",
        ci: {
          provider: "github-actions",
          repository: "o/r",
          actor: applyIdentityRule(actor, "keep", 4096),
        },
      };
      const ci = restrictEventContent(event, { identity: to }).ci as Record<string, unknown>;
      assert.deepEqual(ci.actor, applyIdentityRule(actor, to, 4096));
      assert.equal(ci.repository, "o/r");
    }),
  );
});

Deno.test("restrictEventContent: a destination never receives more than the log holds", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(plantedText, rule, fc.integer({ min: 8, max: 4096 })), {
        minLength: FIELDS.length + 1,
        maxLength: FIELDS.length + 1,
      }),
      rule,
      rules,
      (values, pathsRule, destinationRules) => {
        const event: Record<string, unknown> = { kind: "tool_call", id: "e1", session_id: "s" };
        const secrets = new Map<string, string>();
        FIELDS.forEach(([field, , json], i) => {
          const [{ text, secret }, local, maxFieldBytes] = values[i];
          const value = json ? asJson(text) : text;
          event[field] = applyContentRule(value, local, { maxFieldBytes, json: json === true });
          secrets.set(field, secret);
        });
        const [{ text: pathText, secret: pathSecret }] = values[FIELDS.length];
        event.paths_mode = pathsRule;
        event.paths = pathsRule === "drop"
          ? undefined
          : pathsRule === "hash"
          ? [hashContent(pathText)]
          : [pathsRule === "redact" ? scrubSecrets(pathText).text : pathText];
        if (event.paths === undefined) delete event.paths;
        const before = structuredClone(event);

        const out = restrictEventContent(event, destinationRules);

        assert.deepEqual(event, before, "the log's event is never changed");
        for (const [field, kind] of FIELDS) {
          const held = event[field] as ContentField;
          const sent = out[field] as ContentField;
          const wanted = stricterRule(held.mode, destinationRules[kind] ?? "keep");
          assert.equal(sent.mode, wanted, `${field}: the stricter of the log's and the rule`);
          assert.equal(sent.bytes, held.bytes);
          if (sent.text !== undefined) {
            assert.ok(held.text !== undefined, `${field}: text the log does not hold`);
            assert.ok(sent.text.length <= held.text.length + 64 * (sent.redactions ?? 0));
          }
          if (held.mode === "hash" || held.mode === "drop") {
            assert.equal(sent.text, undefined);
            if (sent.mode === held.mode) assert.equal(sent, held);
          }
          const secret = secrets.get(field)!;
          if (secret && sent.mode !== "keep") {
            assert.ok(!leaks(JSON.stringify(sent), secret), `${field}: a secret past ${sent.mode}`);
          }
        }
        const pathsSent = stricterRule(pathsRule, destinationRules.tool_arguments ?? "keep");
        assert.equal(out.paths_mode, pathsSent);
        if (pathsSent === "drop") assert.equal(out.paths, undefined);
        if (pathsSent === "hash" && pathsRule !== "hash") {
          assert.deepEqual(out.paths, (event.paths as string[]).map(hashContent));
        }
        if (pathSecret && pathsSent !== "keep") {
          assert.ok(!leaks(JSON.stringify(out.paths ?? []), pathSecret), "a secret in paths");
        }
        for (const key of ["kind", "id", "session_id"]) assert.equal(out[key], event[key]);
      },
    ),
  );
});

Deno.test("restrictEventContent: rules no stricter than the log give the same object back", () => {
  const event = {
    kind: "prompt",
    prompt: applyContentRule(`export TOKEN=${SAMPLE_BODY}`, "redact", { maxFieldBytes: 4096 }),
    user: { email: applyIdentityRule("ada@example.com", "hash", 4096) },
  };
  assert.equal(restrictEventContent(event, {}), event);
  assert.equal(restrictEventContent(event, { prompt: "keep", identity: "keep" }), event);
  assert.equal(restrictEventContent(event, { prompt: "redact", identity: "hash" }), event);
});

Deno.test("restrictEventContent: span and metric content maps follow the strictest rule given", () => {
  const secret = `export OPENAI_API_KEY=sk-proj-${SAMPLE_BODY.repeat(6)}`;
  const kept = applyContentRule(secret, "keep", { maxFieldBytes: 4096 });
  const event = {
    kind: "span",
    span: {
      name: "exec",
      attributes: { "tool.name": "shell" },
      content: { cwd: kept },
      events: [{ name: "e", content: { output: kept } }],
    },
  };
  const out = restrictEventContent(event, { prompt: "keep", tool_output: "hash" }) as typeof event;
  assert.deepEqual(out.span.content.cwd, {
    mode: "hash",
    bytes: kept.bytes,
    sha256: hashContent(secret),
  });
  assert.deepEqual(out.span.events[0].content.output, out.span.content.cwd);
  assert.equal(out.span.attributes, event.span.attributes, "metadata is shared, not copied");
  assert.equal(event.span.content.cwd, kept, "the log's event is unchanged");
  const identity = restrictEventContent(
    { kind: "prompt", user: { email: applyIdentityRule("Ada@Example.com", "keep", 64) } },
    { identity: "hash" },
  ) as { user: { email: ContentField } };
  assert.equal(identity.user.email.sha256, hashIdentity("ada@example.com"));
});
