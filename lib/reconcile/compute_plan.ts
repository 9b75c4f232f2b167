import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { EndpointMode, HarnessAdapter } from "../harness/harness_adapter.ts";
import type { FileSystem } from "./file_system.ts";
import type { OwnershipState } from "./ownership_store.ts";
import type { Plan, SettingsStep } from "./plan.ts";

/**
 * The plan that makes the machine match the policy: every harness adapter's steps and warnings.
 * Reads only; the same plan drives `apply --plan`, `apply` and drift in `endpoint status`.
 */
export async function computePlan(input: {
  loaded: LoadedPolicy;
  host: Host;
  fs: FileSystem;
  ownership: OwnershipState;
  adapters: readonly HarnessAdapter[];
  force: boolean;
  /** Which config layers to manage (the endpoint's mode); the policy's when absent. */
  mode?: EndpointMode;
}): Promise<Plan<SettingsStep>> {
  const plan: Plan<SettingsStep> = {
    formatVersion: 1,
    policySource: input.loaded.source,
    createdAt: input.host.now().toISOString(),
    steps: [],
    warnings: [],
  };
  for (const adapter of input.adapters) {
    const part = await adapter.plan({
      policy: input.loaded.policy,
      host: input.host,
      fs: input.fs,
      ownership: input.ownership,
      force: input.force,
      ...(input.mode ? { mode: input.mode } : {}),
    });
    plan.steps.push(...part.steps);
    plan.warnings.push(...part.warnings);
  }
  return plan;
}
