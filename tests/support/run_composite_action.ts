/**
 * Runs a composite GitHub Action (`action.yml`) the way the Actions runner does, with bash, so the
 * Action's own steps are tested here:
 * - inputs come from the caller, else their defaults; every step's `if:`, `env:` and `with:`
 *   expressions are evaluated (the subset in {@linkcode evaluateExpression});
 * - each `run:` step gets fresh `$GITHUB_OUTPUT`, `$GITHUB_ENV` and `$GITHUB_PATH` files, runs as
 *   `bash --noprofile --norc -eo pipefail FILE` with `GITHUB_ACTION_PATH` set, and what it wrote
 *   there becomes `steps.<id>.outputs` and the environment of later steps (and of the job, as the
 *   runner does: the caller gets it back); `$GITHUB_STEP_SUMMARY` is one file for the whole run;
 * - a failed step marks the job failed: later steps run only if their `if:` says `always()` (or
 *   `failure()`);
 * - `uses:` steps are not run: they are recorded with their evaluated `with:` and whether they
 *   would have run, for the test to check.
 *
 * @module
 */
import { parse } from "yaml";

/** One step of action.yml, as written. */
export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
}

/** The parts of action.yml the runner reads. */
export interface ActionMetadata {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** Reads and parses an action.yml. */
export async function readActionMetadata(path: string): Promise<ActionMetadata> {
  return parse(await Deno.readTextFile(path)) as ActionMetadata;
}

/** What happened to one step. */
export interface StepResult {
  id?: string;
  name?: string;
  /** `"skipped"` when its `if:` was false. A `uses:` step that would run is `"not-run"`. */
  outcome: "success" | "failure" | "skipped" | "not-run";
  uses?: string;
  /** The evaluated `with:` of a `uses:` step. */
  with?: Record<string, string>;
  exitCode?: number;
  stdout: string;
  stderr: string;
}

/** The result of {@linkcode runCompositeAction}. */
export interface ActionRun {
  success: boolean;
  steps: StepResult[];
  /** The action's outputs, evaluated after its last step. */
  outputs: Record<string, string>;
  /** The job's environment after the action: the given one plus what steps added to GITHUB_ENV. */
  env: Record<string, string>;
}

/** Options of {@linkcode runCompositeAction}. */
export interface RunCompositeActionOptions {
  /** The folder holding action.yml: `GITHUB_ACTION_PATH` and `github.action_path`. */
  actionPath: string;
  inputs: Record<string, string>;
  /** The job's environment (PATH, HOME, RUNNER_TEMP, GITHUB_STEP_SUMMARY, ...). */
  env: Record<string, string>;
  /** The `github` context (`action_ref`, `action_repository`, `job`, ...). */
  github?: Record<string, string>;
  /** Working folder of the steps (GITHUB_WORKSPACE). */
  cwd: string;
  /** Folder for the per-step command files. */
  tempDir: string;
}

/** Runs the composite action at `actionPath` with bash; see the module documentation. */
export async function runCompositeAction(options: RunCompositeActionOptions): Promise<ActionRun> {
  const metadata = await readActionMetadata(`${options.actionPath}/action.yml`);
  if (metadata.runs.using !== "composite") throw new Error("not a composite action");
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    inputs[name] = options.inputs[name] ?? String(input.default ?? "");
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in inputs)) throw new Error(`action.yml has no input "${name}"`);
  }
  const env = { ...options.env };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const results: StepResult[] = [];
  let failed = false;
  let stepNumber = 0;
  for (const step of metadata.runs.steps) {
    stepNumber++;
    const context: ExpressionContext = {
      inputs,
      steps,
      env,
      github: { action_path: options.actionPath, ...options.github },
      runner: { os: env.RUNNER_OS ?? "Linux", arch: env.RUNNER_ARCH ?? "X64" },
      failed,
    };
    // As GitHub does: a condition with no status function means `success() && (condition)`.
    const written = step.if === undefined ? "success()" : stripBraces(step.if);
    const condition = /\b(always|success|failure|cancelled)\(\)/.test(written)
      ? written
      : `success() && (${written})`;
    const runs = Boolean(evaluateExpression(condition, context));
    const base = { id: step.id, name: step.name, uses: step.uses, stdout: "", stderr: "" };
    if (!runs) {
      results.push({ ...base, outcome: "skipped" });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped" };
      continue;
    }
    if (step.uses) {
      const withValues: Record<string, string> = {};
      for (const [key, value] of Object.entries(step.with ?? {})) {
        withValues[key] = interpolate(String(value), context);
      }
      results.push({ ...base, outcome: "not-run", with: withValues });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "success" };
      continue;
    }
    if (step.shell !== "bash" || step.run === undefined) {
      throw new Error(`step ${stepNumber}: only run: steps with shell: bash are supported`);
    }
    const stepEnv: Record<string, string> = { ...env };
    for (const [key, value] of Object.entries(step.env ?? {})) {
      stepEnv[key] = interpolate(String(value), context);
    }
    const files = {
      GITHUB_OUTPUT: `${options.tempDir}/output_${stepNumber}`,
      GITHUB_ENV: `${options.tempDir}/env_${stepNumber}`,
      GITHUB_PATH: `${options.tempDir}/path_${stepNumber}`,
    };
    for (const file of Object.values(files)) await Deno.writeTextFile(file, "");
    const script = `${options.tempDir}/step_${stepNumber}.sh`;
    // The runner substitutes expressions in the script text too; action.yml has none there (a
    // test checks), so the text runs as written.
    await Deno.writeTextFile(script, step.run);
    const output = await new Deno.Command("bash", {
      args: ["--noprofile", "--norc", "-eo", "pipefail", script],
      cwd: options.cwd,
      env: {
        ...stepEnv,
        ...files,
        GITHUB_ACTION_PATH: options.actionPath,
        GITHUB_WORKSPACE: options.cwd,
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const outputs = parseCommandFile(await Deno.readTextFile(files.GITHUB_OUTPUT));
    Object.assign(env, parseCommandFile(await Deno.readTextFile(files.GITHUB_ENV)));
    const addedPaths = (await Deno.readTextFile(files.GITHUB_PATH)).split("\n").filter(Boolean);
    if (addedPaths.length) env.PATH = [...addedPaths.reverse(), env.PATH].join(":");
    const outcome = output.success ? "success" : "failure";
    if (!output.success) failed = true;
    if (step.id) steps[step.id] = { outputs, outcome };
    results.push({
      ...base,
      outcome,
      exitCode: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    });
  }
  const finalContext: ExpressionContext = {
    inputs,
    steps,
    env,
    github: { action_path: options.actionPath, ...options.github },
    runner: {},
    failed,
  };
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(metadata.outputs ?? {})) {
    outputs[name] = interpolate(output.value, finalContext);
  }
  return { success: !failed, steps: results, outputs, env };
}

