import { HARNESS_ADAPTERS } from "../../../harness/harness_adapters.ts";
import { lastEventByHarness } from "../../../runtime_log/last_event_by_harness.ts";
import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { VERSION } from "../../version.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { renderPlan } from "../../render_plan.ts";
import { readEndpointConfig } from "../../../endpoint/endpoint_config.ts";
import { collectorUrlOf, planEndpoint } from "../../../endpoint/plan_endpoint.ts";
import { runtimeLogPathOf } from "../../../endpoint/endpoint_paths.ts";
import { probeCollector } from "../../../endpoint/probe/probe_collector.ts";
import { discoverHarnesses } from "../../../endpoint/probe/discover_harnesses.ts";
import { runtimeLogSourceWarning } from "../../../endpoint/probe/runtime_log_source_warning.ts";
import { summarizeRuntimeLog } from "../../../runtime_log/read_runtime_log.ts";
import { settingsPlanOf, summarizePlan } from "../../../reconcile/plan.ts";
import { maskSecretValues } from "../../../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../../../toml/toml_value.ts";
import { stringifyTomlJson } from "../../../toml/toml_json.ts";
import { printablePlan } from "../../printable_plan.ts";
import { describeDestinations } from "../../../forward/describe_destinations.ts";
import { endpointCollectorToken } from "../../../endpoint/collector_token.ts";

