import { CI_RUN_CONTEXT_FIELDS, type CiRunContext } from "./ci_run_context.ts";

/** The run context's file in a CI run's base folder (`ci start` writes it 0600). */
export const CI_CONTEXT_FILE = "ci_context.json";

const FIELDS = new Set<string>(CI_RUN_CONTEXT_FIELDS);

/**
 * The run context in a `--ci-context` file (what `ci start` wrote: the {@link CiRunContext} as
 * one JSON object). Refuses anything else with a message that names the file and the field, so
 * a collector given a wrong file does not start rather than stamp events with nonsense.
 *
 * @example
 * ```ts
 * parseCiContextFile('{"provider":"github-actions","run_id":"42"}', "ci_context.json");
 * // { provider: "github-actions", run_id: "42" }
 * ```
 */
export function parseCiContextFile(text: string, path: string): CiRunContext {
  const fail = (why: string): never => {
    throw new Error(
      `Cannot use the CI context file "${path}": ${why}. It is written by \`beacon ci start\` ` +
        `(${CI_CONTEXT_FILE} in the run's folder); pass that file, or no --ci-context.`,
    );
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("expected one JSON object");
  }
  for (const [key, field] of Object.entries(value)) {
    if (!FIELDS.has(key)) return fail(`unknown field "${key}"`);
    if (typeof field !== "string") return fail(`"${key}" must be a string`);
  }
  const context = value as CiRunContext;
  if (!context.provider) return fail(`"provider" is missing or empty`);
  return { ...context };
}
