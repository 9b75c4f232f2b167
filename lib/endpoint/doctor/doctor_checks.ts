import type { HarnessDiscovery } from "../probe/discover_harnesses.ts";
import type { CollectorProbe } from "../probe/probe_collector.ts";
import type { Plan, SettingsStep } from "../../reconcile/plan.ts";
import type { TokenBearingSetting } from "../set_aside_token_changes.ts";

/** One named check of `endpoint doctor`. */
export interface DoctorCheck {
  /** e.g. `claude-code: points at Beacon`, `collector answers`. */
  name: string;
  /** `fail` and `warn` need attention; `skip` could not be checked (say why in `detail`). */
  status: "ok" | "fail" | "warn" | "skip";
  detail: string;
  /** What `endpoint doctor --fix` (that is, `endpoint repair`) would do about it. */
  fix?: string;
}

/** What the checks look at, gathered by the command (all read only). */
export interface DoctorInput {
  /** The managed harnesses the endpoint configures. */
  harnesses: readonly string[];
  discovery: readonly HarnessDiscovery[];
  /** The harness plan `endpoint repair` would apply now (drift, conflicts, warnings). */
  plan: Plan<SettingsStep>;
  /** Settings that match the policy but for the collector token, which could not be read. */
  tokenBearing?: readonly TokenBearingSetting[];
  probe: CollectorProbe;
  collectorUrl: string;
  logPath: string;
  /**
   * The newest event of each harness in the runtime log (Beacon's test events left out);
   * undefined when the log cannot be read by this user.
   */
  lastEvents: ReadonlyMap<string, string> | undefined;
}

/**
 * The endpoint's health as named checks, one line each: for each managed harness, its config
 * parses, is configured as the policy wants, sends to Beacon, and its events arrive; the
 * collector answers, accepts the token and can write the runtime log; no config layer overrides
 * Beacon's settings. A failing check that `endpoint repair` can fix says what it would do. Pure.
 *
 * @example
 * ```ts
 * import { doctorChecks } from "./doctor_checks.ts";
 * const checks = doctorChecks({
 *   harnesses: [], discovery: [], collectorUrl: "http://127.0.0.1:4318", logPath: "/tmp/x.jsonl",
 *   plan: { formatVersion: 1, policySource: "", createdAt: "", steps: [], warnings: [] },
 *   probe: { reachable: false, error: "connection refused", tokenCheck: "unknown", latencyMs: 0 },
 *   lastEvents: new Map(),
 * });
 * checks.find((check) => check.name === "collector answers")?.status; // "fail"
 * ```
 */
export function doctorChecks(input: DoctorInput): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const name of input.harnesses) {
    const found = input.discovery.find((harness) => harness.name === name);
    const label = found?.displayName ?? name;
    if (!found?.configExists) {
      checks.push({
        name: `${name}: config parses`,
        status: "skip",
        detail: `${label} has no config file yet${
          found?.configPath ? ` (${found.configPath})` : ""
        }`,
      });
    } else {
      checks.push(
        found.configParses === false
          ? {
            name: `${name}: config parses`,
            status: "fail",
            detail: found.configError ?? "it cannot be read",
            fix: "none: fix the file by hand (Beacon never rewrites a file it cannot parse)",
          }
          : { name: `${name}: config parses`, status: "ok", detail: found.configPath ?? "" },
      );
    }
    const steps = input.plan.steps.filter((step) => step.harness === name);
    const notChecked = (input.tokenBearing ?? []).filter((setting) => setting.harness === name);
    const changes = steps.reduce((n, step) => n + step.changes.length, 0);
    const conflicts = steps.reduce((n, step) => n + step.conflicts.length, 0);
    checks.push(
      conflicts
        ? {
          name: `${name}: configured as the policy wants`,
          status: "fail",
          detail: `${conflicts} conflict(s): telemetry settings someone else made`,
          fix: "none without --force: `beacon endpoint repair --force` takes them over",
        }
        : changes
        ? {
          name: `${name}: configured as the policy wants`,
          status: "fail",
          detail: `${changes} value(s) differ from the policy`,
          fix: `write the ${changes} value(s) again`,
        }
        : {
          name: `${name}: configured as the policy wants`,
          status: "ok",
          detail: notChecked.length
            ? `no drift; the token in ${
              notChecked.map((setting) => setting.key).join(", ")
            } not checked (the collector token cannot be read)`
            : "no drift",
        },
    );
    const telemetry = found?.telemetry;
    checks.push(
      telemetry?.pointsAtBeacon
        ? { name: `${name}: points at Beacon`, status: "ok", detail: telemetry.endpoint ?? "" }
        : {
          name: `${name}: points at Beacon`,
          status: changes ? "fail" : "warn",
          detail: telemetry?.endpoint
            ? `its logs go to ${telemetry.endpoint}`
            : "it exports no logs to any collector",
          ...(changes ? { fix: "point it at the collector (part of the values above)" } : {}),
        },
    );
    const last = input.lastEvents?.get(name);
    checks.push(
      !input.lastEvents
        ? {
          name: `${name}: events arriving`,
          status: "skip",
          detail: `${input.logPath} cannot be read by this user`,
        }
        : last
        ? { name: `${name}: events arriving`, status: "ok", detail: `last event ${last}` }
        : {
          name: `${name}: events arriving`,
          status: "warn",
          detail: `no ${label} event in ${input.logPath} yet (it may not have run since install)`,
        },
    );
  }
  const health = input.probe.health;
  checks.push(
    health
      ? {
        name: "collector answers",
        status: "ok",
        detail: `${input.collectorUrl} (pid ${health.pid})`,
      }
      : {
        name: "collector answers",
        status: "fail",
        detail: `${input.collectorUrl}: ${input.probe.error ?? "no answer"}`,
        fix: "start the collector service again",
      },
  );
  checks.push(
    input.probe.tokenCheck === "rejected"
      ? {
        name: "token matches",
        status: "fail",
        detail: "the collector rejects the endpoint's token",
        fix: "restart the collector with the endpoint's token",
      }
      : input.probe.tokenCheck === "unknown"
      ? { name: "token matches", status: "skip", detail: "no collector answered" }
      : input.probe.tokenCheck === "skipped"
      ? {
        name: "token matches",
        status: "skip",
        detail: "the endpoint's token cannot be read by this user",
      }
      : { name: "token matches", status: "ok", detail: input.probe.tokenCheck },
  );
  checks.push(
    !health
      ? { name: "log writable", status: "skip", detail: "no collector answered" }
      : health.status !== "ok"
      ? {
        name: "log writable",
        status: "fail",
        detail: health.runtime_log.error ?? `the collector reports ${health.status}`,
        fix: "recreate the runtime log folder and restart the collector",
      }
      : { name: "log writable", status: "ok", detail: health.runtime_log.path },
  );
  checks.push(
    input.plan.warnings.length
      ? {
        name: "override layers",
        status: "warn",
        detail: input.plan.warnings.map((warning) => `${warning.target} ${warning.message}`)
          .join("; "),
        fix: "none: Beacon does not edit layers above the user's (change them by hand)",
      }
      : { name: "override layers", status: "ok", detail: "none overrides Beacon's settings" },
  );
  return checks;
}
