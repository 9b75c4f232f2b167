/**
 * What it takes to run `beacon collector run` as a service, independent of the service manager:
 * the systemd unit, the launchd plist and the detached background process are all rendered
 * from this one value.
 *
 * @module
 */

/** The launchd label of the collector, also the reverse-DNS name of the service. */
export const COLLECTOR_SERVICE_LABEL = "dev.asymptote.beacon.collector";

/** The systemd unit name of the collector. */
export const COLLECTOR_SYSTEMD_UNIT = "beacon-collector.service";

/** How to run the collector as a service, in user or system mode. */
export interface CollectorServiceSpec {
  /** User services run as the user at login; system services run as root from boot. */
  mode: "user" | "system";
  /** Absolute path of the `beacon` binary, or of `deno` when running a bundle. */
  executable: string;
  /**
   * Arguments after the executable, e.g. `["collector", "run", "--policy", path]`, or for a
   * bundle `["run", ...permissionFlags, bundlePath, "collector", "run", ...]`.
   */
  args: string[];
  /** The service's whole environment (service managers start from an empty one). */
  env: Record<string, string>;
  /** Reverse-DNS label ({@link COLLECTOR_SERVICE_LABEL}); names the launchd job. */
  label: string;
  /** Where the service's own stdout and stderr are appended (not the runtime log). */
  logFile: string;
  /** The folder the collector runs in (the endpoint state folder). */
  workingDirectory: string;
  /**
   * Folders the collector writes besides the folders of `logFile` and `workingDirectory`, e.g.
   * the runtime log's folder when the policy moves it. A system-mode systemd unit makes every
   * other path read-only.
   */
  writablePaths?: string[];
}
