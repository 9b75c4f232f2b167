/**
 * Property: for random realistic Codex config files (comments, profiles, MCP servers, multi-line
 * strings that mention `[otel]`, CRLF or LF, with or without a BOM, `[otel]` absent or in any
 * accepted form, blank lines or not, a final newline or not), applying Beacon's settings keeps
 * every byte outside the `otel` table in place and adds nothing but `otel` (checked with the
 * generator's own record of which pieces are the user's, and smol-toml, not Beacon's TOML code),
 * the managed values read back as wanted, and a second application changes nothing.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { editToml } from "./edit_toml.ts";
import { parseToml } from "./parse_toml.ts";
import { getTomlValue } from "./get_toml_value.ts";
import { tomlValuesEqual } from "./toml_values_equal.ts";
import { parse as parseIndependently } from "smol-toml";
import { codexDesiredSettings } from "../harness/codex/codex_desired_settings.ts";
import { parsePolicy } from "../policy/parse_policy.ts";

const ROOT_LINES = [
  'model = "gpt-5-codex"',
  'review_model = "o3" # fast',
  'approval_policy = "on-request"',
  "# a comment about the model",
  'notes = """\n[otel]\nexporter = "not really"\n"""',
  "disable_response_storage = true",
  'sandbox_mode = "workspace-write"',
];

const SECTIONS = [
  '[profiles.fast]\nmodel = "gpt-5-mini"',
  '[profiles."deep work"]\nmodel = "o3"\nmodel_reasoning_effort = "high"',
  '[mcp_servers.github]\ncommand = "npx"\nargs = [\n  "-y",\n  "@modelcontextprotocol/server-github", # pinned\n]\nenv = { TOKEN = "${GITHUB_TOKEN}" }',
  '[model_providers.azure]\nname = "Azure"\nbase_url = "https://example.openai.azure.com/openai"',
  '[projects."/home/dev/src/app"]\ntrust_level = "trusted"',
  "# Terminal UI\n[tui]\nnotifications = true",
  '[shell_environment_policy]\ninherit = "core"\nexclude = ["AWS_*", "AZURE_*"]',
];

const VALUES: Record<string, string[]> = {
  environment: ['"dev"', '"prod"', "'staging'"],
  log_user_prompt: ["true", "false"],
  log_agent_responses: ["true", "false"],
  trace_exporter: [
    '"none"',
    '{ otlp-http = { endpoint = "http://127.0.0.1:4318/v1/traces", protocol = "binary" } }',
  ],
  metrics_exporter: ['"none"', '"statsig"'],
  exporter: [
    '{ otlp-http = { endpoint = "http://127.0.0.1:4318/v1/logs", protocol = "json" } }',
    '{ otlp-grpc = { endpoint = "http://127.0.0.1:4317" } }',
    '"none"',
  ],
};

const otelKeys = fc.subarray(Object.keys(VALUES)).chain((keys) =>
  fc.tuple(...keys.map((key) => fc.constantFrom(...VALUES[key]).map((value) => [key, value])))
) as fc.Arbitrary<[string, string][]>;

/** The `[otel]` region in one of the forms Codex accepts. */
const otelRegion = fc.record({
  form: fc.constantFrom("none", "section", "section+subtables", "dotted", "inline"),
  keys: otelKeys,
  toolResult: fc.constantFrom(undefined, "2048", "1"),
  comment: fc.boolean(),
  extraUserKey: fc.boolean(),
});

/** A generated config: its text, and the same text cut into user pieces and otel pieces. */
interface GeneratedConfig {
  text: string;
  pieces: { text: string; otel: boolean }[];
}

