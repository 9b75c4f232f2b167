/**
 * End to end through the Codex classifier: a secret passed as its own argument, in tool
 * arguments as Codex 0.169 sends them, never reaches the runtime log event under the default
 * policy (`tool_arguments = "redact"`). The record is a real captured `codex.tool_result` with
 * only its arguments replaced.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { classifyCodexLogRecord } from "../../lib/harness/codex/classify_codex_log_record.ts";
import {
  allStrings,
  assertValidBeaconEvent,
  codexRunLogRecords,
  policyOf,
} from "../../lib/harness/codex/classify_test_fixtures.ts";
import type { FlatLogRecord } from "../../lib/otlp/flatten_log_records.ts";
import { leaks, secretBody } from "./fake_secrets.ts";

const DEFAULT_POLICY = policyOf();

const captured = (await codexRunLogRecords("06-http-binary-all-prompt-false"))
  .find((record) => record.attributes["event.name"] === "codex.tool_result");
if (captured === undefined) throw new Error("the capture has no codex.tool_result record");

/** The captured tool result with other arguments: what the runtime log would get. */
function eventFor(toolName: string, argumentsJson: string) {
  const record: FlatLogRecord = {
    ...captured!,
    attributes: { ...captured!.attributes, tool_name: toolName, arguments: argumentsJson },
  };
  const event = classifyCodexLogRecord(record, {
    policy: DEFAULT_POLICY,
    receivedAt: new Date("2030-01-01T00:00:00Z"),
  });
  assert.ok(event, "the record is classified");
  assertValidBeaconEvent(event);
  return event;
}

/** Command lines with `SECRET` as a separate argument, as an agent writes them. */
const COMMANDS = [
  "docker login -u ci -p SECRET registry.example.com",
  "mysql -uroot -pSECRET -e 'show databases'",
  "redis-cli -h cache -a SECRET ping",
  "aws configure set aws_secret_access_key SECRET",
  "npm config set //registry.npmjs.org/:_authToken SECRET",
  "kubectl create secret generic db --from-literal=password=SECRET",
  "az login -u me@example.com -p SECRET",
  "twine upload -u __token__ -p SECRET dist/*",
  "cd /srv && echo SECRET | docker login -u ci --password-stdin ghcr.io && docker push app",
];

/** The three ways Codex sends a shell call's arguments. */
const SHAPES: [string, (command: string) => unknown][] = [
  ["exec_command", (command) => ({ cmd: command, yield_time_ms: 10000 })],
  ["shell", (command) => ({ command: ["bash", "-lc", command], workdir: "/srv" })],
  ["shell_command", (command) => ({ command, workdir: "/srv", timeout_ms: 30000 })],
];

Deno.test("default policy: a secret passed as its own argument never reaches the event", () => {
  for (const [tool, shape] of SHAPES) {
    for (const command of COMMANDS) {
      fc.assert(
        fc.property(secretBody, (secret) => {
          const event = eventFor(tool, JSON.stringify(shape(command.replaceAll("SECRET", secret))));
          assert.equal(event.kind, "command_run");
          const strings = allStrings(event);
          const json = JSON.stringify(event);
          assert.ok(!strings.some((text) => leaks(text, secret)), `${tool}: ${json}`);
          assert.ok(json.includes("[REDACTED:"), json);
        }),
        { numRuns: 10 },
      );
    }
  }
});

Deno.test("default policy: the command stays readable, only the secret is replaced", () => {
  const event = eventFor(
    "exec_command",
    JSON.stringify({
      cmd: "docker login -u ci -p Q7mRt2XvLp9sWd4KzNb8Hc r && docker run -p 80:80 app",
    }),
  );
  assert.ok(event.kind === "command_run");
  assert.equal(
    event.command?.text,
    "docker login -u ci -p [REDACTED:secret] r && docker run -p 80:80 app",
  );
  assert.equal(event.command?.redactions, 1);
  assert.equal(
    event.arguments?.text,
    JSON.stringify({ cmd: "docker login -u ci -p [REDACTED:secret] r && docker run -p 80:80 app" }),
  );
});

Deno.test("default policy: a command without secrets is kept byte for byte", () => {
  const cmd = "mkdir -p out && docker run -p 8080:80 nginx && ssh -p 2222 host 'git log -p'";
  const event = eventFor("exec_command", JSON.stringify({ cmd, yield_time_ms: 1000 }));
  assert.ok(event.kind === "command_run");
  assert.deepEqual(event.command, { mode: "redact", bytes: cmd.length, text: cmd, redactions: 0 });
});
