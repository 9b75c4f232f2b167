import type { BeaconEventCiRun } from "../events/beacon_event.ts";

/**
 * Where a CI run happens, read from the CI system's own variables. Absent values are omitted. The
 * fields are those events carry ({@link BeaconEventCiRun}, where each is described), with the
 * actor still the raw login (events carry it after the policy's identity rule).
 */
export type CiRunContext = Omit<BeaconEventCiRun, "actor"> & { actor?: string };

/**
 * Every field of a {@link CiRunContext}: the provider, the run's metadata in the order events
 * carry it, then the actor (an identity).
 */
export const CI_RUN_CONTEXT_FIELDS = [
  "provider",
  "repository",
  "workflow",
  "job",
  "run_id",
  "run_attempt",
  "url",
  "sha",
  "ref",
  "pr",
  "actor",
] as const satisfies readonly (keyof CiRunContext)[];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The run context from the environment of GitHub Actions, GitLab CI, Buildkite, Jenkins or
 * CircleCI (the first one whose marker variable is set), else `{ provider: "local" }`.
 *
 * @example
 * ```ts
 * ciRunContext({ GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "acme/app", GITHUB_RUN_ID: "42" });
 * // { provider: "github-actions", repository: "acme/app", run_id: "42" }
 * ```
 */
export function ciRunContext(env: Env): CiRunContext {
  const pick = (fields: Omit<CiRunContext, "provider">, provider: string): CiRunContext => {
    const context: CiRunContext = { provider };
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === "string" && value !== "") {
        (context as unknown as Record<string, string>)[key] = value;
      }
    }
    return context;
  };
  if (env.GITHUB_ACTIONS === "true" || env.GITHUB_RUN_ID) {
    return pick({
      repository: env.GITHUB_REPOSITORY,
      workflow: env.GITHUB_WORKFLOW,
      job: env.GITHUB_JOB,
      run_id: env.GITHUB_RUN_ID,
      run_attempt: env.GITHUB_RUN_ATTEMPT,
      url: githubRunUrl(env),
      sha: env.GITHUB_SHA,
      ref: env.GITHUB_REF,
      actor: env.GITHUB_ACTOR,
      pr: githubPullRequestNumber(env.GITHUB_REF),
    }, "github-actions");
  }
  if (env.GITLAB_CI) {
    return pick({
      repository: env.CI_PROJECT_PATH,
      workflow: env.CI_PIPELINE_ID,
      job: env.CI_JOB_NAME,
      run_id: env.CI_JOB_ID,
      url: env.CI_JOB_URL,
      sha: env.CI_COMMIT_SHA,
      ref: env.CI_COMMIT_REF_NAME,
      actor: env.GITLAB_USER_LOGIN,
      pr: env.CI_MERGE_REQUEST_IID,
    }, "gitlab-ci");
  }
  if (env.BUILDKITE) {
    return pick({
      repository: env.BUILDKITE_REPO,
      workflow: env.BUILDKITE_PIPELINE_SLUG,
      job: env.BUILDKITE_LABEL ?? env.BUILDKITE_STEP_KEY,
      run_id: env.BUILDKITE_BUILD_NUMBER,
      run_attempt: env.BUILDKITE_RETRY_COUNT,
      url: env.BUILDKITE_BUILD_URL,
      sha: env.BUILDKITE_COMMIT,
      ref: env.BUILDKITE_BRANCH,
      actor: env.BUILDKITE_BUILD_CREATOR,
      pr: env.BUILDKITE_PULL_REQUEST === "false" ? undefined : env.BUILDKITE_PULL_REQUEST,
    }, "buildkite");
  }
  if (env.JENKINS_URL) {
    return pick({
      repository: env.GIT_URL,
      workflow: env.JOB_NAME,
      job: env.STAGE_NAME,
      run_id: env.BUILD_NUMBER,
      url: env.BUILD_URL,
      sha: env.GIT_COMMIT,
      ref: env.GIT_BRANCH ?? env.BRANCH_NAME,
      actor: env.BUILD_USER_ID,
      pr: env.CHANGE_ID,
    }, "jenkins");
  }
  if (env.CIRCLECI) {
    return pick({
      repository: env.CIRCLE_PROJECT_USERNAME && env.CIRCLE_PROJECT_REPONAME
        ? `${env.CIRCLE_PROJECT_USERNAME}/${env.CIRCLE_PROJECT_REPONAME}`
        : env.CIRCLE_REPOSITORY_URL,
      workflow: env.CIRCLE_WORKFLOW_ID,
      job: env.CIRCLE_JOB,
      run_id: env.CIRCLE_BUILD_NUM,
      url: env.CIRCLE_BUILD_URL,
      sha: env.CIRCLE_SHA1,
      ref: env.CIRCLE_BRANCH ?? env.CIRCLE_TAG,
      actor: env.CIRCLE_USERNAME,
      pr: env.CIRCLE_PR_NUMBER ?? env.CIRCLE_PULL_REQUEST?.match(/\/pull\/(\d+)$/)?.[1],
    }, "circleci");
  }
  return { provider: "local" };
}

/** `refs/pull/123/merge` -> `123`. */
function githubPullRequestNumber(ref: string | undefined): string | undefined {
  return ref?.match(/^refs\/pull\/(\d+)\//)?.[1];
}

/** `https://github.com/acme/app/actions/runs/42/attempts/2`, when the runner says where. */
function githubRunUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env;
  if (!server || !repository || !id) return undefined;
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : "";
  return `${server.replace(/\/+$/, "")}/${repository}/actions/runs/${id}${attempt}`;
}
