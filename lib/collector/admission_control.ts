/** Options of {@link createAdmissionControl}. */
export interface AdmissionOptions {
  /** The most request-body bytes all requests in flight may hold at once. */
  maxBufferedBytes: number;
  /** The largest single body (a request that declares no length reserves this much). */
  maxRequestBytes: number;
  /** Resident memory past which new requests are refused until it falls again. */
  memoryLimitBytes: number;
  /** The process's resident memory now (default: `Deno.memoryUsage().rss`). */
  rss?: () => number;
  /** A clock in milliseconds (default: `performance.now`). */
  now?: () => number;
}

/** Why a request was not admitted. */
export type AdmissionRefusal = "memory" | "buffered bytes";

/** What {@link AdmissionControl.admit} decided. */
export type Admission =
  | { ok: true; bytes: number }
  | { ok: false; reason: AdmissionRefusal; message: string };

/** Counters for `/healthz`. */
export interface AdmissionStats {
  /** Body bytes reserved by requests in flight now. */
  bufferedBytes: number;
  /** Resident memory at the last sample, in bytes. */
  rssBytes: number;
  /** Requests refused (503) since start, by reason. */
  refused: { memory: number; bufferedBytes: number };
}

/** The collector's memory limiter: decides, before a body is read, whether to take a request. */
export interface AdmissionControl {
  /** Reserves room for a body of `declaredBytes` (unknown: the largest allowed), or refuses. */
  admit(declaredBytes: number | undefined): Admission;
  /** Gives back what {@link admit} reserved, once the request is over. */
  release(bytes: number): void;
  stats(): AdmissionStats;
}

/** How long a memory sample stays fresh: `Deno.memoryUsage()` costs about 20 µs. */
const SAMPLE_MS = 50;

/**
 * The collector's memory limiter, in the manner of the OpenTelemetry Collector's: past
 * `memoryLimitBytes` of resident memory, or when the bodies of the requests in flight would pass
 * `maxBufferedBytes`, new requests are refused with a retryable status (503 with `Retry-After`)
 * before their bodies are read, instead of the heap growing. So 250 clients that each start a
 * 15 MiB body and stall hold at most `maxBufferedBytes` between them, and an acknowledged
 * request is never at risk of the process running out of memory.
 *
 * @example
 * ```ts
 * import { createAdmissionControl } from "./admission_control.ts";
 * const admission = createAdmissionControl({
 *   maxBufferedBytes: 1000, maxRequestBytes: 800, memoryLimitBytes: 1e9, rss: () => 5e7,
 * });
 * const first = admission.admit(600); // { ok: true, bytes: 600 }
 * admission.admit(600).ok; // false: 1,200 bytes would be buffered
 * if (first.ok) admission.release(first.bytes);
 * ```
 */
export function createAdmissionControl(options: AdmissionOptions): AdmissionControl {
  const rss = options.rss ?? (() => Deno.memoryUsage().rss);
  const now = options.now ?? (() => performance.now());
  let buffered = 0;
  let sampledAt = -Infinity;
  let rssBytes = 0;
  const refused = { memory: 0, bufferedBytes: 0 };
  const sample = () => {
    const at = now();
    if (at - sampledAt >= SAMPLE_MS) {
      rssBytes = rss();
      sampledAt = at;
    }
    return rssBytes;
  };
  return {
    admit(declaredBytes) {
      if (sample() > options.memoryLimitBytes) {
        refused.memory++;
        return {
          ok: false,
          reason: "memory",
          message: `Collector is over its memory limit of ${mib(options.memoryLimitBytes)} MiB ` +
            "(collector.memory_limit_mib): retry later",
        };
      }
      const bytes = Math.min(declaredBytes ?? options.maxRequestBytes, options.maxRequestBytes);
      // One request is always let in, so that a limit below one body still makes progress.
      if (buffered > 0 && buffered + bytes > options.maxBufferedBytes) {
        refused.bufferedBytes++;
        return {
          ok: false,
          reason: "buffered bytes",
          message: `Collector is holding ${mib(buffered)} MiB of request bodies, its limit ` +
            `(collector.max_buffered_bytes): retry later`,
        };
      }
      buffered += bytes;
      return { ok: true, bytes };
    },
    release(bytes) {
      buffered = Math.max(0, buffered - bytes);
    },
    stats: () => ({ bufferedBytes: buffered, rssBytes, refused: { ...refused } }),
  };
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0);
}
