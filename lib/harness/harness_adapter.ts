import type { Host } from "../host/host.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { OwnershipState } from "../reconcile/ownership_store.ts";
import type { PlanStep, PlanWarning } from "../reconcile/plan.ts";

/** Everything a harness adapter may read while planning. Planning never writes. */
export interface PlanContext {
  policy: Policy;
  host: Host;
  fs: FileSystem;
  ownership: OwnershipState;
  /** Take over values someone else set (`--force` or the policy's `on_conflict`). */
  force: boolean;
}

/** The plan steps and warnings one harness contributes. */
export interface HarnessPlan {
  steps: PlanStep[];
  warnings: PlanWarning[];
}

/**
 * One AI coding agent Beacon can configure (Codex today; Claude Code, Gemini CLI and Copilot CLI
 * later). An adapter turns the policy into plan steps over the harness's own config files;
 * applying the steps is shared code.
 */
export interface HarnessAdapter {
  /** The policy's `[harnesses.<name>]` key. */
  name: string;
  /** Human name, e.g. "Codex CLI". */
  displayName: string;
  plan(context: PlanContext): Promise<HarnessPlan>;
}
