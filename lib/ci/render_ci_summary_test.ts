import assert from "node:assert/strict";
import { renderCiSummaryMarkdown, renderCiSummaryText } from "./render_ci_summary.ts";
import { summarizeCiEvents } from "./summarize_ci_events.ts";
import { decideCiGates } from "./decide_ci_gates.ts";
import { eventCiRun } from "./event_ci_run.ts";
import type { BeaconEventCiRun } from "../events/beacon_event.ts";

async function report(context: BeaconEventCiRun) {
  const summary = await summarizeCiEvents([]);
  return {
    summary,
    gates: decideCiGates(summary, { min_events: 0, require: [], require_telemetry: true }),
    context,
    logPath: "/r/runtime.jsonl",
    warnings: [],
  };
}

const RUN = eventCiRun({
  provider: "github-actions",
  repository: "acme/app",
  workflow: "CI",
  job: "codex",
  run_id: "4242",
  run_attempt: "2",
  url: "https://github.com/acme/app/actions/runs/4242/attempts/2",
  sha: "0123456789abcdef0123",
  ref: "refs/pull/17/merge",
  actor: "ada",
  pr: "17",
}, { identity: "hash", max_field_bytes: 4096 });

Deno.test("both views name the run: repository, workflow, job, run and attempt, PR, ref, commit", async () => {
  const markdown = renderCiSummaryMarkdown(await report(RUN));
  assert.match(
    markdown,
    /^Run: github-actions · acme\/app · CI · codex · \[run 4242, attempt 2\]\(https:\/\/github\.com\/acme\/app\/actions\/runs\/4242\/attempts\/2\) · PR #17 · refs\/pull\/17\/merge · 0123456789ab$/m,
  );
  const text = renderCiSummaryText(await report(RUN));
  assert.match(
    text,
    /^ {2}Run: github-actions · acme\/app · CI · codex · run 4242, attempt 2 · PR #17 · refs\/pull\/17\/merge · 0123456789ab · https:\/\/github\.com\/acme\/app\/actions\/runs\/4242\/attempts\/2$/m,
  );
  assert.ok(!markdown.includes("ada") && !text.includes("ada"), "the actor is not shown");
});

Deno.test("a branch name cannot add a link, a table cell or emphasis to the step summary", async () => {
  const markdown = renderCiSummaryMarkdown(
    await report({
      provider: "github-actions",
      ref: "refs/heads/[click](https://evil.example)|*x*",
      run_id: "1",
      url: "javascript:alert(1)",
    }),
  );
  const line = markdown.split("\n").find((text) => text.startsWith("Run: "))!;
  assert.equal(
    line,
    "Run: github-actions · run 1 · refs/heads/\\[click\\](https://evil.example)\\|\\*x\\*",
  );
});
