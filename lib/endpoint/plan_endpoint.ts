import { dirname, resolve } from "../host/file_path.ts";
import type { Host } from "../host/host.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { EndpointPlan, FileStep, FolderStep, ServiceStep } from "../reconcile/plan.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import type { HarnessAdapter } from "../harness/harness_adapter.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { type EndpointPaths, endpointPaths, runtimeLogPathOf } from "./endpoint_paths.ts";

export type { EndpointPlan };
import {
  type EndpointConfig,
  endpointConfigPath,
  renderEndpointConfig,
} from "./endpoint_config.ts";
import type { CollectorServiceSpec } from "./service/collector_service_spec.ts";
import {
  type BeaconProgram,
  buildCollectorServiceSpec,
} from "./service/build_collector_service_spec.ts";
import type { ServiceController } from "./service/service_controller.ts";
import { RUNTIME_LOG_MODES } from "../runtime_log/open_runtime_log.ts";
import {
  generateCollectorToken,
  readCollectorToken,
  renderCollectorTokenFile,
} from "./collector_token.ts";

/**
 * An endpoint plan, and the token the collector will require: the policy's `collector.token`,
 * or the machine's generated one (the `collector token` file step). The token is a secret and
 * stays out of the plan, which is printed.
 */
export interface PlannedEndpoint {
  plan: EndpointPlan;
  token: string | undefined;
}

/** `http://127.0.0.1:4318` for the policy's listen address. */
export function collectorUrlOf(policy: Policy): string {
  return `http://${policy.collector.listen}`;
}

/**
 * Everything `endpoint install` (and `repair`, and `status` for drift) would change, as one
 * `Plan`: its steps in the order they are applied (folders, harness settings, the token
 * and endpoint configuration files, the collector service). Computing it only reads. Its
 * settings steps and warnings form the plan `beacon apply` would make.
 */
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
  /** How the service starts Beacon: `currentBeaconProgram(system.processes.self)`. */
  program: BeaconProgram;
  /** Replace the machine's generated token (`endpoint repair --rotate-token`). */
  rotateToken?: boolean;
  /** Makes a new token (default {@link generateCollectorToken}). */
  newToken?: () => string;
}): Promise<PlannedEndpoint> {
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
  const config: FileStep = {
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
  const folders: FolderStep[] = [];
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
    program: input.program,
    policyPath: explicitPolicy ? resolve(host.cwd, input.loaded.source) : undefined,
    runtimeLogPath,
    includeCodexSpans: input.includeCodexSpans,
    tokenFile: token.step ? token.step.path : undefined,
  });
  // The collector reads its token file only when it starts.
  const restart = token.replaced;
  const service: ServiceStep = {
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
  const plan: EndpointPlan = {
    formatVersion: 1,
    policySource: reconcile.policySource,
    createdAt: reconcile.createdAt,
    endpoint: { mode, paths, config: endpointConfig },
    steps: [...folders, ...reconcile.steps, ...(token.step ? [token.step] : []), config, service],
    warnings: reconcile.warnings,
    notes,
  };
  return { plan, token: token.value };
}

/**
 * The token the collector requires. The policy's, when it sets one (nothing to write); else the
 * machine's generated token, kept as it is unless rotated, made when there is none yet, and
 * written again when its file lost its 0600 mode.
 */
async function planCollectorToken(
  input: { policy: Policy; fs: FileSystem; rotateToken?: boolean; newToken?: () => string },
  paths: EndpointPaths,
): Promise<{ value: string | undefined; step?: FileStep; replaced: boolean }> {
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
