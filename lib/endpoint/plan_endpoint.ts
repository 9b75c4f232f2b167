import { dirname, resolve } from "node:path";
import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { type Plan, type PlanSummary, summarizePlan } from "../reconcile/plan.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import type { HarnessAdapter } from "../harness/harness_adapter.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { type EndpointPaths, endpointPaths, runtimeLogPathOf } from "./endpoint_paths.ts";
import {
  type EndpointConfig,
  endpointConfigPath,
  renderEndpointConfig,
} from "./endpoint_config.ts";
import type { CollectorServiceSpec } from "./service/collector_service_spec.ts";
import {
  buildCollectorServiceSpec,
  currentBeaconProgram,
} from "./service/build_collector_service_spec.ts";
import type { ServiceChange, ServiceController } from "./service/service_controller.ts";
import type { ServiceManager } from "./service/detect_service_manager.ts";
import { RUNTIME_LOG_MODES } from "../runtime_log/open_runtime_log.ts";

/** A file Beacon writes for the endpoint, with its content before and after. */
export interface EndpointFileChange {
  path: string;
  purpose: string;
  action: "create" | "update" | "none";
  after: string;
  mode: number;
}

/** A folder the endpoint needs. */
export interface EndpointFolder {
  path: string;
  purpose: string;
  mode: number;
  exists: boolean;
}

/**
 * Everything `endpoint install` (and `repair`) would change, as data: the harness configs (the
 * same plan as `beacon apply`), the endpoint configuration file, the runtime log folder and the
 * collector service. Computing it only reads.
 */
export interface EndpointPlan {
  mode: "user" | "system";
  paths: EndpointPaths;
  reconcile: Plan;
  config: EndpointFileChange;
  endpointConfig: EndpointConfig;
  folders: EndpointFolder[];
  service: { manager: ServiceManager; spec: CollectorServiceSpec; changes: ServiceChange[] };
  /** Things people should know (troubleshooting options, no service manager, ...). */
  notes: string[];
}

/** `http://127.0.0.1:4318` for the policy's listen address. */
export function collectorUrlOf(policy: Policy): string {
  return `http://${policy.collector.listen}`;
}

/** Computes the endpoint plan. */
export async function planEndpoint(input: {
  loaded: LoadedPolicy;
  /** The policy with command-line overrides (e.g. `--include-codex-spans`) applied. */
  policy: Policy;
  mode: "user" | "system";
  host: Host;
  fs: FileSystem;
  harnesses: string[];
  includeCodexSpans: boolean;
  force: boolean;
  version: string;
  controller: ServiceController;
}): Promise<EndpointPlan> {
  const { host, fs, policy, mode } = input;
  const paths = endpointPaths(mode, host);
  const adapters: HarnessAdapter[] = HARNESS_ADAPTERS.filter((adapter) =>
    input.harnesses.includes(adapter.name)
  );
  const reconcile = await computePlan({
    loaded: { ...input.loaded, policy },
    host,
    fs,
    ownership: await readOwnershipState(fs, paths.statePath),
    adapters,
    force: input.force,
  });

  const runtimeLogPath = runtimeLogPathOf(policy, mode, host);
  const explicitPolicy = input.loaded.origin === "--policy" ||
    input.loaded.origin === "BEACON_POLICY";
  const endpointConfig: EndpointConfig = {
    formatVersion: 1,
    mode,
    version: input.version,
    policySource: input.loaded.source,
    ...(explicitPolicy ? { policyPath: input.loaded.source } : {}),
    harnesses: adapters.map((adapter) => adapter.name),
    includeCodexSpans: input.includeCodexSpans,
    collectorUrl: collectorUrlOf(policy),
    runtimeLogPath,
    serviceManager: input.controller.manager,
  };
  const configPath = endpointConfigPath(paths);
  const after = renderEndpointConfig(endpointConfig);
  const before = await fs.readFile(configPath);
  const config: EndpointFileChange = {
    path: configPath,
    purpose: "endpoint configuration",
    action: before === undefined
      ? "create"
      : new TextDecoder().decode(before) === after
      ? "none"
      : "update",
    after,
    mode: 0o600,
  };

  const logMode = RUNTIME_LOG_MODES[mode].dirMode;
  const folders: EndpointFolder[] = [];
  for (
    const [path, purpose, folderMode] of [
      [paths.stateDir, "endpoint state", 0o700],
      [dirname(runtimeLogPath), "runtime log", logMode],
    ] as const
  ) {
    if (folders.some((folder) => folder.path === path)) continue;
    folders.push({ path, purpose, mode: folderMode, exists: Boolean(await fs.lstat(path)) });
  }

  const spec: CollectorServiceSpec = buildCollectorServiceSpec({
    mode,
    host,
    program: currentBeaconProgram(),
    policyPath: explicitPolicy ? resolve(host.cwd, input.loaded.source) : undefined,
    runtimeLogPath,
    includeCodexSpans: input.includeCodexSpans,
  });
  const changes = await input.controller.plan(spec);

  const notes: string[] = [];
  if (input.includeCodexSpans) {
    notes.push(
      "Codex's raw spans are kept (--include-codex-spans): hundreds per turn. Troubleshooting " +
        "only; run `beacon endpoint repair` without it to stop.",
    );
  }
  if (input.controller.manager === "detached") {
    notes.push(
      "No usable service manager here (container or CI): the collector runs as a background " +
        "process with a pid file and does not start again after a reboot.",
    );
  }
  return {
    mode,
    paths,
    reconcile,
    config,
    endpointConfig,
    folders,
    service: { manager: input.controller.manager, spec, changes },
    notes,
  };
}

/** True when applying the endpoint plan would change something. */
export function endpointPlanHasChanges(plan: EndpointPlan): boolean {
  return plan.reconcile.steps.some((step) => step.changes.length > 0) ||
    plan.config.action !== "none" ||
    plan.folders.some((folder) => !folder.exists) ||
    plan.service.changes.length > 0;
}

/**
 * The endpoint plan's totals, as `Plan: N to add, N to change, N to destroy.` counts them:
 * the harness changes plus the endpoint's own (folders, configuration file, service).
 */
export function summarizeEndpointPlan(plan: EndpointPlan): PlanSummary {
  const summary = summarizePlan(plan.reconcile);
  summary.add += plan.folders.filter((folder) => !folder.exists).length;
  if (plan.config.action === "create") summary.add++;
  if (plan.config.action === "update") summary.change++;
  for (const change of plan.service.changes) {
    if (change.kind === "write-file") summary[change.action === "update" ? "change" : "add"]++;
    else if (change.kind === "start") summary.add++;
    else if (change.kind === "restart") summary.change++;
    else summary.destroy++;
  }
  return summary;
}
