import { dirname, resolve } from "node:path";
import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import {
  isSettingsStep,
  type Plan,
  type PlanStep,
  type PlanSummary,
  type PlanWarning,
  summarizePlan,
} from "../reconcile/plan.ts";
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
import {
  generateCollectorToken,
  readCollectorToken,
  renderCollectorTokenFile,
} from "./collector_token.ts";

/** A folder the endpoint needs; created (with `mode`) when it does not exist. */
export interface EndpointFolderStep {
  kind: "folder";
  path: string;
  purpose: string;
  mode: number;
  exists: boolean;
}

/** A file Beacon writes whole for the endpoint (its configuration), with its new text. */
export interface EndpointFileStep {
  kind: "file";
  path: string;
  purpose: string;
  action: "create" | "update" | "none";
  after: string;
  mode: number;
}

/** The collector service: its definition, and what installing it would change. */
export interface EndpointServiceStep {
  kind: "service";
  manager: ServiceManager;
  spec: CollectorServiceSpec;
  changes: ServiceChange[];
  /** Restart a running collector although its definition is unchanged (its token changed). */
  restart: boolean;
}

/**
 * One step of an endpoint plan: a harness's settings (the same step as `beacon apply`), a
 * folder, a file or the collector service.
 */
export type EndpointStep =
  | PlanStep
  | EndpointFolderStep
  | EndpointFileStep
  | EndpointServiceStep;

/**
 * Everything `endpoint install` (and `repair`, and `status` for drift) would change, as data:
 * one list of steps in the order they are applied (folders, harness settings, the endpoint
 * configuration file, the collector service). Computing it only reads. Its harness steps and
 * warnings form the plan `beacon apply` would make ({@link harnessPlanOf}).
 */
