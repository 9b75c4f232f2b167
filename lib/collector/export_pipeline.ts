import type { OtlpSignal } from "../otlp/otlp_signal.ts";
import { countBatchItems, type ExportBatch } from "./export_batch.ts";
import type { RuntimeLog } from "../runtime_log/open_runtime_log.ts";
import { RuntimeLogUnavailableError } from "../runtime_log/runtime_log_unavailable_error.ts";
import type { BeaconEventCiRun } from "../events/beacon_event.ts";
import { stampCiRun } from "./stamp_ci_run.ts";

/** Turns one decoded Export request into the events to write (pure; see the harness adapters). */
export type ClassifyExport = (
  batch: ExportBatch,
  receivedAt: Date,
) => {
  events: object[];
  /** Records dropped on purpose (noise, or left out by the policy). */
  dropped: number;
  /** Records from services that are no harness Beacon knows (dropped, counted apart). */
  foreign?: number;
};

/** What became of one Export request. */
export type ExportOutcome =
  | {
    status: "ok";
    /** Events written (durably) to the runtime log. */
    written: number;
    /** Records dropped on purpose (noise, or spans/metrics the policy leaves out). */
    dropped: number;
    /** Records that could not be processed (reported as OTLP partial success). */
    rejected: number;
    message?: string;
  }
  | {
    /** The runtime log cannot take writes now (disk full, permissions): retry later. */
    status: "unavailable";
    message: string;
  };

/** Counters for `/healthz` and `endpoint status`. */
export interface ExportCounters {
  requests: Record<OtlpSignal, number>;
  eventsWritten: number;
  recordsDropped: number;
  /** Records, spans or metrics from services that are no known harness (dropped). */
  recordsFromOtherServices: number;
  recordsRejected: number;
  unavailable: number;
  /** Time of the last event written, ISO 8601, or null. */
  lastEventAt: string | null;
}

/**
 * The collector's middle: classify -> (content policy, inside classify) -> CI run stamp (a
 * `beacon ci` run's collector only) -> durable write.
 */
export interface ExportPipeline {
  export(batch: ExportBatch, receivedAt: Date): Promise<ExportOutcome>;
  counters(): ExportCounters;
}

/**
 * The stage between decoding and answering: classifies a request's records into Beacon events,
 * stamps them with the CI run when the collector records one (`ci`), and appends them to the
 * runtime log. It resolves only once the events are synced to disk, so
 * an acknowledged request is never lost; when the log cannot take writes it says so
 * (`unavailable`) and the transport answers with a retryable status.
 */
export function createExportPipeline(input: {
  classify: ClassifyExport;
  log: Pick<RuntimeLog, "append">;
  /**
   * The CI run this collector records (`collector run --ci-context`), stamped on every event
   * after classification; absent for an endpoint's collector, which then does no extra work.
   */
  ci?: BeaconEventCiRun;
  /** Called when classification fails (a bug): the records are rejected, not the request. */
  onClassifyError?: (error: unknown) => void;
}): ExportPipeline {
  const counters: ExportCounters = {
    requests: { logs: 0, traces: 0, metrics: 0 },
    eventsWritten: 0,
    recordsDropped: 0,
    recordsFromOtherServices: 0,
    recordsRejected: 0,
    unavailable: 0,
    lastEventAt: null,
  };
  return {
    async export(batch, receivedAt) {
      counters.requests[batch.signal]++;
      let classified: ReturnType<ClassifyExport>;
      try {
        classified = input.classify(batch, receivedAt);
      } catch (error) {
        input.onClassifyError?.(error);
        const rejected = countBatchItems(batch);
        counters.recordsRejected += rejected;
        return {
          status: "ok",
          written: 0,
          dropped: 0,
          rejected,
          message: "Beacon could not process these records; see the collector's error output",
        };
      }
      const events = input.ci && classified.events.length
        ? stampCiRun(classified.events, input.ci)
        : classified.events;
      if (events.length) {
        try {
          await input.log.append(events);
        } catch (error) {
          if (!(error instanceof RuntimeLogUnavailableError)) throw error;
          counters.unavailable++;
          return { status: "unavailable", message: error.message };
        }
        counters.eventsWritten += events.length;
        counters.lastEventAt = new Date().toISOString();
      }
      counters.recordsDropped += classified.dropped;
      counters.recordsFromOtherServices += classified.foreign ?? 0;
      return {
        status: "ok",
        written: events.length,
        dropped: classified.dropped + (classified.foreign ?? 0),
        rejected: 0,
      };
    },
    counters: () => structuredClone(counters),
  };
}
