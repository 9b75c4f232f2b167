/**
 * What action.yml promises without running it: no input (no expression at all) inside a `run:`
 * script, the cache and upload steps wired to the right outputs, the outputs users read, and the
 * examples and release workflow agreeing with the Action and with action/release_names.sh.
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { type ActionStep, readActionMetadata } from "../support/run_composite_action.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const action = await readActionMetadata(`${ROOT}action.yml`);

function stepById(id: string): ActionStep {
  const step = action.runs.steps.find((candidate) => candidate.id === id);
  assert.ok(step, `action.yml has no step with id ${id}`);
  return step;
}

function stepUsing(prefix: string): ActionStep {
  const step = action.runs.steps.find((candidate) => candidate.uses?.startsWith(prefix));
  assert.ok(step, `action.yml has no step using ${prefix}`);
  return step;
}

Deno.test("action.yml: run: scripts hold no expression; inputs reach them only through env", () => {
  for (const [index, step] of action.runs.steps.entries()) {
    const where = `step ${index + 1} (${step.name ?? step.id ?? step.uses})`;
    if (step.run !== undefined) {
      assert.equal(step.shell, "bash", `${where}: shell must be bash`);
      assert.ok(!step.run.includes("${{"), `${where}: run: holds an expression: ${step.run}`);
    }
    // Elsewhere an input may appear only in env: and with: values, in if: (evaluated by the
    // runner, never by a shell) and in a display name.
    for (const [key, value] of Object.entries(step)) {
      if (["env", "with", "if", "name", "run"].includes(key)) continue;
      assert.ok(!String(value).includes("inputs."), `${where}: ${key} reads an input (${value})`);
    }
  }
  assert.ok(action.runs.steps.some((step) => step.env?.INPUT_COMMAND === "${{ inputs.command }}"));
});

Deno.test("action.yml: the inputs and outputs the README and examples promise", () => {
  for (
    const input of [
      "mode",
      "command",
      "policy",
      "harness",
      "inherit-config",
      "version",
      "binary-path",
      "min-events",
      "require",
      "require-telemetry",
      "upload-artifact",
      "artifact-name",
    ]
  ) {
    assert.ok(input in action.inputs, `missing input ${input}`);
  }
  assert.equal(action.inputs.mode.required, true);
  assert.equal(action.inputs["upload-artifact"].default, "true");
  for (
    const output of ["codex-home", "claude-config-dir", "log-path", "state-path", "summary-path"]
  ) {
    assert.equal(action.outputs[output]?.value, `\${{ steps.beacon.outputs.${output} }}`);
  }
});

Deno.test("action.yml: the binary cache is keyed by version and target, and only for releases", () => {
  const cache = stepUsing("actions/cache@");
  assert.equal(cache.if, "steps.resolve.outputs.source == 'release'");
  assert.deepEqual(cache.with, {
    path: "${{ steps.resolve.outputs.cache-path }}",
    key: "${{ steps.resolve.outputs.cache-key }}",
  });
  const steps = action.runs.steps;
  assert.ok(steps.indexOf(stepById("resolve")) < steps.indexOf(cache));
  assert.ok(steps.indexOf(cache) < steps.indexOf(stepById("install")));
});

Deno.test("action.yml: the log is uploaded whatever happened, never in start mode", () => {
  const artifact = stepById("artifact");
  assert.match(artifact.if ?? "", /^always\(\) && /);
  assert.match(artifact.if ?? "", /inputs\.mode != 'start'/);
  assert.match(artifact.if ?? "", /inputs\.upload-artifact == 'true'/);
  const upload = stepUsing("actions/upload-artifact@");
  assert.equal(upload.if, "always() && steps.artifact.outputs.paths != ''");
  assert.equal(upload.with?.path, "${{ steps.artifact.outputs.paths }}");
  assert.equal(upload.with?.name, "${{ steps.artifact.outputs.name }}");
});

/** Every `uses:` step of a workflow that runs Beacon's Action, with its `with:`. */
function beaconSteps(path: string): Array<{ with?: Record<string, unknown>; id?: string }> {
  const workflow = parse(Deno.readTextFileSync(path)) as {
    jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
  };
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.filter((step) => step.uses === "./" || /(^|\/)beacon@/.test(step.uses ?? ""))
  );
}

Deno.test("examples: pair the Action with openai/codex-action through codex-home; inputs exist", () => {
  const path = `${ROOT}examples/codex-action.yml`;
  const text = Deno.readTextFileSync(path);
  assert.match(text, /codex-home: \$\{\{ steps\.beacon\.outputs\.codex-home \}\}/);
  const steps = beaconSteps(path);
  assert.deepEqual(steps.map((step) => step.with?.mode), ["start", "finish"]);
  assert.equal(steps[0].id, "beacon");
  assert.equal((steps[1] as { if?: string }).if, "always()");
  const examples = [...Deno.readDirSync(`${ROOT}examples`)].map((entry) => entry.name);
  assert.ok(examples.includes("exec.yml"));
  // Claude Code: start (harness claude-code) before claude-code-action and before claude -p,
  // finish after each, whatever happened.
  const claude = beaconSteps(`${ROOT}examples/claude-code.yml`);
  assert.deepEqual(claude.map((step) => step.with?.mode), ["start", "finish", "start", "finish"]);
  assert.ok(
    claude.every((step) => step.with?.mode !== "start" || step.with?.harness === "claude-code"),
  );
  assert.ok(
    claude.every((step) =>
      step.with?.mode !== "finish" || (step as { if?: string }).if === "always()"
    ),
  );
  assert.match(
    Deno.readTextFileSync(`${ROOT}examples/claude-code.yml`),
    /uses: anthropics\/claude-code-action@v1/,
  );
  for (const file of [...examples.map((name) => `examples/${name}`), ".github/workflows/ci.yml"]) {
    for (const step of beaconSteps(`${ROOT}${file}`)) {
      for (const key of Object.keys(step.with ?? {})) {
        assert.ok(key in action.inputs, `${file}: input ${key} is not in action.yml`);
      }
    }
  }
});

Deno.test("release.yml builds exactly the targets action/release_names.sh names", async () => {
  const release = parse(await Deno.readTextFile(`${ROOT}.github/workflows/release.yml`)) as {
    jobs: { build: { strategy: { matrix: { include: Array<{ target: string }> } } } };
  };
  const built = release.jobs.build.strategy.matrix.include.map((entry) => entry.target).sort();
  const output = await new Deno.Command(`${ROOT}action/release_names.sh`, { args: ["targets"] })
    .output();
  assert.ok(output.success);
  const named = new TextDecoder().decode(output.stdout).trim().split("\n").sort();
  assert.deepEqual(built, named);
  const text = await Deno.readTextFile(`${ROOT}.github/workflows/release.yml`);
  assert.match(text, /tools\/smoke_test\.ts/);
  assert.doesNotMatch(text, /--version \|\| true/);
});
