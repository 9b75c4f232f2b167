/**
 * What `beacon endpoint uninstall` removes of Beacon's own files, and what it leaves in place.
 *
 * @module
 */

import { dirname } from "../host/file_path.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { archivePath, listRuntimeLogArchives } from "../runtime_log/list_runtime_log_archives.ts";
import { tornFragmentPath } from "../runtime_log/repair_torn_tail.ts";
import { endpointConfigPath } from "./endpoint_config.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";

/** One file uninstall removes or keeps, and what it is (for people). */
export interface UninstallFile {
  path: string;
  what: string;
}

/** The decision, as data: nothing here has been done yet. */
export interface UninstallFilePlan {
  /** Files to remove, in this order; only files that exist. */
  remove: UninstallFile[];
  /** Folders to remove afterwards, each only if nothing is left in it. */
  removeFoldersIfEmpty: string[];
  /**
   * Logs left where they are (empty with `purge`): the runtime log, its archives and the torn
   * fragment are the record admins and users rely on, and the collector's own output explains
   * what the service did.
   */
  keep: UninstallFile[];
  /**
   * What is found at the path of a file Beacon would remove but is not a regular file (a
   * folder, a link): not Beacon's to remove, left alone and reported. `what` says what it is.
   */
  left: UninstallFile[];
}

/** What the decision is made from. */
export interface PlanUninstallOptions {
  /** Read only: existence of each file. */
  fs: FileSystem;
  paths: EndpointPaths;
  /** The runtime log the endpoint wrote (from its configuration, else the policy's). */
  runtimeLogPath: string;
  /** The collector service's own stdout and stderr. */
  collectorLogPath: string;
  /** Beacon's state still records files it manages (edited since): keep the state file. */
  stateInUse: boolean;
  /** Delete the logs too (`--purge`). */
  purge: boolean;
}

/**
 * Decides which of Beacon's files uninstall removes. The endpoint configuration always goes,
 * Beacon's state when it no longer records anything; the logs stay unless `purge`. Only regular
 * files are removed: Beacon never wrote a folder or a link at those paths, so one found there
 * is someone else's and is listed in `left` instead.
 *
 * @example
 * ```ts
 * import { planUninstall } from "./plan_uninstall.ts";
 * import { endpointPaths } from "./endpoint_paths.ts";
 * import { realFileSystem } from "../reconcile/real_file_system.ts";
 *
 * const host = { home: "/home/ada", cwd: "/", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * const paths = endpointPaths("user", host);
 * const plan = await planUninstall({
 *   fs: realFileSystem,
 *   paths,
 *   runtimeLogPath: paths.runtimeLogPath,
 *   collectorLogPath: "/home/ada/.beacon/endpoint/logs/collector.log",
 *   stateInUse: false,
 *   purge: false,
 * });
 * // plan.keep lists the runtime log and its archives where they exist
 * ```
 */
export async function planUninstall(options: PlanUninstallOptions): Promise<UninstallFilePlan> {
  const { fs, paths, runtimeLogPath, collectorLogPath } = options;
  const left: UninstallFile[] = [];
  /** The files that exist; with `regularOnly`, others go to `left`. */
  const only = async (files: UninstallFile[], regularOnly: boolean) => {
    const found: UninstallFile[] = [];
    for (const file of files) {
      const info = await fs.lstat(file.path);
      if (!info) continue;
      if (!regularOnly || (info.isFile && !info.isSymlink)) found.push(file);
      else {
        left.push({
          path: file.path,
          what: `a ${info.isSymlink ? "link" : "folder"} where Beacon's ${file.what} would be; ` +
            "not Beacon's, so left alone (remove it yourself if nothing needs it)",
        });
      }
    }
    return found;
  };

  const beaconFiles = [
    { path: endpointConfigPath(paths), what: "endpoint configuration" },
    { path: paths.tokenPath, what: "collector token" },
  ];
  if (!options.stateInUse) beaconFiles.push({ path: paths.statePath, what: "Beacon's state" });

  const logs: UninstallFile[] = [
    ...(await listRuntimeLogArchives(runtimeLogPath)).map((number) => ({
      path: archivePath(runtimeLogPath, number),
      what: "runtime log archive",
    })),
    { path: runtimeLogPath, what: "runtime log" },
    { path: tornFragmentPath(runtimeLogPath), what: "torn last line of the runtime log" },
    { path: collectorLogPath, what: "collector output" },
  ];

  if (!options.purge) {
    const remove = await only(beaconFiles, true);
    return { remove, removeFoldersIfEmpty: [], keep: await only(logs, false), left };
  }
  return {
    remove: await only([...beaconFiles, ...logs], true),
    removeFoldersIfEmpty: [...new Set([dirname(runtimeLogPath), dirname(collectorLogPath)])],
    keep: [],
    left,
  };
}