export interface EndpointPlan {
  formatVersion: 1;
  /** Where the policy came from. */
  policySource: string;
  createdAt: string;
  mode: "user" | "system";
  paths: EndpointPaths;
  steps: EndpointStep[];
  warnings: PlanWarning[];
  /** What the endpoint configuration file will say (the `file` step's text, as data). */
  endpointConfig: EndpointConfig;
  /** Things people should know (troubleshooting options, no service manager, ...). */
  notes: string[];
  /**
   * The token the collector will require: the policy's `collector.token`, or the machine's
   * generated one (the `collector token` file step). A secret: views copy the plan's fields by
   * name and never this one.
   */
  token: string | undefined;
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
  /** Replace the machine's generated token (`endpoint repair --rotate-token`). */
  rotateToken?: boolean;
  /** Makes a new token (default {@link generateCollectorToken}). */
  newToken?: () => string;
}): Promise<EndpointPlan> {
  const { host, fs, mode } = input;
  const paths = endpointPaths(mode, host);
  if (input.rotateToken && input.policy.collector.token) {
    throw new Error(
      `Cannot rotate the collector token: the policy (${input.loaded.source}) sets ` +
        "collector.token. Change it there, then run `beacon endpoint repair`.",
    );
  }
  const token = await planCollectorToken(input, paths);
  // Codex's exporter headers carry the token, whichever it is.
  const policy: Policy = token.step
    ? { ...input.policy, collector: { ...input.policy.collector, token: token.value } }
    : input.policy;
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
    mode,
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
  const config: EndpointFileStep = {
    kind: "file",
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
  const folders: EndpointFolderStep[] = [];
  for (
    const [path, purpose, folderMode] of [
      [paths.stateDir, "endpoint state", 0o700],
      [dirname(runtimeLogPath), "runtime log", logMode],
    ] as const
  ) {
    if (folders.some((folder) => folder.path === path)) continue;
    folders.push({
      kind: "folder",
      path,
      purpose,
      mode: folderMode,
      exists: Boolean(await fs.lstat(path)),
    });
  }

  const spec: CollectorServiceSpec = buildCollectorServiceSpec({
    mode,
    host,
    program: currentBeaconProgram(),
    policyPath: explicitPolicy ? resolve(host.cwd, input.loaded.source) : undefined,
    runtimeLogPath,
    includeCodexSpans: input.includeCodexSpans,
    tokenFile: token.step ? token.step.path : undefined,
  });
  // The collector reads its token file only when it starts.
  const restart = token.replaced;
  const service: EndpointServiceStep = {
    kind: "service",
    manager: input.controller.manager,
    spec,
    changes: await input.controller.plan(spec, { restart }),
    restart,
  };

  const notes: string[] = [];
  if (input.includeCodexSpans) {
    notes.push(
      "Codex's raw spans are kept (--include-codex-spans): hundreds per turn. Troubleshooting " +
        "only; run `beacon endpoint repair` without it to stop.",
    );
  }
  if (token.step && token.step.action !== "none") {
    notes.push(
      (token.replaced ? "A new collector token replaces this machine's" : "The collector will " +
        "require a token generated for this machine") +
        `, kept in ${token.step.path} (readable by its owner only) and sent by each harness ` +
        "(Codex in its exporter headers, Claude Code in OTEL_EXPORTER_OTLP_HEADERS); " +
        "`beacon endpoint repair --rotate-token` replaces it.",
    );
  }
  if (input.controller.manager === "detached") {
    notes.push(
      "No usable service manager here (container or CI): the collector runs as a background " +
        "process with a pid file and does not start again after a reboot.",
    );
  }
  return {
    formatVersion: 1,
    policySource: reconcile.policySource,
    createdAt: reconcile.createdAt,
    mode,
    paths,
    steps: [...folders, ...reconcile.steps, ...(token.step ? [token.step] : []), config, service],
    warnings: reconcile.warnings,
    endpointConfig,
    notes,
    token: token.value,
  };
}

/**
 * The token the collector requires. The policy's, when it sets one (nothing to write); else the
 * machine's generated token, kept as it is unless rotated, made when there is none yet, and
 * written again when its file lost its 0600 mode.
 */
async function planCollectorToken(
  input: { policy: Policy; fs: FileSystem; rotateToken?: boolean; newToken?: () => string },
  paths: EndpointPaths,
): Promise<{ value: string | undefined; step?: EndpointFileStep; replaced: boolean }> {
  if (input.policy.collector.token) {
    return { value: input.policy.collector.token, replaced: false };
  }
  const existing = await readCollectorToken(input.fs, paths.tokenPath);
  const value = existing && !input.rotateToken
    ? existing
    : (input.newToken ?? generateCollectorToken)();
  const info = existing === undefined ? undefined : await input.fs.lstat(paths.tokenPath);
  const action = existing === undefined
    ? "create"
    : existing !== value || !info?.isFile || (info.mode !== null && (info.mode & 0o777) !== 0o600)
    ? "update"
    : "none";
  return {
    value,
    replaced: existing !== undefined && existing !== value,
    step: {
      kind: "file",
      path: paths.tokenPath,
      purpose: "collector token",
      action,
      after: renderCollectorTokenFile(value),
      mode: 0o600,
    },
  };
}

/** The harness settings part of an endpoint plan: the plan `beacon apply` would make. */
export function harnessPlanOf(plan: EndpointPlan): Plan {
  return {
    formatVersion: plan.formatVersion,
    policySource: plan.policySource,
    createdAt: plan.createdAt,
    steps: plan.steps.filter(isSettingsStep),
    warnings: plan.warnings,
  };
}

/** The `service` step of an endpoint plan (there is always exactly one). */
export function serviceStepOf(plan: EndpointPlan): EndpointServiceStep {
  return plan.steps.find((step): step is EndpointServiceStep => step.kind === "service")!;
}

/**
 * The endpoint plan's totals, as `Plan: N to add, N to change, N to destroy.` counts them:
 * the harness changes plus the endpoint's own (folders, configuration file, service).
 */
export function summarizeEndpointPlan(plan: EndpointPlan): PlanSummary {
  const summary = summarizePlan(harnessPlanOf(plan));
  for (const step of plan.steps) {
    for (const action of endpointStepActions(step)) summary[action]++;
  }
  return summary;
}

/**
 * What an endpoint step (not a harness step, which counts its own changes) adds, changes or
 * destroys, one entry per line of the plan.
 */
export function endpointStepActions(step: EndpointStep): ("add" | "change" | "destroy")[] {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
      return [];
    case "folder":
      return step.exists ? [] : ["add"];
    case "file":
      return step.action === "none" ? [] : [step.action === "create" ? "add" : "change"];
    case "service":
      return step.changes.map((change) =>
        change.kind === "write-file"
          ? change.action === "update" ? "change" : "add"
          : change.kind === "start"
          ? "add"
          : change.kind === "restart"
          ? "change"
          : "destroy"
      );
  }
}

/** True when applying the endpoint plan would change something. */
export function endpointPlanHasChanges(plan: EndpointPlan): boolean {
  const summary = summarizeEndpointPlan(plan);
  return summary.add + summary.change + summary.destroy > 0;
}
