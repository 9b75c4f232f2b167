import type { CliContext } from "./cli_context.ts";
import type { CommandArgs, CommandOption } from "./command.ts";
import { type LoadedPolicy, loadPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { type EndpointPaths, endpointPaths } from "../endpoint/endpoint_paths.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import {
  detectServiceManager,
  type ServiceManager,
} from "../endpoint/service/detect_service_manager.ts";
import { createServiceController } from "../endpoint/service/create_service_controller.ts";
import type { ServiceController } from "../endpoint/service/service_controller.ts";
import { serviceFilesOn } from "../endpoint/service/service_files.ts";
import { consoleUserHome } from "../endpoint/console_user_home.ts";
import type { Host } from "../host/host.ts";

/** Flags every `beacon endpoint` command takes. */
export const ENDPOINT_COMMON_OPTIONS: Record<string, CommandOption> = {
  json: { type: "boolean", description: "Print the result as JSON." },
  policy: { type: "string", valueName: "PATH", description: "Policy file to use." },
  system: {
    type: "boolean",
    description: 'The machine-wide endpoint (as mode = "system" in the policy; for MDM).',
  },
};

/** What every endpoint command starts from. */
export interface EndpointSetup {
  /** The machine as the commands see it: in system mode HOME is the console user's. */
  host: Host;
  loaded: LoadedPolicy;
  policy: Policy;
  mode: "user" | "system";
  paths: EndpointPaths;
  manager: ServiceManager;
  controllerOn(fs: FileSystem): ServiceController;
}

/** Loads the policy, applies `--system`, finds the service manager and the console user. */
export async function endpointSetup(
  { values }: CommandArgs,
  context: CliContext,
): Promise<EndpointSetup> {
  const loaded = await loadPolicy(context, values.policy as string | undefined, {
    system: values.system === true,
  });
  const policy = loaded.policy;
  const mode = values.system ? "system" : policy.endpoint.mode;
  const manager = await detectServiceManager(mode, context);
  // A system install runs as root but manages the console user's Codex config.
  const host = mode === "system"
    ? { ...context.host, home: await consoleUserHome(context) }
    : context.host;
  return {
    host,
    loaded,
    policy,
    mode,
    paths: endpointPaths(mode, host),
    manager,
    controllerOn: (fs) =>
      createServiceController(manager, {
        mode,
        host,
        run: context.run,
        files: serviceFilesOn(fs),
        processes: context.processes,
      }),
  };
}
