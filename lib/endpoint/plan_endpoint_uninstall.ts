/**
 * What `beacon endpoint uninstall` will do, as one {@link Plan}: the harness settings given
 * back, the collector service stopped and removed, Beacon's files removed (the logs too with
 * `purge`). Computing it only reads; `endpoint uninstall --plan` prints it and
 * `uninstallEndpoint` applies it, so what is shown is what is done.
 *
 * @module
 */
import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import type { FileStep, FolderStep, Plan, PlanStep, SettingsStep } from "../reconcile/plan.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";
import { planUninstall, type UninstallFile } from "./plan_uninstall.ts";
import type { ServiceController } from "./service/service_controller.ts";

/** The uninstall plan, and what it leaves in place (also in the plan's notes). */
export interface PlannedUninstall {
  plan: Plan;
  /** Logs left in place (empty with `purge`). */
  kept: UninstallFile[];
  /** Things at Beacon's paths that are not Beacon's files (a folder, a link): left alone. */
  left: UninstallFile[];
  /** Settings edited since Beacon wrote them: left as they are. */
  conflicts: number;
}

/** What the uninstall plan is made from. */
export interface PlanEndpointUninstallInput {
  /** The machine as the endpoint sees it (in system mode HOME is the console user's). */
  host: Host;
  /** Only read. */
  fs: FileSystem;
  loaded: LoadedPolicy;
  paths: EndpointPaths;
  /** Only its `planUninstall` is called here. */
  controller: ServiceController;
  runtimeLogPath: string;
  collectorLogPath: string;
  purge: boolean;
}

/**
 * Plans the uninstall, in the order it is applied: every harness in the registry disabled (so
 * each gives back what Beacon took, as `enabled = false` does: a file nobody changed returns
 * byte for byte), then the service's removal, then Beacon's files (only regular files), then
 * with `purge` the log folders if nothing is left in them.
 */
export async function planEndpointUninstall(
  input: PlanEndpointUninstallInput,
): Promise<PlannedUninstall> {
  const { fs, paths, host } = input;
  const ownership = await readOwnershipState(fs, paths.statePath);
  const policy = input.loaded.policy;
  const harnesses = { ...policy.harnesses };
  for (const adapter of HARNESS_ADAPTERS) {
    harnesses[adapter.name] = {
      ...policy.harnesses[adapter.name],
      enabled: false,
      on_conflict: "report",
    } as never;
  }
  const settings = await computePlan({
    loaded: { ...input.loaded, policy: { ...policy, harnesses } },
    host,
    fs,
    ownership,
    adapters: HARNESS_ADAPTERS,
    force: false,
    mode: paths.mode,
  });

  const files = await planUninstall({
    fs,
    paths,
    runtimeLogPath: input.runtimeLogPath,
    collectorLogPath: input.collectorLogPath,
    stateInUse: stillOwnsFiles(ownership.files, settings.steps),
    purge: input.purge,
  });
  const steps: PlanStep[] = [
    ...settings.steps,
    {
      kind: "service-removal",
      manager: input.controller.manager,
      changes: await input.controller.planUninstall(),
    },
    ...files.remove.map((file): FileStep => ({
      kind: "file",
      path: file.path,
      purpose: file.what,
      action: "delete",
      after: "",
      mode: 0o600,
    })),
  ];
  for (const folder of files.removeFoldersIfEmpty) {
    const info = await fs.lstat(folder);
    if (!info || info.isFile || info.isSymlink) continue;
    const step: FolderStep = {
      kind: "folder",
      path: folder,
      purpose: "log",
      mode: info.mode ?? 0o700,
      exists: true,
      remove: "if-empty",
    };
    steps.push(step);
  }
  return {
    plan: {
      formatVersion: 1,
      policySource: settings.policySource,
      createdAt: settings.createdAt,
      steps,
      warnings: settings.warnings,
      notes: [
        ...files.keep.map((file) => `keeps ${file.path} (${file.what})`),
        ...files.left.map((file) => `leaves ${file.path}: ${file.what}`),
      ],
    },
    kept: files.keep,
    left: files.left,
    conflicts: settings.steps.reduce((n, step) => n + step.conflicts.length, 0),
  };
}

/**
 * Whether Beacon's state still records a file once the settings steps are applied (as
 * `applyPlan` records them: a step that leaves Beacon owning nothing drops its file).
 */
function stillOwnsFiles(files: Record<string, unknown>, steps: SettingsStep[]): boolean {
  const after = new Set(Object.keys(files));
  for (const step of steps) {
    if (Object.keys(step.owned).length) after.add(step.realPath);
    else after.delete(step.realPath);
  }
  return after.size > 0;
}
