/**
 * What `endpoint status` and `endpoint doctor` both read before they probe: the install record,
 * the collector token, the harnesses and their settings' drift, as far as the user running them
 * may read. A system endpoint's state folder is root's, and users run `status` without sudo
 * first: an unreadable file makes the checks that need it {@link SkippedCheck}s, never an error.
 *
 * @module
 */
import type { Policy } from "../policy/policy_schema.ts";
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { System } from "../host/system.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { type OwnershipState, readOwnershipState } from "../reconcile/ownership_store.ts";
import type { Plan, SettingsStep } from "../reconcile/plan.ts";
import { HARNESS_ADAPTERS } from "../harness/harness_adapters.ts";
import { type EndpointConfig, readEndpointConfig } from "./endpoint_config.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";
import { discoverHarnesses, type HarnessDiscovery } from "./probe/discover_harnesses.ts";
import { chooseHarnesses } from "./choose_harnesses.ts";
import { CollectorTokenUnreadableError, endpointCollectorToken } from "./collector_token.ts";
import { setAsideTokenChanges, type TokenBearingSetting } from "./set_aside_token_changes.ts";
import { isPermissionDenied, type SkippedCheck } from "./skipped_check.ts";

/** What status and doctor start from. */
export interface EndpointFacts {
  /** What the last install recorded; undefined when not installed or not readable. */
  installed: EndpointConfig | undefined;
  /** The install record exists but this user may not read it (see `skipped`). */
  installedUnreadable: boolean;
  /**
   * The managed harnesses checked: the install's; before any install the policy's; when the
   * install record cannot be read, the managed ones found here that hold any of Beacon's
   * settings.
   */
  harnesses: string[];
  /**
   * Found harnesses whose config holds none of Beacon's settings while the install record
   * cannot be read: left out by the install, or all removed since; not checked.
   */
  harnessesNotChecked: string[];
  discovery: HarnessDiscovery[];
  /** The harness settings' drift: what `endpoint repair` would change in them. */
  drift: Plan<SettingsStep>;
  /** Settings that match the policy except, maybe, the token this user could not read. */
  tokenBearing: TokenBearingSetting[];
  /** The token the collector requires, when there is one and it could be read. */
  token: string | undefined;
  /** The token file exists but this user may not read it. */
  tokenUnreadable: boolean;
  /** The checks that could not run, and why; each part of the report leaves out what they need. */
  skipped: SkippedCheck[];
}

/** What {@link readEndpointFacts} reads from. */
export interface ReadEndpointFactsInput {
  /** The machine; in system mode its host's HOME is the console user's. */
  system: System;
  loaded: LoadedPolicy;
  /** The policy with command-line overrides applied. */
  policy: Policy;
  mode: "user" | "system";
  paths: EndpointPaths;
}

