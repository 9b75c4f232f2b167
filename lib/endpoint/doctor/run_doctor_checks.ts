import { type DoctorCheck, doctorChecks } from "./doctor_checks.ts";
import { currentBeaconProgram } from "../service/build_collector_service_spec.ts";
import { readEndpointConfig } from "../endpoint_config.ts";
import { runtimeLogPathOf } from "../endpoint_paths.ts";
import { collectorUrlOf, planEndpoint } from "../plan_endpoint.ts";
import { probeCollector } from "../probe/probe_collector.ts";
import { discoverHarnesses } from "../probe/discover_harnesses.ts";
import { endpointCollectorToken } from "../collector_token.ts";
import { enabledHarnesses, type ReadEndpointStatusInput } from "../read_endpoint_status.ts";
import { settingsPlanOf } from "../../reconcile/plan.ts";
import { lastEventByHarness } from "../../runtime_log/last_event_by_harness.ts";

/**
 * Reads what `beacon endpoint doctor` checks (harness configs, the endpoint plan's drift, the
 * collector, the runtime log with its archives) and runs {@link doctorChecks} on it. Changes
 * nothing.
 */
export async function runDoctorChecks(input: ReadEndpointStatusInput): Promise<DoctorCheck[]> {
  const { system, policy, mode, paths } = input;
  const { host, fs } = system;
  const installed = await readEndpointConfig(fs, paths).catch(() => undefined);
  const collectorUrl = collectorUrlOf(policy);
  const logPath = runtimeLogPathOf(policy, mode, host);
  const token = await endpointCollectorToken(policy, fs, paths);
  const harnesses = installed?.harnesses ?? enabledHarnesses(policy);
  const [discovery, probe, planned, lastEvents] = await Promise.all([
    discoverHarnesses(host, { fs, run: system.run }, {
      beaconAddresses: [policy.collector.listen, policy.collector.grpc_listen],
      skipVersion: true,
    }),
    probeCollector(collectorUrl, { token }),
    planEndpoint({
      loaded: input.loaded,
      policy,
      mode,
      host,
      fs,
      harnesses,
      includeCodexSpans: installed?.includeCodexSpans ?? false,
      force: false,
      version: installed?.version ?? input.version,
      controller: input.controller,
      program: currentBeaconProgram(system.processes.self),
    }),
    lastEventByHarness(logPath),
  ]);
  return doctorChecks({
    harnesses,
    discovery,
    plan: settingsPlanOf(planned.plan),
    probe,
    collectorUrl,
    logPath,
    lastEvents,
  });
}
