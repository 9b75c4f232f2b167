import { dirname } from "node:path";
import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { describeServiceChange } from "../../../endpoint/service/describe_service_change.ts";
import { endpointConfigPath, readEndpointConfig } from "../../../endpoint/endpoint_config.ts";
import { runtimeLogPathOf } from "../../../endpoint/endpoint_paths.ts";
import { codexAdapter } from "../../../harness/codex/codex_adapter.ts";
import { computePlan } from "../../../reconcile/compute_plan.ts";
import { applyPlan } from "../../../reconcile/apply_plan.ts";
import { readOwnershipState } from "../../../reconcile/ownership_store.ts";
import {
  archivePath,
  listRuntimeLogArchives,
} from "../../../runtime_log/list_runtime_log_archives.ts";
import { tornFragmentPath } from "../../../runtime_log/repair_torn_tail.ts";
import { collectorServicePaths } from "../../../endpoint/service/collector_service_paths.ts";

/** `beacon endpoint uninstall`: remove exactly what Beacon added. */
export const endpointUninstallCommand: Command = {
  words: ["endpoint", "uninstall"],
  summary: "Remove what Beacon added: its harness settings, the service, the endpoint files",
  description:
    "Gives each harness config back: a file nobody changed since Beacon wrote it returns byte\n" +
    "for byte to what it was before Beacon (or is removed if Beacon created it); otherwise only\n" +
    "Beacon's settings go, and the user's own earlier values come back. Stops and removes the\n" +
    "collector service, the endpoint configuration and Beacon's state, and the runtime log and\n" +
    "its archives unless --keep-logs. Running it twice is harmless.\n\n" +
    "Exit codes: 0 done, 3 done but some settings were left alone (edited since), 1 error.",
  options: {
    ...ENDPOINT_COMMON_OPTIONS,
    "keep-logs": { type: "boolean", description: "Keep the runtime log and its archives." },
  },
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const { fs } = context;
    const host = setup.host;
    const done: string[] = [];
    const installed = await readEndpointConfig(fs, setup.paths).catch(() => undefined);
    await fs.ensureDir(setup.paths.stateDir, 0o700);
    const lock = await fs.lock(setup.paths.lockPath);
    let conflicts = 0;
    try {
      // Harness configs: the same plan as a policy with the harness disabled.
      const ownership = await readOwnershipState(fs, setup.paths.statePath);
      const disabled = {
        ...setup.policy,
        harnesses: {
          ...setup.policy.harnesses,
          codex: {
            ...setup.policy.harnesses.codex,
            enabled: false,
            on_conflict: "report" as const,
          },
        },
      };
      const plan = await computePlan({
        loaded: { ...setup.loaded, policy: disabled },
        host,
        fs,
        ownership,
        adapters: [codexAdapter],
        force: false,
      });
      conflicts = plan.steps.reduce((n, step) => n + step.conflicts.length, 0);
      for (
        const step of await applyPlan({ plan, fs, ownership, statePath: setup.paths.statePath })
      ) {
        if (step.written) done.push(`gave back ${step.path}`);
      }

      const controller = setup.controllerOn(fs);
      for (const change of await controller.uninstall()) {
        done.push(describeServiceChange(change, host));
      }

      const remove = async (path: string, what: string) => {
        if (await fs.lstat(path)) {
          await fs.removeFile(path);
          done.push(`removed ${path}${what ? ` (${what})` : ""}`);
        }
      };
      await remove(endpointConfigPath(setup.paths), "endpoint configuration");
      const state = await readOwnershipState(fs, setup.paths.statePath);
      if (Object.keys(state.files).length === 0) {
        await remove(setup.paths.statePath, "Beacon's state");
      }
      const servicePaths = collectorServicePaths(setup.mode, host);
      if (!args.values["keep-logs"]) {
        const logPath = installed?.runtimeLogPath ??
          runtimeLogPathOf(setup.policy, setup.mode, host);
        for (const number of await listRuntimeLogArchives(logPath)) {
          await remove(archivePath(logPath, number), "runtime log archive");
        }
        await remove(logPath, "runtime log");
        await remove(tornFragmentPath(logPath), "");
        await remove(servicePaths.logFile, "collector output");
        await removeEmptyFolder(dirname(logPath), done);
        await removeEmptyFolder(dirname(servicePaths.logFile), done);
      }
    } finally {
      await lock.release();
    }
    // Beacon's own lock and folder go silently: they say nothing about what was installed.
    await fs.removeFile(setup.paths.lockPath);
    await removeEmptyFolder(setup.paths.stateDir, []);
    if (args.values.json) {
      context.stdout(JSON.stringify({ done, conflicts }, null, 2) + "\n");
    } else {
      context.stdout(
        done.length
          ? done.map((line) => `${line}\n`).join("")
          : "Nothing of Beacon's was left to remove.\n",
      );
      if (conflicts) {
        context.stdout(
          `${conflicts} setting(s) were edited since Beacon wrote them and were left as they are.\n`,
        );
      }
    }
    return conflicts ? EXIT.attention : EXIT.ok;
  },
};

async function removeEmptyFolder(path: string, done: string[]): Promise<void> {
  try {
    await Deno.remove(path);
    done.push(`removed ${path}/`);
  } catch {
    // not empty, or already gone: leave it
  }
}
