import { type DoctorCheck, doctorChecks } from "./doctor_checks.ts";
import { runtimeLogPathOf } from "../endpoint_paths.ts";
import { collectorUrlOf } from "../plan_endpoint.ts";
import { probeCollector } from "../probe/probe_collector.ts";
import { readEndpointFacts, type ReadEndpointFactsInput } from "../read_endpoint_facts.ts";
import { isPermissionDenied, type SkippedCheck } from "../skipped_check.ts";
import { lastEventByHarness } from "../../runtime_log/last_event_by_harness.ts";

/** What `endpoint doctor` found: its checks, and what this user could not check. */
export interface DoctorReport {
  checks: DoctorCheck[];
  /** The checks this user could not run (a system endpoint's files are root's), and why. */
  skipped: SkippedCheck[];
}

/**
 * Reads what `beacon endpoint doctor` checks (harness configs, the endpoint plan's drift, the
 * collector, the runtime log with its archives) and runs {@link doctorChecks} on it. Changes
 * nothing. What this user may not read is skipped (a system endpoint run without sudo).
 */
export async function runDoctorChecks(input: ReadEndpointFactsInput): Promise<DoctorReport> {
  const { system, policy, mode } = input;
  const collectorUrl = collectorUrlOf(policy);
  const logPath = runtimeLogPathOf(policy, mode, system.host);
  const facts = await readEndpointFacts(input);
  const skipped = [...facts.skipped];
  const [probe, lastEvents] = await Promise.all([
    probeCollector(collectorUrl, { token: facts.token, checkToken: !facts.tokenUnreadable }),
    lastEventByHarness(logPath).catch((error) => {
      if (!isPermissionDenied(error)) throw error;
      skipped.push({
        check: "each harness's events arrive",
        reason: `${logPath} cannot be read by this user`,
      });
      return undefined;
    }),
  ]);
  const checks = doctorChecks({
    harnesses: facts.harnesses,
    discovery: facts.discovery,
    plan: facts.drift,
    tokenBearing: facts.tokenBearing,
    probe,
    collectorUrl,
    logPath,
    lastEvents,
  });
  return { checks, skipped };
}
