import type { Command } from "./command.ts";
import { applyCommand } from "./commands/apply_command.ts";
import { collectorRunCommand } from "./commands/collector_run_command.ts";
import { ciStartCommand } from "./commands/ci/ci_start_command.ts";
import { ciFinishCommand } from "./commands/ci/ci_finish_command.ts";
import { ciExecCommand } from "./commands/ci/ci_exec_command.ts";
import { dashboardCommand } from "./commands/dashboard_command.ts";
import { endpointDiscoverCommand } from "./commands/endpoint/endpoint_discover_command.ts";
import { endpointInstallCommand } from "./commands/endpoint/endpoint_install_command.ts";
import { endpointRepairCommand } from "./commands/endpoint/endpoint_repair_command.ts";
import { endpointStatusCommand } from "./commands/endpoint/endpoint_status_command.ts";
import { endpointTestEventCommand } from "./commands/endpoint/endpoint_test_event_command.ts";
import { endpointUninstallCommand } from "./commands/endpoint/endpoint_uninstall_command.ts";
import { policySchemaCommand } from "./commands/policy_schema_command.ts";
import { policyValidateCommand } from "./commands/policy_validate_command.ts";

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  applyCommand,
  policyValidateCommand,
  policySchemaCommand,
  collectorRunCommand,
  endpointDiscoverCommand,
  endpointInstallCommand,
  endpointStatusCommand,
  endpointRepairCommand,
  endpointTestEventCommand,
  endpointUninstallCommand,
  ciStartCommand,
  ciFinishCommand,
  ciExecCommand,
  dashboardCommand,
];
