import type { FileSystem } from "../reconcile/file_system.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import { journalingFileSystem } from "../reconcile/journaling_file_system.ts";
import type { EndpointPlan, PlanStep } from "../reconcile/plan.ts";
import type { ServiceChange, ServiceController } from "./service/service_controller.ts";

/** One step of an endpoint install failed; everything before it was undone. */
export class EndpointStepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly restored: string[],
    /** What became of a collector that was running before and was restarted by this apply. */
    readonly collector?: { restarted: true } | { restarted: false; reason: string },
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const asBefore = !collector || collector.restarted;
    super(
      `The install failed at "${step}": ${reason}\n` +
        (restored.length
          ? `Beacon put back what it had changed (${restored.length} file(s) and folder(s))` +
            (asBefore ? "; the machine is as it was before the install." : ".")
          : "Nothing had been changed yet.") +
        (!collector
          ? ""
          : collector.restarted
          ? "\nThe collector was restarted with the previous token and service definition: " +
            "it, the token file and the harness configs agree again."
          : `\nBeacon could not restart the collector with the previous token (${collector.reason}): ` +
            "it may still require the new one, which no harness sends. Run " +
            "`beacon endpoint repair`."),
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

const STEP_NAME: Record<PlanStep["kind"], (typeof ENDPOINT_STEPS)[number]> = {
  "folder": "folders",
  "toml-settings": "harness configs",
  "json-settings": "harness configs",
  "file": "endpoint configuration",
  "service": "collector service",
  "service-removal": "collector service",
};

/**
 * Applies an endpoint plan through a journal with `applyPlan` (the same apply as `beacon
 * apply`: folders, harness configs with backups and ownership, the endpoint's files, the
 * collector service), then `verify` (the collector answers and a test event reaches the runtime
 * log). If any step fails, every file and folder is put back as it was, newest first; a service
 * this install started is stopped again, and one that was running and that this apply restarted
 * (a new token, a new definition) is restarted once more from what was put back, so the running
 * collector requires the token the harness configs send. Then {@link EndpointStepError} says
 * which step failed and why, and what became of the collector. The caller holds the apply lock.
 */
export async function applyEndpointPlan(input: {
  plan: EndpointPlan;
  fs: FileSystem;
  controllerOn: (fs: FileSystem) => ServiceController;
  verify: () => Promise<void>;
  /** Each thing done: the step, a line about it, and for the service the change itself. */
  onStep?: (step: string, detail: string, serviceChange?: ServiceChange) => void;
}): Promise<void> {
  const { plan } = input;
  const statePath = plan.endpoint.paths.statePath;
  const journal = journalingFileSystem(input.fs);
  const controller = input.controllerOn(journal);
  let step: string = ENDPOINT_STEPS[0];
  let wasRunning = true;
  let startedService = false;
  let serviceStepFailed = false;
  try {
    await applyPlan({
      plan,
      fs: journal,
      ownership: await readOwnershipState(journal, statePath),
      statePath,
      service: controller,
      onStart: async (next) => {
        step = STEP_NAME[next.kind];
        if (next.kind === "service") wasRunning = (await controller.status()).running;
      },
      onApplied: ({ step: applied, detail, serviceChange }) => {
        if (serviceChange?.kind === "start" || serviceChange?.kind === "restart") {
          startedService = true;
        }
        input.onStep?.(STEP_NAME[applied.kind], detail, serviceChange);
      },
    });

    step = ENDPOINT_STEPS[4];
    await input.verify();
  } catch (error) {
    serviceStepFailed = step === "collector service";
    // A restart (or one that failed half-way) left the collector on the new token and
    // definition, which the rollback takes away from the files: it is stopped while its pid
    // file still names it, and started again from what the rollback put back.
    const restartAfter = wasRunning && (startedService || serviceStepFailed);
    if (startedService || restartAfter) await controller.stop().catch(() => {});
    const restored = await journal.rollback();
    if (restartAfter) {
      let collector: EndpointStepError["collector"];
      try {
        await input.controllerOn(input.fs).restart();
        collector = { restarted: true };
      } catch (restartError) {
        collector = {
          restarted: false,
          reason: restartError instanceof Error ? restartError.message : String(restartError),
        };
      }
      throw new EndpointStepError(step, error, restored, collector);
    }
    throw new EndpointStepError(step, error, restored);
  }
}
