import type { HarnessAdapter } from "./harness_adapter.ts";
import { codexAdapter } from "./codex/codex_adapter.ts";
import { claudeCodeAdapter } from "./claude_code/claude_code_adapter.ts";

/**
 * Every harness Beacon manages, in plan order. Adding a harness is one folder under
 * `lib/harness/` and one line here: the policy schema, the CLI's harness lists, the collector's
 * routing and the event schema's `harness` values follow.
 */
export const HARNESS_ADAPTERS = [
  codexAdapter,
  claudeCodeAdapter,
] as const satisfies readonly HarnessAdapter[];

/** The name of a harness Beacon manages (`codex`, `claude-code`). */
export type HarnessName = typeof HARNESS_ADAPTERS[number]["name"];

/** The names, in registry order. */
export const HARNESS_NAMES: readonly HarnessName[] = HARNESS_ADAPTERS.map((adapter) =>
  adapter.name
);

/** The adapter of a managed harness, by name. */
export function harnessAdapter(name: string): HarnessAdapter | undefined {
  return HARNESS_ADAPTERS.find((adapter) => adapter.name === name);
}
