/**
 * Property: for random realistic Codex config files (comments, profiles, MCP servers, multi-line
 * strings that mention `[otel]`, CRLF or LF, with or without a BOM, `[otel]` absent or in any
 * accepted form), applying Beacon's settings changes nothing outside the `otel` region (the file
 * with every otel line removed is byte-identical), the managed values read back as wanted, and
 * a second application changes nothing.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { editToml } from "./edit_toml.ts";
import { parseToml } from "./parse_toml.ts";
import { getTomlValue } from "./get_toml_value.ts";
import { tomlValuesEqual } from "./toml_values_equal.ts";
import { indexTomlDocument, pathStartsWith } from "./index_toml_document.ts";
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

const config = fc.record({
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
  const root = [...c.rootLines];
  const sections = [...c.sections];
  if (otel.form === "dotted") {
    for (const [key, value] of pairs) root.push(`otel.${key} = ${value}`);
    if (otel.toolResult) root.push(`otel.tool_result.max_bytes = ${otel.toolResult}`);
  } else if (otel.form === "inline") {
    const inner = pairs.map(([key, value]) => `${key} = ${value}`);
    if (otel.toolResult) inner.push(`tool_result = { max_bytes = ${otel.toolResult} }`);
    root.push(`otel = { ${inner.join(", ")} }`);
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
      [lines.join("\n"), ...subtables].join(
        c.blankLines ? "\n\n" : "\n",
      ),
    );
  }
  const separator = c.blankLines ? "\n\n" : "\n";
  let text = [...root, ...sections].join(separator);
  if (c.trailingNewline && text) text += "\n";
  if (c.crlf) text = text.replaceAll("\n", "\r\n");
  return (c.bom ? "\uFEFF" : "") + text;
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

/** The text with every line that belongs to the otel table removed, and blank lines dropped. */
function withoutOtel(text: string): string {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const index = indexTomlDocument(body);
  const drop: Array<[number, number]> = [];
  for (const section of index.sections) {
    if (pathStartsWith(section.path, ["otel"])) {
      drop.push([
        section.node.range[0],
        section.node.body.at(-1)?.range[1] ?? section.node.range[1],
      ]);
    }
  }
  for (const entry of index.entries) {
    if (!entry.inInline && pathStartsWith(entry.path, ["otel"])) drop.push(entry.node.range);
  }
  const lines: string[] = [];
  let offset = 0;
  for (const line of body.split(/(?<=\n)/)) {
    const start = offset;
    offset += line.length;
    if (drop.some(([from, to]) => start < to && offset > from)) continue;
    if (line.trim() === "") continue;
    lines.push(line.endsWith("\n") ? line : line + (body.includes("\r\n") ? "\r\n" : "\n"));
  }
  return (text.startsWith("\uFEFF") ? "\uFEFF" : "") + lines.join("");
}

Deno.test("editToml changes nothing outside the otel region, for random realistic configs", () => {
  fc.assert(
    fc.property(config, policies, (before, policy) => {
      assert.ok(parseToml(before).ok, `generated config must be valid:\n${before}`);
      const edits = codexDesiredSettings(policy).map(({ path, value }) => ({ path, value }));
      const after = editToml(before, edits);

      assert.equal(withoutOtel(after), withoutOtel(before));
      assert.equal(after.startsWith("\uFEFF"), before.startsWith("\uFEFF"));
      if (before.includes("\r\n")) assert.ok(!/[^\r]\n/.test(after), "CRLF stays CRLF");
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
