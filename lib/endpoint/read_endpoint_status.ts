/**
 * `beacon endpoint status` without the command line: reads the machine (harness configs, the
 * endpoint plan's drift, the collector, the service, the runtime log) and decides whether the
 * endpoint is healthy, as data. The command only renders it.
 *
 * @module
 */
import { type Plan, type SettingsStep, summarizePlan } from "../reconcile/plan.ts";
import { lastEventByHarness } from "../runtime_log/last_event_by_harness.ts";
import { summarizeRuntimeLog } from "../runtime_log/read_runtime_log.ts";
import { describeDestinations, type DestinationsReport } from "../forward/describe_destinations.ts";
import type { EndpointConfig } from "./endpoint_config.ts";
import { runtimeLogPathOf } from "./endpoint_paths.ts";
import { collectorUrlOf } from "./plan_endpoint.ts";
import { type CollectorProbe, probeCollector } from "./probe/probe_collector.ts";
import type { HarnessDiscovery } from "./probe/discover_harnesses.ts";
import { runtimeLogSourceWarning } from "./probe/runtime_log_source_warning.ts";
import type { ServiceController, ServiceStatus } from "./service/service_controller.ts";
import {
  enabledHarnesses,
  readEndpointFacts,
  type ReadEndpointFactsInput,
} from "./read_endpoint_facts.ts";
import type { TokenBearingSetting } from "./set_aside_token_changes.ts";
import { isPermissionDenied, type SkippedCheck } from "./skipped_check.ts";

export { enabledHarnesses };

/** One harness as status reports it. */
export type HarnessStatus = HarnessDiscovery & {
  /** Managed harnesses: no drift and no conflict in its settings (as far as checked). */
  configuredAsPolicyWants: boolean | undefined;
  /** Settings that match the policy but for the collector token, which could not be read. */
  tokenNotChecked: TokenBearingSetting[];
  /** Not checked: whether the endpoint manages it needs the install record (see `skipped`). */
  notChecked: boolean;
  lastEventAt: string | undefined;
};

/** What `endpoint status` found and decided. */
export interface EndpointStatus {
  healthy: boolean;
  mode: "user" | "system";
  policySource: string;
  /** What the last install recorded, if the endpoint is installed (and it could be read). */
  installed: EndpointConfig | undefined;
  /** The install record exists but this user may not read it. */
  installedUnreadable: boolean;
  harnesses: HarnessStatus[];
  /** The harness settings' drift: the plan `beacon endpoint repair` would apply to them. */
  drift: Plan<SettingsStep>;
  collectorUrl: string;
  probe: CollectorProbe;
  /** Undefined when the service's state cannot be read by this user (see `skipped`). */
  service: ServiceStatus | undefined;
  runtimeLogPath: string;
  /** Undefined when this user may not read the runtime log (see `skipped`). */
  runtimeLog: Awaited<ReturnType<typeof summarizeRuntimeLog>> | undefined;
  forwarding: DestinationsReport;
  /** What needs attention, one sentence each with what to do; empty when healthy. */
  problems: string[];
  /**
   * The checks this user could not run (a system endpoint's files are root's) and why. They
   * are neither problems nor healthy: `healthy` is decided by the checks that ran.
   */
  skipped: SkippedCheck[];
}

/** What status reads from. */
export interface ReadEndpointStatusInput extends ReadEndpointFactsInput {
  controller: ServiceController;
}

/**
 * Reads everything status shows and decides what needs attention. Changes nothing. What this
 * user may not read (a system endpoint run without sudo) is reported in `skipped`, not failed.
 */
export async function readEndpointStatus(input: ReadEndpointStatusInput): Promise<EndpointStatus> {
  const { system, policy, mode, paths } = input;
  const { host } = system;
  const collectorUrl = collectorUrlOf(policy);
  const logPath = runtimeLogPathOf(policy, mode, host);
  const facts = await readEndpointFacts(input);
  const { installed, drift } = facts;
  const skipped = [...facts.skipped];
  const unreadable = (check: string, path: string) => (error: unknown) => {
    if (!isPermissionDenied(error)) throw error;
    skipped.push({ check, reason: `${path} cannot be read by this user` });
    return undefined;
  };

  const [probe, log, service, lastEvents] = await Promise.all([
    probeCollector(collectorUrl, { token: facts.token, checkToken: !facts.tokenUnreadable }),
    summarizeRuntimeLog(logPath).catch(
      unreadable("the runtime log (its size, last event and each harness's)", logPath),
    ),
    input.controller.status().catch(unreadable("the collector service's state", paths.stateDir)),
    // The live file only: status must answer quickly.
    lastEventByHarness(logPath, { fromArchives: false }).catch(() => undefined),
  ]);

  // Status reports the harness settings' drift; the endpoint's own parts are probed live.
  const problems: string[] = [];
  if (!installed && !facts.installedUnreadable) {
    problems.push("the endpoint is not installed: run `beacon endpoint install`");
  }
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
  if (log && !log.exists) problems.push(`the runtime log ${logPath} does not exist yet`);
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
    installedUnreadable: facts.installedUnreadable,
    harnesses: facts.discovery.map((harness) => ({
      ...harness,
      configuredAsPolicyWants: harness.managed && !facts.harnessesNotChecked.includes(harness.name)
        ? !drift.steps.some((step) =>
          step.harness === harness.name && (step.changes.length || step.conflicts.length)
        )
        : undefined,
      notChecked: facts.harnessesNotChecked.includes(harness.name),
      tokenNotChecked: facts.tokenBearing.filter((setting) => setting.harness === harness.name),
      lastEventAt: lastEvents?.get(harness.name),
    })),
    drift,
    collectorUrl,
    probe,
    service,
    runtimeLogPath: logPath,
    runtimeLog: log,
    forwarding,
    problems,
    skipped,
  };
}
