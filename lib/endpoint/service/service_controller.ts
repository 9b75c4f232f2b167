/**
 * One interface over every way Beacon keeps the collector running (systemd, launchd, a detached
 * background process), so `beacon endpoint install|repair|status|uninstall` read the same
 * whatever the machine has. A controller is a plain object of methods made by
 * `createServiceController`.
 *
 * `plan` and `planUninstall` only read; `install` and `uninstall` compute the same changes and
 * carry them out, so a dry run, `status` drift and the real thing share one code path, and
 * repair is simply `install` again (it changes nothing when all is in place).
 *
 * @module
 */
import type { CollectorServiceSpec } from "./collector_service_spec.ts";
import type { ServiceManager } from "./detect_service_manager.ts";

/** One thing installing or uninstalling the service does (see `describeServiceChange`). */
export type ServiceChange =
  /** The unit file, plist or background-process record is written with `text`. */
  | { kind: "write-file"; action: "create" | "update"; path: string; text: string; mode: number }
  /** The unit file, plist or record is removed. */
  | { kind: "remove-file"; path: string }
  /** The collector is started (and enabled, where the manager has such a thing). */
  | { kind: "start"; manager: ServiceManager; pidFile?: string }
  /** The running collector is restarted to pick up a changed definition. */
  | { kind: "restart"; manager: ServiceManager; pidFile?: string }
  /** The running collector is stopped (and disabled). */
  | { kind: "stop"; manager: ServiceManager; pidFile?: string };

/** What `status` found. */
export interface ServiceStatus {
  /** The unit file, plist or background-process record exists. */
  installed: boolean;
  /** The collector is running under this manager. */
  running: boolean;
  /** Its process id, when running and known. */
  pid?: number;
  /** One line for people, e.g. `systemd --user: active (running), enabled, pid 4242`. */
  detail: string;
}

/** Options of {@link ServiceController.install} and its `plan`. */
export interface InstallOptions {
  /**
   * Restart a running collector even when its definition is unchanged, because a file it reads
   * only at start changed (its token file).
   */
  restart?: boolean;
}

/** Keeps the collector running through one service manager. */
export interface ServiceController {
  /** Which manager this controller drives. */
  readonly manager: ServiceManager;
  /** The file that defines the service: unit file, plist or background-process record. */
  readonly definitionPath: string;
  /** What `install(spec)` would change, without changing anything. Empty when all is in place. */
  plan(spec: CollectorServiceSpec, options?: InstallOptions): Promise<ServiceChange[]>;
  /**
   * Writes the definition (through the caller's `ServiceFiles`) and starts the collector, or
   * restarts it when its definition changed (or `options.restart`). Returns the changes made.
   */
  install(spec: CollectorServiceSpec, options?: InstallOptions): Promise<ServiceChange[]>;
  /** Stops the collector; harmless when it is not running or not installed. */
  stop(): Promise<void>;
  /**
   * Restarts the collector from its definition as it is on disk now, so it reads that definition
   * and its token file again (after a rollback put back the previous ones). Nothing when the
   * service is not installed.
   */
  restart(): Promise<void>;
  /** What `uninstall()` would change, without changing anything. */
  planUninstall(): Promise<ServiceChange[]>;
  /** Stops and disables the collector and removes its definition. Returns the changes made. */
  uninstall(): Promise<ServiceChange[]>;
  /** Whether the service is installed and running. */
  status(): Promise<ServiceStatus>;
}