const config: fc.Arbitrary<GeneratedConfig> = fc.record({
  rootLines: fc.subarray(ROOT_LINES),
  sections: fc.shuffledSubarray(SECTIONS),
  otel: otelRegion,
  otelAt: fc.nat(),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  trailingNewline: fc.boolean(),
  blankLines: fc.boolean(),
}).map((c) => {
  const { otel } = c;
  const pairs = [...otel.keys];
  if (otel.extraUserKey) pairs.push(["log_guardian_assessments", "true"]);
  const user = (text: string) => ({ text, otel: false });
  const ours = (text: string) => ({ text, otel: true });
  const root = c.rootLines.map(user);
  const sections = c.sections.map(user);
  if (otel.form === "dotted") {
    for (const [key, value] of pairs) root.push(ours(`otel.${key} = ${value}`));
    if (otel.toolResult) root.push(ours(`otel.tool_result.max_bytes = ${otel.toolResult}`));
  } else if (otel.form === "inline") {
    const inner = pairs.map(([key, value]) => `${key} = ${value}`);
    if (otel.toolResult) inner.push(`tool_result = { max_bytes = ${otel.toolResult} }`);
    root.push(ours(`otel = { ${inner.join(", ")} }`));
  } else if (otel.form !== "none") {
    const lines = ["[otel]"];
    if (otel.comment) lines.push("# telemetry, set up by hand");
    const subtables: string[] = [];
    for (const [key, value] of pairs) {
      if (otel.form === "section+subtables" && key === "exporter" && value.includes("otlp-http")) {
        subtables.push(
          '[otel.exporter.otlp-http]\nendpoint = "http://127.0.0.1:4318/v1/logs"\nprotocol = "json"',
        );
      } else lines.push(`${key} = ${value}`);
    }
    if (otel.toolResult) {
      if (otel.form === "section+subtables") {
        subtables.push(`[otel.tool_result]\nmax_bytes = ${otel.toolResult}`);
      } else lines.push(`tool_result = { max_bytes = ${otel.toolResult} }`);
    }
    sections.splice(
      c.otelAt % (sections.length + 1),
      0,
      ours([lines.join("\n"), ...subtables].join(c.blankLines ? "\n\n" : "\n")),
    );
  }
  // A line break after an otel piece is the otel table's (new keys go after its last line);
  // every other one is the user's, the final newline included.
  const separator = c.blankLines ? "\n\n" : "\n";
  const lines = [...root, ...sections];
  const pieces: { text: string; otel: boolean }[] = [];
  lines.forEach((line, index) => {
    if (index > 0) pieces.push({ text: separator, otel: lines[index - 1].otel });
    pieces.push(line);
  });
  if (c.trailingNewline && lines.length > 0) pieces.push({ text: "\n", otel: lines.at(-1)!.otel });
  if (c.bom) pieces.unshift(user("\uFEFF"));
  const merged: { text: string; otel: boolean }[] = [];
  for (const piece of pieces) {
    const text = c.crlf ? piece.text.replaceAll("\n", "\r\n") : piece.text;
    const last = merged.at(-1);
    if (last && last.otel === piece.otel) last.text += text;
    else merged.push({ text, otel: piece.otel });
  }
  return {
    text: merged.map((piece) => piece.text).join(""),
    pieces: merged,
  };
});

const policies = fc.record({
  transport: fc.constantFrom("http/protobuf", "http/json", "grpc"),
  spans: fc.boolean(),
  prompt: fc.constantFrom("drop", "redact", "hash", "keep"),
  token: fc.boolean(),
}).map((p) =>
  parsePolicy(
    `[harnesses.codex]\ntransport = "${p.transport}"\ninclude_spans = ${p.spans}\n` +
      `[content]\nprompt = "${p.prompt}"\n[collector]\ngrpc = ${p.transport === "grpc"}\n` +
      (p.token ? `token = "a-shared-token-of-some-length"\n` : ""),
    "generated",
  )
);

/**
 * Checks, without Beacon's TOML code, that `after` holds every user piece of `before` byte for
 * byte and in order, and that whatever else it holds is only the otel table: each stretch between
 * user pieces, read by smol-toml on its own, defines nothing but `otel`.
 */
function assertOnlyOtelChanged(before: GeneratedConfig, after: string): void {
  let at = 0;
  const others: string[] = [];
  for (const piece of before.pieces.filter((piece) => !piece.otel)) {
    const found = after.indexOf(piece.text, at);
    assert.ok(found >= 0, `user text lost or changed: ${JSON.stringify(piece.text)}\n${after}`);
    others.push(after.slice(at, found));
    at = found + piece.text.length;
  }
  others.push(after.slice(at));
  for (const other of others) {
    const keys = Object.keys(parseIndependently(other.replace(/^\uFEFF/, "")));
    assert.ok(keys.every((key) => key === "otel"), `not otel: ${JSON.stringify(other)}`);
  }
}

Deno.test("editToml changes nothing outside the otel region, for random realistic configs", () => {
  fc.assert(
    fc.property(config, policies, (generated, policy) => {
      const before = generated.text;
      assert.ok(parseToml(before).ok, `generated config must be valid:\n${before}`);
      const edits = codexDesiredSettings(policy).map(({ path, value }) => ({ path, value }));
      const after = editToml(before, edits);

      assertOnlyOtelChanged(generated, after);
      assert.equal(after.startsWith("\uFEFF"), before.startsWith("\uFEFF"));
      if (before.includes("\r\n")) assert.ok(!/[^\r]\n/.test(after), "CRLF stays CRLF");
      assert.ok(parseIndependently(after.replace(/^\uFEFF/, "")), "smol-toml reads it too");
      const parsed = parseToml(after);
      assert.ok(parsed.ok);
      for (const { path, value } of edits) {
        assert.ok(tomlValuesEqual(getTomlValue(parsed.value, path), value), path.join("."));
      }
      assert.equal(editToml(after, edits), after, "a second edit is a no-op");
    }),
    { numRuns: 400 },
  );
});

Deno.test("the generated configs exercise blank lines, no final newline, CRLF and every otel form", () => {
  const samples = fc.sample(config, { numRuns: 400, seed: 11 });
  assert.ok(samples.some(({ text }) => /\n\r?\n/.test(text)));
  assert.ok(samples.some(({ text }) => text.length > 0 && !text.endsWith("\n")));
  assert.ok(samples.some(({ text }) => text.includes("\r\n")));
  assert.ok(samples.some(({ text }) => text.startsWith("\uFEFF")));
  for (const form of [/^\[otel\]/m, /^otel\./m, /^otel = \{/m, /^\[otel\.exporter/m]) {
    assert.ok(samples.some(({ text }) => form.test(text)), String(form));
  }
});
