import assert from "node:assert/strict";
import { ciRunContext } from "./ci_run_context.ts";

Deno.test("ciRunContext reads GitHub Actions, with the PR number from the ref", () => {
  assert.deepEqual(
    ciRunContext({
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_WORKFLOW: "CI",
      GITHUB_JOB: "test",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SHA: "abc",
      GITHUB_REF: "refs/pull/7/merge",
      GITHUB_ACTOR: "ada",
    }),
    {
      provider: "github-actions",
      repository: "acme/app",
      workflow: "CI",
      job: "test",
      run_id: "42",
      run_attempt: "2",
      sha: "abc",
      ref: "refs/pull/7/merge",
      actor: "ada",
      pr: "7",
    },
  );
});

Deno.test("ciRunContext reads GitLab CI, Buildkite, Jenkins and CircleCI", () => {
  assert.deepEqual(
    ciRunContext({ GITLAB_CI: "true", CI_PROJECT_PATH: "g/p", CI_MERGE_REQUEST_IID: "3" }),
    { provider: "gitlab-ci", repository: "g/p", pr: "3" },
  );
  assert.deepEqual(
    ciRunContext({ BUILDKITE: "true", BUILDKITE_PULL_REQUEST: "false", BUILDKITE_COMMIT: "s" }),
    { provider: "buildkite", sha: "s" },
  );
  assert.deepEqual(
    ciRunContext({ JENKINS_URL: "http://j", JOB_NAME: "build", CHANGE_ID: "9" }),
    { provider: "jenkins", workflow: "build", pr: "9" },
  );
  assert.deepEqual(
    ciRunContext({
      CIRCLECI: "true",
      CIRCLE_PROJECT_USERNAME: "o",
      CIRCLE_PROJECT_REPONAME: "r",
      CIRCLE_PULL_REQUEST: "https://github.com/o/r/pull/12",
    }),
    { provider: "circleci", repository: "o/r", pr: "12" },
  );
  assert.deepEqual(ciRunContext({}), { provider: "local" });
});

Deno.test("ciRunContext: each provider's page for the run, when its variables say", () => {
  assert.equal(
    ciRunContext({
      GITHUB_ACTIONS: "true",
      GITHUB_SERVER_URL: "https://github.example.com/",
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "2",
    }).url,
    "https://github.example.com/acme/app/actions/runs/42/attempts/2",
  );
  assert.equal(
    ciRunContext({ GITHUB_ACTIONS: "true", GITHUB_RUN_ID: "42" }).url,
    undefined,
    "no server or repository: no page",
  );
  assert.equal(
    ciRunContext({ GITLAB_CI: "true", CI_JOB_URL: "https://gl/j/1" }).url,
    "https://gl/j/1",
  );
  assert.equal(
    ciRunContext({ BUILDKITE: "true", BUILDKITE_BUILD_URL: "https://bk/b/1" }).url,
    "https://bk/b/1",
  );
  assert.equal(
    ciRunContext({ JENKINS_URL: "http://j", BUILD_URL: "http://j/job/1/" }).url,
    "http://j/job/1/",
  );
  assert.equal(
    ciRunContext({ CIRCLECI: "true", CIRCLE_BUILD_URL: "https://c/1" }).url,
    "https://c/1",
  );
});
