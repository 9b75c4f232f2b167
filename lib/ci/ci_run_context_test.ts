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
