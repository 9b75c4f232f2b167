import assert from "node:assert/strict";
import { eventCiRun } from "./event_ci_run.ts";
import { applyIdentityRule, hashIdentity } from "../content/hash_identity.ts";

const RULES = { identity: "hash", max_field_bytes: 4096 } as const;

Deno.test("eventCiRun keeps the run's metadata, in order, and hashes the actor by default", () => {
  const run = eventCiRun({
    provider: "github-actions",
    repository: "acme/app",
    workflow: "CI, nightly",
    job: "codex",
    run_id: "4242",
    run_attempt: "1",
    url: "https://github.com/acme/app/actions/runs/4242/attempts/1",
    sha: "0123abcd",
    ref: "refs/pull/17/merge",
    actor: "ada",
    pr: "17",
  }, RULES);
  assert.deepEqual(run, {
    provider: "github-actions",
    repository: "acme/app",
    workflow: "CI, nightly",
    job: "codex",
    run_id: "4242",
    run_attempt: "1",
    url: "https://github.com/acme/app/actions/runs/4242/attempts/1",
    sha: "0123abcd",
    ref: "refs/pull/17/merge",
    pr: "17",
    actor: { mode: "hash", bytes: 3, sha256: hashIdentity("ada") },
  });
  assert.ok(!JSON.stringify(run).includes('"ada"'), "the actor is never there raw");
});

Deno.test("eventCiRun: the actor follows every identity rule, as user does", () => {
  for (const identity of ["keep", "redact", "hash", "drop"] as const) {
    const run = eventCiRun({ provider: "gitlab-ci", actor: "ada@example.com" }, {
      identity,
      max_field_bytes: 4096,
    });
    assert.deepEqual(run.actor, applyIdentityRule("ada@example.com", identity, 4096), identity);
  }
  assert.equal(eventCiRun({ provider: "local" }, RULES).actor, undefined);
});

Deno.test("eventCiRun scrubs secrets from every value and cuts each to max_field_bytes", () => {
  const token = "ghp_" + "a1B2c3D4e5".repeat(4);
  const run = eventCiRun({
    provider: "jenkins",
    repository: "https://ci-bot:hunter2hunter2@git.example.com/acme/app.git",
    ref: `feature/${token}`,
    workflow: "w".repeat(100),
  }, { identity: "hash", max_field_bytes: 64 });
  const text = JSON.stringify(run);
  assert.ok(!text.includes("hunter2"), text);
  assert.ok(!text.includes(token), text);
  assert.match(run.repository!, /^https:\/\/ci-bot:\[REDACTED:url-password\]@git\.example\.com/);
  assert.match(run.ref!, /^feature\/\[REDACTED:/);
  assert.equal(run.workflow, "w".repeat(64));
});
