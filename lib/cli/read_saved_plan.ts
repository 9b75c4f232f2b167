import type { FileSystem } from "../reconcile/file_system.ts";
import { isSettingsStep, type Plan } from "../reconcile/plan.ts";
import { parseTomlJson } from "../toml/toml_json.ts";

/** Reads a plan saved with `apply --plan --out FILE`. */
export async function readSavedPlan(fs: FileSystem, path: string): Promise<Plan> {
  const bytes = await fs.readFile(path);
  if (!bytes) throw new Error(`Cannot read the saved plan "${path}": no such file.`);
  let saved: { plan?: Plan };
  try {
    saved = parseTomlJson(new TextDecoder().decode(bytes)) as { plan?: Plan };
  } catch (error) {
    throw new Error(`"${path}" is not a saved Beacon plan: ${(error as Error).message}`);
  }
  const plan = saved.plan;
  if (!plan || plan.formatVersion !== 1 || !Array.isArray(plan.steps)) {
    throw new Error(
      `"${path}" is not a saved Beacon plan (format 1). Save one with ` +
        "`beacon apply --plan --out FILE`.",
    );
  }
  const other = plan.steps.find((step) => !isSettingsStep(step));
  if (other) {
    throw new Error(
      `"${path}" holds a ${other.kind} step: only harness settings plans (from ` +
        "`beacon apply --plan --out FILE`) can be applied with --from-plan; run " +
        "`beacon endpoint install` or `repair` for the endpoint.",
    );
  }
  if (plan.steps.some((step) => isSettingsStep(step) && !Array.isArray(step.edits))) {
    throw new Error(
      `"${path}" is a printed plan with secrets masked, which cannot be applied. Save one with ` +
        "`beacon apply --plan --out FILE`.",
    );
  }
  return plan;
}
