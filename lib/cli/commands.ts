import type { Command } from "./command.ts";

/**
 * A command as the command line finds it: its words, and how to load the rest. Each command is
 * loaded only when it runs (or its help is shown), so that a process runs only the code of its
 * own command: the long-running collector does not carry the reconcile, CI or dashboard code.
 */
export interface CommandEntry {
  words: readonly string[];
  load(): Promise<Command>;
}

/** Every command, in help order. A test checks each entry's words against its command. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    words: ["apply"],
    load: () => import("./commands/apply_command.ts").then((m) => m.applyCommand),
  },
  {
    words: ["policy", "validate"],
    load: () =>
      import("./commands/policy_validate_command.ts").then((m) => m.policyValidateCommand),
  },
  {
    words: ["policy", "schema"],
    load: () => import("./commands/policy_schema_command.ts").then((m) => m.policySchemaCommand),
  },
  {
    words: ["collector", "run"],
    load: () => import("./commands/collector_run_command.ts").then((m) => m.collectorRunCommand),
  },
  {
    words: ["endpoint", "discover"],
    load: () =>
      import("./commands/endpoint/endpoint_discover_command.ts").then((m) =>
        m.endpointDiscoverCommand
      ),
  },
  {
    words: ["endpoint", "install"],
    load: () =>
      import("./commands/endpoint/endpoint_install_command.ts").then((m) =>
        m.endpointInstallCommand
      ),
  },
  {
    words: ["endpoint", "status"],
    load: () =>
      import("./commands/endpoint/endpoint_status_command.ts").then((m) => m.endpointStatusCommand),
  },
  {
    words: ["endpoint", "doctor"],
    load: () =>
      import("./commands/endpoint/endpoint_doctor_command.ts").then((m) => m.endpointDoctorCommand),
  },
  {
    words: ["endpoint", "repair"],
    load: () =>
      import("./commands/endpoint/endpoint_repair_command.ts").then((m) => m.endpointRepairCommand),
  },
  {
    words: ["endpoint", "test-event"],
    load: () =>
      import("./commands/endpoint/endpoint_test_event_command.ts").then((m) =>
        m.endpointTestEventCommand
      ),
  },
  {
    words: ["endpoint", "uninstall"],
    load: () =>
      import("./commands/endpoint/endpoint_uninstall_command.ts").then((m) =>
        m.endpointUninstallCommand
      ),
  },
  {
    words: ["ci", "start"],
    load: () => import("./commands/ci/ci_start_command.ts").then((m) => m.ciStartCommand),
  },
  {
    words: ["ci", "finish"],
    load: () => import("./commands/ci/ci_finish_command.ts").then((m) => m.ciFinishCommand),
  },
  {
    words: ["ci", "exec"],
    load: () => import("./commands/ci/ci_exec_command.ts").then((m) => m.ciExecCommand),
  },
  {
    words: ["dashboard"],
    load: () => import("./commands/dashboard_command.ts").then((m) => m.dashboardCommand),
  },
];

/** Loads every command (help for Beacon or a group). */
export function loadCommands(entries: readonly CommandEntry[]): Promise<Command[]> {
  return Promise.all(entries.map((entry) => entry.load()));
}
