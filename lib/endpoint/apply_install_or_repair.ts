/**
 * `beacon endpoint install|repair` after the plan, without the command line: under Beacon's
 * lock, {@link applyEndpointPlan} (journaled, rolled back on failure) with the collector check
 * as its last step.
 *
 * @module
 */
import { dirname } from "../host/file_path.ts";
import type { System } from "../host/system.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { EndpointPlan } from "../reconcile/plan.ts";
import { applyEndpointPlan } from "./apply_endpoint_plan.ts";
import type { TestEventResult } from "./send_test_event.ts";
import type { ServiceController } from "./service/service_controller.ts";
import { verifyCollector } from "./verify_collector.ts";
import { describeServiceChange } from "./service/describe_service_change.ts";

/** What applying did, for the command to render. */
export interface InstallOrRepairResult {
  /** One line per thing done (`folders: created ...`, `collector service: start`). */
  steps: string[];
  /** The test event the final check sent through the collector. */
  testEvent: TestEventResult | undefined;
}

/**
 * Applies an install or repair plan under the endpoint's lock, then checks that the collector
 * answers with `token` and that a test event reaches the runtime log.
 *
 * @throws EndpointStepError naming the step that failed, after everything was put back: the
 * plan's changes by the journal, and the lock file and the folders made to hold it here.
 */
export async function applyInstallOrRepair(input: {
  system: Pick<System, "host" | "fs">;
  plan: EndpointPlan;
  token: string | undefined;
  controllerOn(fs: FileSystem): ServiceController;
}): Promise<InstallOrRepairResult> {
  const { fs } = input.system;
  const { plan } = input;
  const paths = plan.endpoint.paths;
  // What taking the lock creates, so a failed install can take it away again.
  const createdFolders = await missingFolders(fs, paths.stateDir);
  const createdLock = !await fs.lstat(paths.lockPath);
  await fs.ensureDir(paths.stateDir, 0o700);
  const lock = await fs.lock(paths.lockPath);
  const steps: string[] = [];
  let testEvent: TestEventResult | undefined;
  try {
    await applyEndpointPlan({
      plan,
      fs,
      controllerOn: input.controllerOn,
      onStep: (step, detail, serviceChange) =>
        steps.push(
          `${step}: ${
            serviceChange ? describeServiceChange(serviceChange, input.system.host) : detail
          }`,
        ),
      verify: async () => {
        testEvent = await verifyCollector(input.system, {
          collectorUrl: plan.endpoint.config.collectorUrl,
          token: input.token,
          runtimeLogPath: plan.endpoint.config.runtimeLogPath,
        });
      },
    });
  } catch (error) {
    await lock.release();
    // Rolled back: the lock file and the folders made for it go too, so the machine is as it
    // was (a folder something else was put in meanwhile stays).
    if (createdLock) await fs.removeFile(paths.lockPath).catch(() => {});
    for (const folder of createdFolders) {
      await fs.removeDir(folder, { recursive: false }).catch(() => false);
    }
    throw error;
  }
  await lock.release();
  return { steps, testEvent };
}

/** `path` and its parents that do not exist, deepest first. */
async function missingFolders(fs: FileSystem, path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    if (await fs.lstat(dir)) break;
    missing.push(dir);
  }
  return missing;
}
