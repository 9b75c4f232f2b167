import type * as v from "valibot";
import type { BeaconEvent } from "../events/beacon_event.ts";
import type { ClassifyContext } from "../events/classify_context.ts";
import type { Host } from "../host/host.ts";
import type { FlatValue } from "../otlp/flatten_any_value.ts";
import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
import type { OtlpRequest, OtlpSignal } from "../otlp/otlp_signal.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { DesiredSetting } from "../reconcile/diff_managed_settings.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { OwnershipState } from "../reconcile/ownership_store.ts";
import type { PlanWarning, SettingsStep } from "../reconcile/plan.ts";
import type { HarnessConfigProbe } from "./probe_harness_config.ts";

/** What a harness's config file says, for `endpoint discover` and `status` (read only). */
export type { HarnessConfigProbe };

/** Where Beacon runs: for one user, or machine-wide. */
export type EndpointMode = "user" | "system";

/** Everything a harness adapter may read while planning. Planning never writes. */
export interface PlanContext {
  policy: Policy;
  host: Host;
  fs: FileSystem;
  ownership: OwnershipState;
  /** Take over values someone else set (`--force` or the policy's `on_conflict`). */
  force: boolean;
  /** Which config layer to manage; the policy's `endpoint.mode` when absent. */
  mode?: EndpointMode;
}

/** The plan steps and warnings one harness contributes. */
export interface HarnessPlan {
  steps: SettingsStep[];
  warnings: PlanWarning[];
}

/** The keys every `[harnesses.<name>]` table has (a harness may add its own). */
export interface HarnessPolicyTable {
  enabled: boolean;
  transport: "http/protobuf" | "http/json" | "grpc";
  include_spans: boolean;
  include_metrics: boolean;
  on_conflict: "report" | "take_over";
}

/** A `[harnesses.<name>]` table's schema: strict, every key optional, the common keys included. */
export type HarnessPolicySchema = v.GenericSchema<unknown, HarnessPolicyTable>;

/** The Beacon events of one Export request, and how many of its items gave none. */
export interface ClassifiedExport {
  /** In the request's order. */
  events: BeaconEvent[];
  /** Log records, spans or metric streams that gave no event. */
  dropped: number;
}

/**
 * One AI coding agent Beacon manages: everything Beacon knows about it, in one object, so that
 * adding a harness is one folder and one line in `harness_adapters.ts`. The policy's
 * `[harnesses.*]` tables, the CLI's harness lists, the collector's routing and the event
 * schema's `harness` values are all built from the registry.
 */
export interface HarnessAdapter<
  N extends string = string,
  S extends HarnessPolicySchema = HarnessPolicySchema,
> {
  /** The policy's `[harnesses.<name>]` key and the events' `harness` value. */
  name: N;
  /** Human name, e.g. "Codex CLI". */
  displayName: string;
  /** Its program's name on PATH (discovery). */
  command: string;
  /** Its `[harnesses.<name>]` table: a strict object whose every key is optional. */
  policySchema: S;
  /** The config file Beacon manages in this mode (discovery, status). */
  configPath(host: Host, mode: EndpointMode): string;
  /**
   * The status check of its config file: whether it parses and where it sends its logs (Beacon's
   * collector or not), with problems named for people. Reads only.
   */
  probeConfig(
    path: string,
    fs: FileSystem,
    options: { beaconAddresses?: readonly string[] },
  ): Promise<HarnessConfigProbe>;
  /** The values Beacon owns in that file, from the policy. */
  desiredSettings(policy: Policy): DesiredSetting[];
  /**
   * The plan steps that make its config match the policy; when the policy disables it, the
   * steps that give back what Beacon took (release), so `enabled = false` and uninstall share it.
   */
  plan(context: PlanContext): Promise<HarnessPlan>;
  /** Whether a resource's `service.name` is this harness's (the collector's routing). */
  isService(serviceName: FlatValue | undefined): boolean;
  /** One flattened log record -> a Beacon event with the policy applied, or none. Pure. */
  classifyLogRecord(record: FlatLogRecord, context: ClassifyContext): BeaconEvent | undefined;
  /** A whole Export request of this harness's telemetry (spans and metrics too). Pure. */
  classifyExport<S extends OtlpSignal>(
    signal: S,
    request: OtlpRequest<S>,
    context: ClassifyContext,
  ): ClassifiedExport;
  /**
   * Environment variables that make a process of this harness send to Beacon without its config
   * file (CI runs, services); empty when the harness only reads its file.
   */
  serviceEnvironment(policy: Policy): Record<string, string>;
  /**
   * How a CI run (`beacon ci start`) gives this harness a config folder of its own, so the
   * runner's own config is never edited: the variable that points the harness at that folder,
   * the folder's name in the run's base folder, and the GitHub output that names it. The run
   * plans the folder's config file with {@link plan} (user mode) against a host whose `variable`
   * is the folder. Absent: CI runs cannot prepare this harness.
   */
  ciHome?: CiHome;
}

/** See {@link HarnessAdapter.ciHome}. */
export interface CiHome {
  /** e.g. `CODEX_HOME`, `CLAUDE_CONFIG_DIR`. */
  variable: string;
  /** e.g. `codex-home`. */
  folder: string;
  /** e.g. `codex-home`, `claude-config-dir`. */
  output: string;
}