/** Reads the install record, the token and the harness settings' drift. Changes nothing. */
export async function readEndpointFacts(input: ReadEndpointFactsInput): Promise<EndpointFacts> {
  const { system, policy, paths } = input;
  const { host, fs } = system;
  const skipped: SkippedCheck[] = [];
  const unreadable = (path: string) => `${path} cannot be read by this user`;

  let installed: EndpointConfig | undefined;
  let installedUnreadable = false;
  try {
    installed = await readEndpointConfig(fs, paths);
  } catch (error) {
    // Only a record this user may not read is a check skipped; a folder in its place or a
    // corrupt record is an error that says what to do.
    if (!isPermissionDenied(error)) throw error;
    installedUnreadable = true;
  }

  const discovery = await discoverHarnesses(host, { fs, run: system.run }, {
    beaconAddresses: [policy.collector.listen, policy.collector.grpc_listen],
    skipVersion: true,
  });
  let harnesses = installed?.harnesses ??
    (installedUnreadable ? chooseHarnesses(undefined, discovery, undefined).names : undefined) ??
    enabledHarnesses(policy);
  if (installedUnreadable) {
    skipped.push({
      check: "the install record (its version, which harnesses it manages)",
      reason: unreadable(paths.stateDir),
    });
  }

  let token: string | undefined;
  let tokenUnreadable = false;
  try {
    token = await endpointCollectorToken(policy, fs, paths);
  } catch (error) {
    if (!(error instanceof CollectorTokenUnreadableError)) throw error;
    tokenUnreadable = true;
    skipped.push({
      check: "the collector accepts the endpoint's token",
      reason: unreadable(error.path),
    });
  }

  let ownership: OwnershipState | undefined;
  try {
    await fs.readFile(paths.statePath);
  } catch (error) {
    if (!isPermissionDenied(error)) throw error;
    // Without Beacon's record of what it wrote, a differing value is still reported; only
    // whether it is Beacon's (drift) or someone else's (conflict) is a guess.
    ownership = { formatVersion: 1, files: {} };
    skipped.push({
      check: "Beacon's record of what it wrote (it tells drift from someone else's settings)",
      reason: unreadable(paths.statePath),
    });
  }

  // The token's value only shows in the settings Beacon wants; without it (unreadable, or none
  // made yet) a placeholder stands in. Never printed: plan views mask header values.
  const placeholder = `beacon-placeholder-token-${crypto.randomUUID()}`;
  const planned = await planEndpointSettings(input, {
    harnesses,
    token: token ?? placeholder,
    ownership,
  });
  let drift = planned;
  const harnessesNotChecked: string[] = [];
  if (installedUnreadable) {
    // A harness with nothing of Beacon's in its config was most likely left out by the install
    // (`--harness`); only the install record tells, so it is not checked rather than drift.
    for (const step of planned.steps) {
      if (
        step.changes.length && !step.conflicts.length &&
        step.changes.every((change) => change.action === "create")
      ) {
        harnessesNotChecked.push(step.harness);
        skipped.push({
          check: `whether the endpoint manages ${step.harness}`,
          reason: `none of Beacon's settings are in ${step.path}, and only the install record ` +
            "says whether it left them out",
        });
      }
    }
    harnesses = harnesses.filter((name) => !harnessesNotChecked.includes(name));
    drift = {
      ...planned,
      steps: planned.steps.filter((step) => !harnessesNotChecked.includes(step.harness)),
    };
  }
  let tokenBearing: TokenBearingSetting[] = [];
  if (tokenUnreadable) {
    ({ drift, notChecked: tokenBearing } = setAsideTokenChanges(drift, placeholder));
    for (const setting of tokenBearing) {
      skipped.push({
        check: `the token in ${setting.harness}'s ${setting.key} (the rest of it was checked)`,
        reason: "it is compared with the collector token, which cannot be read",
      });
    }
  }
  return {
    installed,
    installedUnreadable,
    harnesses,
    harnessesNotChecked,
    discovery,
    drift,
    tokenBearing,
    token,
    tokenUnreadable,
    skipped,
  };
}

/**
 * The harness settings part of the endpoint plan, as `planEndpoint` computes it for
 * `endpoint repair` (the same {@link computePlan} with the policy carrying the token), with the
 * token given (never generated here) and, when Beacon's state file is unreadable, an empty
 * ownership record. The endpoint's own files and service are probed live, not planned.
 */
async function planEndpointSettings(
  input: ReadEndpointFactsInput,
  given: { harnesses: string[]; token: string; ownership: OwnershipState | undefined },
): Promise<Plan<SettingsStep>> {
  const { host, fs } = input.system;
  return await computePlan({
    loaded: { ...input.loaded, policy: withToken(input.policy, given.token) },
    host,
    fs,
    ownership: given.ownership ?? await readOwnershipState(fs, input.paths.statePath),
    adapters: HARNESS_ADAPTERS.filter((adapter) => given.harnesses.includes(adapter.name)),
    force: false,
    mode: input.mode,
  });
}

function withToken(policy: Policy, token: string): Policy {
  return policy.collector.token ? policy : { ...policy, collector: { ...policy.collector, token } };
}

/** The harnesses the policy enables: what status and doctor check before any install. */
export function enabledHarnesses(policy: Policy): string[] {
  return HARNESS_ADAPTERS.filter((adapter) => policy.harnesses[adapter.name].enabled)
    .map((adapter) => adapter.name);
}
