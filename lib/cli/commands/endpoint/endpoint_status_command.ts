import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { renderPlan } from "../../render_plan.ts";
import { printablePlan } from "../../printable_plan.ts";
import { readEndpointStatus } from "../../../endpoint/read_endpoint_status.ts";
import { describeSkippedChecks } from "../../../endpoint/skipped_check.ts";
import { summarizePlan } from "../../../reconcile/plan.ts";
import { maskSecretValues } from "../../../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../../../toml/toml_value.ts";
import { stringifyTomlJson } from "../../../toml/toml_json.ts";

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
    "Run without sudo on a system endpoint, it reports what this user can read (the service,\n" +
    "the collector's health, the harness configs, the runtime log if readable) and names the\n" +
    "checks that need root (the collector's token, the install record); those count neither\n" +
    "way: the exit code is decided by the checks that ran (JSON: `skipped`).\n\n" +
    "Exit codes: 0 healthy (as far as checked), 3 needs attention (drift, collector down,\n" +
    "warnings), 1 error.",
  options: ENDPOINT_COMMON_OPTIONS,
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const status = await readEndpointStatus({
      system: { ...context, host: setup.host },
      loaded: setup.loaded,
      policy: setup.policy,
      mode: setup.mode,
      paths: setup.paths,
      controller: setup.controllerOn(context.fs),
    });
    const { installed, probe, service, problems, drift } = status;
    const log = status.runtimeLog;
    const logPath = status.runtimeLogPath;
    const collectorUrl = status.collectorUrl;
    if (args.values.json) {
      const report = {
        healthy: status.healthy,
        mode: status.mode,
        policySource: status.policySource,
        installed: installed ? maskSecretValues(installed as unknown as TomlValue) : null,
        harnesses: status.harnesses,
        drift: printablePlan(drift),
        collector: { url: collectorUrl, ...probe, service },
        runtimeLog: log ?? null,
        destinations: status.forwarding.destinations,
        problems,
        skipped: status.skipped,
      };
      context.stdout(stringifyTomlJson(report, 2) + "\n");
      return problems.length ? EXIT.attention : EXIT.ok;
    }

    const counts = summarizePlan(drift);
    const out: string[] = [
      `Beacon endpoint (${status.mode} mode), policy: ${status.policySource}`,
      installed
        ? `Installed by Beacon ${installed.version}; harnesses: ${
          installed.harnesses.join(", ") || "none"
        }` +
          (installed.includeCodexSpans ? "; Codex spans kept (troubleshooting)" : "")
        : status.installedUnreadable
        ? "Installed (its record cannot be read by this user)."
        : "Not installed.",
      "",
      "Harnesses",
    ];
    for (const harness of status.harnesses) {
      if (!harness.detected) {
        out.push(`  ${harness.displayName}: not found`);
        continue;
      }
      const tokenNotChecked = harness.tokenNotChecked.length
        ? ` but for the token in ${
          harness.tokenNotChecked.map((setting) => setting.key).join(", ")
        } (not checked)`
        : "";
      const state = !harness.managed
        ? "found, not managed by Beacon yet"
        : harness.notChecked
        ? "not checked (none of Beacon's settings; whether the endpoint manages it needs root)"
        : harness.configuredAsPolicyWants
        ? `configured as the policy wants${tokenNotChecked}`
        : "differs from the policy";
      out.push(
        `  ${harness.displayName}: ${state}${
          harness.configPath ? ` (${harness.configPath})` : ""
        }` +
          (harness.managed && log ? `; last event: ${harness.lastEventAt ?? "none yet"}` : ""),
      );
    }
    if (
      counts.add + counts.change + counts.destroy + counts.conflicts || drift.warnings.length
    ) {
      out.push(
        "",
        ...renderPlan(drift, { forceCommand: "beacon endpoint repair" }).trimEnd().split("\n")
          .slice(2).map((line) => `  ${line}`),
      );
    }
    out.push("", "Collector");
    if (probe.health) {
      const h = probe.health;
      out.push(
        `  running: pid ${h.pid}, version ${h.version}, ${h.mode} mode, since ${h.started_at}`,
        `  listening: http://${h.listen.http}${h.listen.grpc ? `, gRPC ${h.listen.grpc}` : ""}`,
        `  token: ${
          probe.tokenCheck === "skipped"
            ? "not checked (the endpoint's token cannot be read by this user)"
            : probe.tokenCheck
        }`,
        `  events written since start: ${h.counters.eventsWritten}`,
      );
    } else {
      out.push(`  not running at ${collectorUrl}: ${probe.error}`);
    }
    out.push(`  service: ${service?.detail ?? "not checked (cannot be read by this user)"}`);
    out.push("", "Runtime log");
    if (log) {
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
    } else {
      const writes = probe.health?.status === "ok" &&
          probe.health.runtime_log.path === logPath
        ? "; the collector reports writing it"
        : "";
      out.push(`  ${logPath}: not readable by this user${writes}`);
    }
    if (status.forwarding.lines.length) {
      out.push("", "Destinations", ...status.forwarding.lines);
    }
    out.push("");
    if (problems.length) {
      out.push(
        `Needs attention (${problems.length}):`,
        ...problems.map((problem) => `  ! ${problem}`),
      );
    } else {
      out.push(status.skipped.length ? "Healthy, as far as checked." : "Healthy.");
    }
    if (status.skipped.length) {
      out.push("", ...describeSkippedChecks(status.skipped, status.mode));
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
