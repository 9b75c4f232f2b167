/**
 * `beacon endpoint uninstall` without the command line: applies the plan
 * `planEndpointUninstall` made (the one `--plan` prints) through `applyPlan`, and reports what
 * it did and what it left.
 *
 * @module
 */

import type { Host } from "../host/host.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";
import type { PlannedUninstall } from "./plan_endpoint_uninstall.ts";
import type { UninstallFile } from "./plan_uninstall.ts";
import { describeServiceChange } from "./service/describe_service_change.ts";
import type { ServiceController } from "./service/service_controller.ts";

/** What uninstall did, for the command to render. */
export interface UninstallResult {
  /** One line per thing done, in order (`gave back ...`, `removed ...`). */
  done: string[];
  /** Logs left in place, and what each is (empty after `purge`). */
  kept: UninstallFile[];
  /** Things at Beacon's paths that are not Beacon's files, left alone. */
  left: UninstallFile[];
  /** Settings edited since Beacon wrote them, left as they are. */
  conflicts: number;
}

/** What uninstall works on. */
export interface UninstallEndpointOptions {
  /** The machine as the endpoint sees it (for `~` in the service lines). */
  host: Pick<Host, "home">;
  fs: FileSystem;
  paths: EndpointPaths;
  /** What `planEndpointUninstall` planned. */
  planned: PlannedUninstall;
  /** Removes the service (the plan's `service-removal` step). */
  controller: ServiceController;
}

/**
 * Applies the uninstall plan under Beacon's lock, step by step in its order (settings with the
 * stale-plan refusal, the service, files, folders). It is not journaled: every step is one a
 * second run completes (a file already gone, a service already removed), so after a failure
 * running it again finishes the job, where rolling back would restart a half-removed
 * collector. Running it twice is harmless.
 */
export async function uninstallEndpoint(
  options: UninstallEndpointOptions,
): Promise<UninstallResult> {
  const { fs, paths, host, planned } = options;
  const done: string[] = [];
  await fs.ensureDir(paths.stateDir, 0o700);
  const lock = await fs.lock(paths.lockPath);
  try {
    const applied = await applyPlan({
      plan: planned.plan,
      fs,
      ownership: await readOwnershipState(fs, paths.statePath),
      statePath: paths.statePath,
      service: options.controller,
      onApplied: ({ step, detail, serviceChange }) => {
        if (serviceChange) done.push(describeServiceChange(serviceChange, host));
        else if (step.kind === "file" || step.kind === "folder") done.push(detail);
      },
    });
    const gaveBack = applied.filter((step) => step.written).map((step) => `gave back ${step.path}`);
    done.unshift(...gaveBack);
  } finally {
    await lock.release();
  }
  // The lock this run took, and Beacon's folder if that is all that was in it: they say nothing
  // about what was installed, so they go silently (and are not plan steps).
  await fs.removeFile(paths.lockPath);
  await fs.removeDir(paths.stateDir, { recursive: false });
  return { done, kept: planned.kept, left: planned.left, conflicts: planned.conflicts };
}
