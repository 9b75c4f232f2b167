/**
 * `beacon endpoint install|repair` up to the plan, without the command line: what was
 * installed before, which harnesses, the troubleshooting override, then {@link planEndpoint}.
 * Only reads; `--plan` prints the result and `applyInstallOrRepair` applies it.
 *
 * @module
 */
import type { System } from "../host/system.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { withCodexSpans } from "../policy/with_codex_spans.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { chooseHarnesses } from "./choose_harnesses.ts";
import { readEndpointConfig } from "./endpoint_config.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";
import { planEndpoint, type PlannedEndpoint } from "./plan_endpoint.ts";
import { discoverHarnesses } from "./probe/discover_harnesses.ts";
import type { ServiceController } from "./service/service_controller.ts";
import { currentBeaconProgram } from "./service/build_collector_service_spec.ts";

/** What install and repair plan from. */
export interface PlanInstallOrRepairInput {
  /** The machine; in system mode its host's HOME is the console user's. */
  system: System;
  verb: "install" | "repair";
  loaded: LoadedPolicy;
  policy: Policy;
  mode: "user" | "system";
  paths: EndpointPaths;
  controllerOn(fs: FileSystem): ServiceController;
  version: string;
  /** `--harness` (each a harness Beacon manages); none: repair's last, else those found. */
  harnesses?: readonly string[];
  /** `--include-codex-spans` when given (repair keeps the last install's when undefined). */
  includeCodexSpans?: boolean;
  force: boolean;
  /** `repair --rotate-token`. */
  rotateToken: boolean;
}

/**
 * The endpoint plan install or repair would apply, with notes on the harnesses chosen.
 *
 * @throws HarnessChoiceError (from `chooseHarnesses`) for a harness name Beacon cannot manage.
 */
export async function planInstallOrRepair(
  input: PlanInstallOrRepairInput,
): Promise<PlannedEndpoint> {
  const { system, verb } = input;
  const previous = await readEndpointConfig(system.fs, input.paths).catch(() => undefined);
  const includeCodexSpans = input.includeCodexSpans === true ||
    (verb === "repair" && input.includeCodexSpans === undefined &&
      previous?.includeCodexSpans === true);
  // The troubleshooting override changes only the policy: the setup (mode, service manager)
  // is the same.
  const policy = includeCodexSpans ? withCodexSpans(input.policy) : input.policy;
  const discovery = await discoverHarnesses(system.host, { fs: system.fs, run: system.run }, {
    beaconAddresses: [input.policy.collector.listen, input.policy.collector.grpc_listen],
  });
  const harnesses = chooseHarnesses(
    input.harnesses,
    discovery,
    verb === "repair" ? previous?.harnesses : undefined,
  );
  const planned = await planEndpoint({
    loaded: input.loaded,
    policy,
    mode: input.mode,
    host: system.host,
    fs: system.fs,
    harnesses: harnesses.names,
    includeCodexSpans,
    force: input.force,
    version: input.version,
    controller: input.controllerOn(system.fs),
    program: currentBeaconProgram(system.processes.self),
    rotateToken: verb === "repair" && input.rotateToken,
  });
  planned.plan.notes.push(...harnesses.notes);
  return planned;
}