/** `beacon endpoint status`: is this machine set up as the policy says, and is it collecting? */
export const endpointStatusCommand: Command = {
  words: ["endpoint", "status"],
  summary: "Show harness configuration drift, the collector and the runtime log",
  description:
    "For each harness: found, configured as the policy wants (drift shown as plan lines), and\n" +
    "any Codex config layer that overrides it. For the collector: running or not, pid, version,\n" +
    "mode, address, token check, the last event written, the runtime log's path, size and\n" +
    "archives; and a warning when a system collector writes somewhere other than the log this\n" +
    "command reads. Changes nothing.\n\n" +
    "Exit codes: 0 healthy, 3 needs attention (drift, collector down, warnings), 1 error.",
  options: ENDPOINT_COMMON_OPTIONS,
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const installed = await readEndpointConfig(context.fs, setup.paths).catch(() => undefined);
    const policy = setup.policy;
    const collectorUrl = collectorUrlOf(policy);
    const logPath = runtimeLogPathOf(policy, setup.mode, setup.host);
    const problems: string[] = [];
    const controller = setup.controllerOn(context.fs);
    const token = await endpointCollectorToken(policy, context.fs, setup.paths);

    const [discovery, probe, log, endpointPlan, service, lastEvents] = await Promise.all([
      discoverHarnesses(setup.host, { fs: context.fs, run: context.run }, {
        beaconAddresses: [policy.collector.listen, policy.collector.grpc_listen],
        skipVersion: true,
      }),
      probeCollector(collectorUrl, { token }),
      summarizeRuntimeLog(logPath),
      planEndpoint({
        loaded: setup.loaded,
        policy,
        mode: setup.mode,
        host: setup.host,
        fs: context.fs,
        harnesses: installed?.harnesses ??
          HARNESS_ADAPTERS.filter((adapter) => policy.harnesses[adapter.name].enabled)
            .map((adapter) => adapter.name),
        includeCodexSpans: installed?.includeCodexSpans ?? false,
        force: false,
        version: installed?.version ?? VERSION,
        controller,
      }),
      controller.status(),
      // The live file only: status must answer quickly.
      lastEventByHarness(logPath, { fromArchives: false }),
    ]);

    // Status reports the harness settings' drift; the endpoint's own parts are probed live.
    const plan = settingsPlanOf(endpointPlan.plan);
    if (!installed) problems.push("the endpoint is not installed: run `beacon endpoint install`");
    const drift = summarizePlan(plan);
    if (drift.add + drift.change + drift.destroy) {
      problems.push(
        "harness settings differ from the policy (see the plan lines): run `beacon endpoint repair`",
      );
    }
    if (drift.conflicts) {
      problems.push(
        "conflicting harness settings are left alone (see Conflicts): " +
          "`beacon endpoint repair --force` takes them over",
      );
    }
    for (const warning of plan.warnings) {
      problems.push(`${warning.target}: ${warning.message}`);
    }
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
            (policy.collector.token
              ? "the policy's token"
              : `the token in ${setup.paths.tokenPath}`) +
            ": run `beacon endpoint repair`",
        );
      }
    }
    if (!log.exists) problems.push(`the runtime log ${logPath} does not exist yet`);
    const sourceWarning = runtimeLogSourceWarning({
      health: probe.health,
      readingPath: logPath,
      readingMode: setup.mode,
    });
    if (sourceWarning) problems.push(sourceWarning);
    const forwarding = describeDestinations(policy, probe.health, new Date());
    problems.push(...forwarding.problems);

    const report = {
      healthy: problems.length === 0,
      mode: setup.mode,
      policySource: setup.loaded.source,
      installed: installed ? maskSecretValues(installed as unknown as TomlValue) : null,
      harnesses: discovery.map((harness) => ({
        ...harness,
        configuredAsPolicyWants: harness.managed
          ? !plan.steps.some((step) =>
            step.harness === harness.name && (step.changes.length || step.conflicts.length)
          )
          : undefined,
        lastEventAt: lastEvents.get(harness.name),
      })),
      drift: printablePlan(plan),
      collector: { url: collectorUrl, ...probe, service },
      runtimeLog: log,
      destinations: forwarding.destinations,
      problems,
    };
    if (args.values.json) {
      context.stdout(stringifyTomlJson(report, 2) + "\n");
      return problems.length ? EXIT.attention : EXIT.ok;
    }

    const out: string[] = [
      `Beacon endpoint (${setup.mode} mode), policy: ${setup.loaded.source}`,
      installed
        ? `Installed by Beacon ${installed.version}; harnesses: ${
          installed.harnesses.join(", ") || "none"
        }` +
          (installed.includeCodexSpans ? "; Codex spans kept (troubleshooting)" : "")
        : "Not installed.",
      "",
      "Harnesses",
    ];
    for (const harness of report.harnesses) {
      if (!harness.detected) {
        out.push(`  ${harness.displayName}: not found`);
        continue;
      }
      const state = !harness.managed
        ? "found, not managed by Beacon yet"
        : harness.configuredAsPolicyWants
        ? "configured as the policy wants"
        : "differs from the policy";
      out.push(
        `  ${harness.displayName}: ${state}${
          harness.configPath ? ` (${harness.configPath})` : ""
        }` +
          (harness.managed ? `; last event: ${harness.lastEventAt ?? "none yet"}` : ""),
      );
    }
    if (
      drift.add + drift.change + drift.destroy + drift.conflicts || plan.warnings.length
    ) {
      out.push(
        "",
        ...renderPlan(plan, { forceCommand: "beacon endpoint repair" }).trimEnd().split("\n")
          .slice(2).map((line) => `  ${line}`),
      );
    }
    out.push("", "Collector");
    if (probe.health) {
      const h = probe.health;
      out.push(
        `  running: pid ${h.pid}, version ${h.version}, ${h.mode} mode, since ${h.started_at}`,
        `  listening: http://${h.listen.http}${h.listen.grpc ? `, gRPC ${h.listen.grpc}` : ""}`,
        `  token: ${probe.tokenCheck}`,
        `  events written since start: ${h.counters.eventsWritten}`,
      );
    } else {
      out.push(`  not running at ${collectorUrl}: ${probe.error}`);
    }
    out.push(`  service: ${service.detail}`);
    out.push("", "Runtime log");
    const archives = log.archives.length
      ? `, ${log.archives.length} archive(s) (${
        formatBytes(log.archives.reduce((n, a) => n + a.bytes, 0))
      })`
      : "";
    out.push(
      `  ${logPath}: ${log.exists ? `${formatBytes(log.bytes)}${archives}` : "does not exist"}`,
      `  last event: ${
        log.lastEventTime ? `${log.lastEventTime} (${log.lastEventKind})` : "none yet"
      }`,
    );
    if (forwarding.lines.length) out.push("", "Destinations", ...forwarding.lines);
    out.push("");
    if (problems.length) {
      out.push(
        `Needs attention (${problems.length}):`,
        ...problems.map((problem) => `  ! ${problem}`),
      );
    } else {
      out.push("Healthy.");
    }
    context.stdout(out.join("\n") + "\n");
    return problems.length ? EXIT.attention : EXIT.ok;
  },
};

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
