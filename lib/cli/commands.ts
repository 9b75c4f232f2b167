import type { Command } from "./command.ts";
import { applyCommand } from "./commands/apply_command.ts";
import { collectorRunCommand } from "./commands/collector_run_command.ts";
import { policySchemaCommand } from "./commands/policy_schema_command.ts";
import { policyValidateCommand } from "./commands/policy_validate_command.ts";

/** Every command, in help order. */
export const COMMANDS: readonly Command[] = [
  applyCommand,
  policyValidateCommand,
  policySchemaCommand,
  collectorRunCommand,
];
