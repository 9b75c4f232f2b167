import type { FileSystem } from "../reconcile/file_system.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import { journalingFileSystem } from "../reconcile/journaling_file_system.ts";
import { type EndpointPlan, harnessPlanOf, serviceStepOf } from "./plan_endpoint.ts";
import type { ServiceController } from "./service/service_controller.ts";

/** One step of an endpoint install failed; everything before it was undone. */
export class EndpointStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly restored: string[],
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `The install failed at "${step}": ${reason}\n` +
        (restored.length
          ? `Beacon put back what it had changed (${restored.length} file(s) and folder(s)); ` +
            "the machine is as it was before the install."
          : "Nothing had been changed yet."),
    );
    this.name = "EndpointStepError";
  }
}

/** The steps of an install, in order; each one's name is what an error names. */
export const ENDPOINT_STEPS = [
  "folders",
  "harness configs",
  "endpoint configuration",
  "collector service",
  "health check",
] as const;

/**
 * Applies an endpoint plan step by step through a journal: folders, harness configs (as
 * `beacon apply`, with backups and ownership), the endpoint configuration file, the collector
 * service, then `verify` (the collector answers and a test event reaches the runtime log). If
 * any step fails, the service is stopped again when this install started it, and every file and
 * folder is put back as it was, newest first; then {@link EndpointStepError} says which step
 * failed and why. The caller holds the apply lock.
 */
export async function applyEndpointPlan(input: {
  plan: EndpointPlan;
  fs: FileSystem;
  controllerOn: (fs: FileSystem) => ServiceController;
  verify: () => Promise<void>;
  onStep?: (step: string, detail: string) => void;
}): Promise<void> {
  const { plan } = input;
  const journal = journalingFileSystem(input.fs);
  const controller = input.controllerOn(journal);
  let step: string = ENDPOINT_STEPS[0];
  let wasRunning = true;
  let startedService = false;
  try {
    for (const folder of plan.steps) {
      if (folder.kind !== "folder" || folder.exists) continue;
      await journal.ensureDir(folder.path, folder.mode);
      input.onStep?.(step, `created ${folder.path} (${folder.purpose})`);
    }

    step = ENDPOINT_STEPS[1];
    const ownership = await readOwnershipState(journal, plan.paths.statePath);
    const applied = await applyPlan({
      plan: harnessPlanOf(plan),
      fs: journal,
      ownership,
      statePath: plan.paths.statePath,
    });
    for (const file of applied.filter((file) => file.written)) {
      input.onStep?.(
        step,
        `updated ${file.path}` + (file.backup ? ` (backup ${file.backup})` : ""),
      );
    }

    step = ENDPOINT_STEPS[2];
    for (const file of plan.steps) {
      if (file.kind !== "file" || file.action === "none") continue;
      await journal.writeFileAtomic(file.path, new TextEncoder().encode(file.after), file.mode);
      input.onStep?.(step, `wrote ${file.path}`);
    }

    step = ENDPOINT_STEPS[3];
    wasRunning = (await controller.status()).running;
    const service = serviceStepOf(plan);
    const changes = await controller.install(service.spec, { restart: service.restart });
    startedService = changes.some((change) => change.kind === "start" || change.kind === "restart");
    for (const change of changes) input.onStep?.(step, change.kind);

    step = ENDPOINT_STEPS[4];
    await input.verify();
  } catch (error) {
    if (startedService && !wasRunning) await controller.stop().catch(() => {});
    const restored = await journal.rollback();
    throw new EndpointStepError(step, error, restored);
  }
}
