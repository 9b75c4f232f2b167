/**
 * Batching by time: whether a batch read from the runtime log goes out now or waits for more.
 *
 * @module
 */

/** A batch just cut from the log, and its destination's limits. */
export interface PendingBatch {
  /** Events in the batch. */
  events: number;
  /** `batch_max_events`. */
  maxEvents: number;
  /**
   * The log already holds more than the batch took (it was cut by `batch_max_bytes`): waiting
   * cannot make it bigger.
   */
  moreInLog: boolean;
  /** The batch comes from the live file (an archive is complete: nothing more will come). */
  live: boolean;
  /** `batch_delay_ms`. */
  delayMs: number;
  /** When the destination first saw this batch not full (ms since the epoch), or null. */
  waitingSince: number | null;
  /** Now, ms since the epoch. */
  now: number;
}

/**
 * How long to wait before sending `batch`, ms: 0 to send it now. A batch goes out at once when
 * it is full (`batch_max_events`, or cut by `batch_max_bytes`), when it comes from an archive,
 * or when `batch_delay_ms` has passed since it was first seen; otherwise it waits at most the
 * rest of that delay, for more events to join it. Pure.
 *
 * @example
 * ```ts
 * const batch = { events: 3, maxEvents: 1000, moreInLog: false, live: true, delayMs: 1000 };
 * batchWaitMs({ ...batch, waitingSince: 5_000, now: 5_200 }); // 800
 * batchWaitMs({ ...batch, waitingSince: 5_000, now: 6_000 }); // 0
 * ```
 */
export function batchWaitMs(batch: PendingBatch): number {
  const full = batch.events >= batch.maxEvents || batch.moreInLog;
  if (full || !batch.live || batch.delayMs <= 0) return 0;
  const since = batch.waitingSince ?? batch.now;
  return Math.max(0, Math.min(batch.delayMs, since + batch.delayMs - batch.now));
}
