/**
 * `beacon endpoint status` without the command line: reads the machine (harness configs, the
 * endpoint plan's drift, the collector, the service, the runtime log) and decides whether the
 * endpoint is healthy, as data. The command only renders it.
 *
 * @module
 */
import { currentBeaconProgram } from "./service/build_collector_service_spec.ts";
import type { System } from "../host/system.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { type Plan, settingsPlanOf, type SettingsStep, summarizePlan } from "../reconcile/plan.ts";
import { lastEventByHarness } from "../runtime_log/last_event_by_harness.ts";
import { summarizeRuntimeLog } from "../runtime_log/read_runtime_log.ts";
import { describeDestinations, type DestinationsReport } from "../forward/describe_destinations.ts";
import { type EndpointConfig, readEndpointConfig } from "./endpoint_config.ts";
import { type EndpointPaths, runtimeLogPathOf } from "./endpoint_paths.ts";
import { collectorUrlOf, planEndpoint } from "./plan_endpoint.ts";
import { type CollectorProbe, probeCollector } from "./probe/probe_collector.ts";
import { discoverHarnesses, type HarnessDiscovery } from "./probe/discover_harnesses.ts";
import { runtimeLogSourceWarning } from "./probe/runtime_log_source_warning.ts";
import { endpointCollectorToken } from "./collector_token.ts";
import type { ServiceController, ServiceStatus } from "./service/service_controller.ts";

/** One harness as status reports it. */
export type HarnessStatus = HarnessDiscovery & {
  /** Managed harnesses: no drift and no conflict in its settings. */
  configuredAsPolicyWants: boolean | undefined;
  lastEventAt: string | undefined;
};

/** What `endpoint status` found and decided. */
export interface EndpointStatus {
  healthy: boolean;
  mode: "user" | "system";
  policySource: string;
  /** What the last install recorded, if the endpoint is installed. */
  installed: EndpointConfig | undefined;
  harnesses: HarnessStatus[];
  /** The harness settings' drift: the plan `beacon endpoint repair` would apply to them. */
  drift: Plan<SettingsStep>;
  collectorUrl: string;
  probe: CollectorProbe;
  service: ServiceStatus;
  runtimeLogPath: string;
  runtimeLog: Awaited<ReturnType<typeof summarizeRuntimeLog>>;
  forwarding: DestinationsReport;
  /** What needs attention, one sentence each with what to do; empty when healthy. */
  problems: string[];
}

/** What status reads from. */
export interface ReadEndpointStatusInput {
  /** The machine; in system mode its host's HOME is the console user's. */
  system: System;
  loaded: LoadedPolicy;
  policy: Policy;
  mode: "user" | "system";
  paths: EndpointPaths;
  controller: ServiceController;
  version: string;
}

/** Reads everything status shows and decides what needs attention. Changes nothing. */
export async function readEndpointStatus(input: ReadEndpointStatusInput): Promise<EndpointStatus> {
  const { system, policy, mode, paths } = input;
  const { host, fs } = system;
  const installed = await readEndpointConfig(fs, paths).catch(() => undefined);
  const collectorUrl = collectorUrlOf(policy);
  const logPath = runtimeLogPathOf(policy, mode, host);
  const token = await endpointCollectorToken(policy, fs, paths);

  const [discovery, probe, log, planned, service, lastEvents] = await Promise.all([
    discoverHarnesses(host, { fs, run: system.run }, {
      beaconAddresses: [policy.collector.listen, policy.collector.grpc_listen],
      skipVersion: true,
    }),
    probeCollector(collectorUrl, { token }),
    summarizeRuntimeLog(logPath),
    planEndpoint({
      loaded: input.loaded,
      policy,
      mode,
      host,
      fs,
      harnesses: installed?.harnesses ?? enabledHarnesses(policy),
      includeCodexSpans: installed?.includeCodexSpans ?? false,
      force: false,
      version: installed?.version ?? input.version,
      controller: input.controller,
      program: currentBeaconProgram(system.processes.self),
    }),
    input.controller.status(),
    // The live file only: status must answer quickly.
    lastEventByHarness(logPath, { fromArchives: false }),
  ]);

  // Status reports the harness settings' drift; the endpoint's own parts are probed live.
  const drift = settingsPlanOf(planned.plan);
  const problems: string[] = [];
  if (!installed) problems.push("the endpoint is not installed: run `beacon endpoint install`");
  const counts = summarizePlan(drift);
  if (counts.add + counts.change + counts.destroy) {
    problems.push(
      "harness settings differ from the policy (see the plan lines): run `beacon endpoint repair`",
    );
  }
  if (counts.conflicts) {
    problems.push(
      "conflicting harness settings are left alone (see Conflicts): " +
        "`beacon endpoint repair --force` takes them over",
    );
  }
  for (const warning of drift.warnings) problems.push(`${warning.target}: ${warning.message}`);
  if (!probe.health) {
    problems.push(
      `the collector is not running at ${collectorUrl} (${probe.error}): run \`beacon endpoint repair\``,
    );
  } else {
    if (probe.health.status !== "ok") {
      problems.push(
        `the collector cannot write its runtime log: ${probe.health.runtime_log.error}`,
      );
    }
    if (probe.tokenCheck === "rejected") {
      problems.push(
        "the collector rejects " +
          (policy.collector.token ? "the policy's token" : `the token in ${paths.tokenPath}`) +
          ": run `beacon endpoint repair`",
      );
    }
  }
  if (!log.exists) problems.push(`the runtime log ${logPath} does not exist yet`);
  const sourceWarning = runtimeLogSourceWarning({
    health: probe.health,
    readingPath: logPath,
    readingMode: mode,
  });
  if (sourceWarning) problems.push(sourceWarning);
  const forwarding = describeDestinations(policy, probe.health, host.now());
  problems.push(...forwarding.problems);

  return {
    healthy: problems.length === 0,
    mode,
    policySource: input.loaded.source,
    installed,
    harnesses: discovery.map((harness) => ({
      ...harness,
      configuredAsPolicyWants: harness.managed
        ? !drift.steps.some((step) =>
          step.harness === harness.name && (step.changes.length || step.conflicts.length)
        )
        : undefined,
      lastEventAt: lastEvents.get(harness.name),
    })),
    drift,
    collectorUrl,
    probe,
    service,
    runtimeLogPath: logPath,
    runtimeLog: log,
    forwarding,
    problems,
  };
}

/** The harnesses the policy enables: what status and doctor check before any install. */
export function enabledHarnesses(policy: Policy): string[] {
  return HARNESS_ADAPTERS.filter((adapter) => policy.harnesses[adapter.name].enabled)
    .map((adapter) => adapter.name);
}
