/**
 * Turns a stream of batch outcomes into incidents: reported once when writing starts failing,
 * once when it works again, never per failed append.
 *
 * @module
 */

import type { RuntimeLogUnavailableError } from "./runtime_log_unavailable_error.ts";

/** Whether the log currently accepts writes; see {@link RuntimeLogHealthTracker.health}. */
export type RuntimeLogHealth =
  | { status: "ok" }
  | {
    status: "unavailable";
    /** The most recent failure. */
    error: RuntimeLogUnavailableError;
    /** The failure that began the incident. */
    firstError: RuntimeLogUnavailableError;
    /** When the incident began (the first failed batch). */
    since: Date;
    /** Appends rejected during this incident. */
    failedAppends: number;
  };

/** What `onRecovered` listeners get when a batch succeeds after an incident. */
export interface RuntimeLogRecovery {
  /** The failure that began the incident. */
  error: RuntimeLogUnavailableError;
  /** When the incident began. */
  since: Date;
  /** When the first batch after it became durable. */
  until: Date;
  /** Appends rejected during the incident. */
  failedAppends: number;
}

type Unavailable = Extract<RuntimeLogHealth, { status: "unavailable" }>;

/**
 * Health state and listeners of one runtime log. An incident begins with the first failed batch
 * after a success (or after open) and ends with the next successful one; listeners hear about
 * each edge exactly once, so a full disk under a flood of requests is one log message, not one
 * per request. Listeners run synchronously; an exception they throw is swallowed so it cannot
 * stop the writer.
 *
 * @example
 * ```ts
 * import { RuntimeLogHealthTracker } from "./runtime_log_health_tracker.ts";
 * import { RuntimeLogUnavailableError } from "./runtime_log_unavailable_error.ts";
 *
 * const tracker = new RuntimeLogHealthTracker(() => new Date());
 * tracker.onIncident((error) => console.error(error.message));
 * const error = new RuntimeLogUnavailableError({ path: "/tmp/r.jsonl", operation: "write", code: "ENOSPC" });
 * tracker.failed(error, 3); // prints once
 * tracker.failed(error, 2); // silent; health().failedAppends === 5
 * tracker.succeeded(); // onRecovered listeners run; health() is ok again
 * ```
 */
export class RuntimeLogHealthTracker {
  readonly #now: () => Date;
  #incident: Unavailable | null = null;
  readonly #incidentListeners = new Set<(error: RuntimeLogUnavailableError) => void>();
  readonly #recoveredListeners = new Set<(recovery: RuntimeLogRecovery) => void>();

  /** `now` stamps incident and recovery times. */
  constructor(now: () => Date) {
    this.#now = now;
  }

  /** `ok`, or `unavailable` with the current incident. A snapshot. */
  health(): RuntimeLogHealth {
    return this.#incident ? { ...this.#incident } : { status: "ok" };
  }

  /** Records `appends` rejected with `error`; begins an incident (and reports it) if none is on. */
  failed(error: RuntimeLogUnavailableError, appends: number): void {
    if (this.#incident) {
      this.#incident.error = error;
      this.#incident.failedAppends += appends;
      return;
    }
    this.#incident = {
      status: "unavailable",
      error,
      firstError: error,
      since: this.#now(),
      failedAppends: appends,
    };
    emit(this.#incidentListeners, error);
  }

  /** Records a durable batch; ends the incident (and reports the recovery) if one is on. */
  succeeded(): void {
    if (!this.#incident) return;
    const { firstError, since, failedAppends } = this.#incident;
    this.#incident = null;
    emit(this.#recoveredListeners, { error: firstError, since, until: this.#now(), failedAppends });
  }

  /** Calls `listener` when an incident begins. Returns an unsubscribe function. */
  onIncident(listener: (error: RuntimeLogUnavailableError) => void): () => void {
    this.#incidentListeners.add(listener);
    return () => this.#incidentListeners.delete(listener);
  }

  /** Calls `listener` when an incident ends. Returns an unsubscribe function. */
  onRecovered(listener: (recovery: RuntimeLogRecovery) => void): () => void {
    this.#recoveredListeners.add(listener);
    return () => this.#recoveredListeners.delete(listener);
  }
}

function emit<T>(listeners: Set<(value: T) => void>, value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch {
      // A listener's bug must not stop the writer or leave appends unsettled.
    }
  }
}