/**
 * Parses a `$GITHUB_OUTPUT` / `$GITHUB_ENV` file: `NAME=VALUE` lines and `NAME<<DELIMITER` blocks.
 * A later value of a name wins.
 */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line === "") continue;
    const heredoc = line.indexOf("<<");
    const equals = line.indexOf("=");
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const end = lines.indexOf(delimiter, index + 1);
      if (end < 0) throw new Error(`no closing delimiter ${delimiter} for ${name}`);
      values[name] = lines.slice(index + 1, end).join("\n");
      index = end;
    } else if (equals > 0) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`invalid command file line: ${line}`);
    }
  }
  return values;
}

/** What an expression can read. */
export interface ExpressionContext {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  env: Record<string, string>;
  github: Record<string, string>;
  runner: Record<string, string>;
  /** Whether an earlier step failed (for success(), failure()). */
  failed: boolean;
}

function stripBraces(text: string): string {
  const match = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  return match ? match[1] : text;
}

/** Replaces every `${{ expression }}` in `text` with its value. */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => {
    const value = evaluateExpression(expression, context);
    return value === undefined || value === null ? "" : String(value);
  });
}

type Value = string | number | boolean | null | undefined | Record<string, unknown>;

/**
 * Evaluates the subset of GitHub's expression language that action.yml uses: property paths
 * (`inputs.x`, `steps.id.outputs.y`, `github.action_ref`, `env.X`, `runner.os`), string, number and
 * boolean literals, `==`, `!=` (strings compared case-insensitively, as GitHub does), `!`, `&&`,
 * `||` (returning an operand, as GitHub does), parentheses, and `always()`, `success()`,
 * `failure()`, `cancelled()`. Anything else throws, so action.yml cannot silently use more.
 */
export function evaluateExpression(expression: string, context: ExpressionContext): Value {
  const tokens =
    expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[()!]|[A-Za-z_][\w.-]*(?:\(\))?|\d+|\S/g) ??
      [];
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];

  function primary(): Value {
    const token = next();
    if (token === undefined) throw new Error(`unexpected end of expression: ${expression}`);
    if (token === "(") {
      const value = or();
      if (next() !== ")") throw new Error(`missing ) in: ${expression}`);
      return value;
    }
    if (token === "!") return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
    if (/^\d+$/.test(token)) return Number(token);
    if (token === "true") return true;
    if (token === "false") return false;
    if (token === "null") return null;
    switch (token) {
      case "always()":
        return true;
      case "success()":
        return !context.failed;
      case "failure()":
        return context.failed;
      case "cancelled()":
        return false;
    }
    if (token.endsWith("()")) throw new Error(`unsupported function ${token} in: ${expression}`);
    return lookup(token);
  }

  function lookup(path: string): Value {
    const [root, ...rest] = path.split(".");
    let value: unknown = (context as unknown as Record<string, unknown>)[root];
    if (value === undefined || root === "failed") {
      throw new Error(`unknown context "${root}" in: ${expression}`);
    }
    for (const key of rest) {
      value = typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[key]
        : undefined;
    }
    return value as Value;
  }

  function comparison(): Value {
    const left = primary();
    const operator = peek();
    if (operator !== "==" && operator !== "!=") return left;
    next();
    const right = primary();
    const equal = normalise(left) === normalise(right);
    return operator === "==" ? equal : !equal;
  }

  function and(): Value {
    let value = comparison();
    while (peek() === "&&") {
      next();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  }

  function or(): Value {
    let value = and();
    while (peek() === "||") {
      next();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  const value = or();
  if (position !== tokens.length) {
    throw new Error(`unexpected "${tokens[position]}" in: ${expression}`);
  }
  return value;
}

function truthy(value: Value): boolean {
  return !(value === false || value === null || value === undefined || value === "" ||
    value === 0);
}

function normalise(value: Value): unknown {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value.toLowerCase() : value;
}
