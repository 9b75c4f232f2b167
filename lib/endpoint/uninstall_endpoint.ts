/**
 * `beacon endpoint uninstall` without the command line: gives the harness configs back, removes
 * the collector service and Beacon's files, and reports what it did and what it left.
 *
 * @module
 */

import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";
import { planUninstall, type UninstallFile } from "./plan_uninstall.ts";
import { describeServiceChange } from "./service/describe_service_change.ts";
import type { ServiceController } from "./service/service_controller.ts";

/** What uninstall did, for the command to render. */
export interface UninstallResult {
  /** One line per thing done, in order (`gave back ...`, `removed ...`). */
  done: string[];
  /** Logs left in place, and what each is (empty after `purge`). */
  kept: UninstallFile[];
  /** Settings edited since Beacon wrote them, left as they are. */
  conflicts: number;
}

/** What uninstall works on. */
export interface UninstallEndpointOptions {
  /** The machine as the endpoint sees it (in system mode HOME is the console user's). */
  host: Host;
  fs: FileSystem;
  loaded: LoadedPolicy;
  paths: EndpointPaths;
  controller: ServiceController;
  runtimeLogPath: string;
  collectorLogPath: string;
  purge: boolean;
}

/**
 * Uninstalls under Beacon's lock: the harness settings go through the same plan as a policy with
 * the harness disabled (a file nobody changed returns byte for byte), then the service, then the
 * files {@link planUninstall} chooses. Running it twice is harmless.
 */
export async function uninstallEndpoint(
  options: UninstallEndpointOptions,
): Promise<UninstallResult> {
  const { fs, paths, host } = options;
  const done: string[] = [];
  await fs.ensureDir(paths.stateDir, 0o700);
  const lock = await fs.lock(paths.lockPath);
  let conflicts = 0;
  let kept: UninstallFile[] = [];
  try {
    const ownership = await readOwnershipState(fs, paths.statePath);
    const policy = options.loaded.policy;
    // Every harness in the registry, disabled: each gives back what Beacon took.
    const harnesses = { ...policy.harnesses };
    for (const adapter of HARNESS_ADAPTERS) {
      harnesses[adapter.name] = {
        ...policy.harnesses[adapter.name],
        enabled: false,
        on_conflict: "report",
      } as never;
    }
    const plan = await computePlan({
      loaded: { ...options.loaded, policy: { ...policy, harnesses } },
      host,
      fs,
      ownership,
      adapters: HARNESS_ADAPTERS,
      force: false,
      mode: paths.mode,
    });
    conflicts = plan.steps.reduce((n, step) => n + step.conflicts.length, 0);
    for (const step of await applyPlan({ plan, fs, ownership, statePath: paths.statePath })) {
      if (step.written) done.push(`gave back ${step.path}`);
    }

    for (const change of await options.controller.uninstall()) {
      done.push(describeServiceChange(change, host));
    }

    const state = await readOwnershipState(fs, paths.statePath);
    const files = await planUninstall({
      fs,
      paths,
      runtimeLogPath: options.runtimeLogPath,
      collectorLogPath: options.collectorLogPath,
      stateInUse: Object.keys(state.files).length > 0,
      purge: options.purge,
    });
    for (const file of files.remove) {
      await fs.removeFile(file.path);
      done.push(`removed ${file.path} (${file.what})`);
    }
    for (const folder of files.removeFoldersIfEmpty) {
      if (await fs.removeDir(folder, { recursive: false })) done.push(`removed ${folder}/`);
    }
    kept = files.keep;
  } finally {
    await lock.release();
  }
  // Beacon's own lock and folder go silently: they say nothing about what was installed.
  await fs.removeFile(paths.lockPath);
  await fs.removeDir(paths.stateDir, { recursive: false });
  return { done, kept, conflicts };
}
