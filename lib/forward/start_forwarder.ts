/**
 * The delivery loop: each destination reads the runtime log from its durable cursor, sends
 * batches as OTLP logs, and moves the cursor only once the gateway acknowledged them.
 *
 * @module
 */
import { hashContent } from "../content/hash_content.ts";
import type { Destination, Policy } from "../policy/policy_schema.ts";
import { archivePath } from "../runtime_log/list_runtime_log_archives.ts";
import * as grpc from "@grpc/grpc-js";
import {
  backoffDelay,
  grpcOutcomeOf,
  retryAfterMs,
  type SendOutcome,
  sendOutcomeOf,
} from "./backoff_delay.ts";
import { batchWaitMs } from "./batch_wait_ms.ts";
import { encodeOtlpLogs, type ForwardResource, type OtlpHttpProtocol } from "./encode_otlp_logs.ts";
import {
  type ForwardCursor,
  forwardCursorPath,
  readForwardCursor,
  writeForwardCursor,
} from "./forward_cursor.ts";
import { listLogFiles, type LogFile, readFileRange } from "./list_log_files.ts";
import {
  logsUrlOf,
  REAL_SECRET_SOURCES,
  resolveDestinationHeaders,
  resolveDestinationTls,
  type SecretSources,
} from "./resolve_destination_headers.ts";
import { restrictEventContent } from "./restrict_event_content.ts";
import { createOtlpGrpcSender, type OtlpGrpcSender } from "./send_otlp_grpc.ts";
import { sendOtlpLogs } from "./send_otlp_logs.ts";
import { countLines, takeCompleteLines } from "./take_complete_lines.ts";

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  /** The live runtime log (archives beside it). */
  logPath: string;
  destinations: readonly Destination[];
  forwarding: Policy["forwarding"];
  /** runtime_log.archives: what rotation keeps when no destination lags. */
  archives: number;
  resource: ForwardResource;
  /** Mode of the cursor files (0600 user, 0640 system). */
  fileMode?: number;
  /** How often an idle destination looks for new events, ms (default 200). */
  pollMs?: number;
  now?: () => Date;
  random?: () => number;
  secrets?: SecretSources;
  /** Waits before a retry (tests record the delays asked for); resolves early on `signal`. */
  retryWait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** One line for people (stderr): failures, recoveries, refused batches, dropped data. */
  onLog?: (line: string) => void;
}

/** One destination's state, for `/healthz` and `endpoint status`. */
export interface DestinationStatus {
  name: string;
  endpoint: string;
  protocol: string;
  /** `caught_up`, `delivering`, `failing` (the last attempt failed) or `stopped`. */
  state: "caught_up" | "delivering" | "failing" | "stopped";
  /** Events in the log the gateway has not acknowledged yet. */
  lag_events: number;
  lag_bytes: number;
  /** Age of the oldest unacknowledged event, seconds (0 when caught up). */
  lag_seconds: number;
  last_success_at: string | null;
  last_error: { at: string; message: string } | null;
  /** Since when every attempt failed, or null. */
  failing_since: string | null;
  delivered: number;
  rejected: number;
  partially_rejected: number;
  dropped: number;
  retries: number;
}

/** A running (or ready) forwarder. */
export interface Forwarder {
  /**
   * For `openRuntimeLog({ retention })`: how many archives rotation keeps, so that no archive a
   * destination still needs is deleted, up to `forwarding.max_undelivered_archives` more than
   * `runtime_log.archives`; the events past that are counted as dropped.
   */
  retention(existing: readonly number[], archives: number): Promise<number>;
  /** Starts the loops. `durableBytes` bounds reads of the live file to synced bytes. */
  start(durableBytes?: () => number): void;
  status(): DestinationStatus[];
  /** Stops the loops (an in-flight batch is abandoned, not acknowledged: sent again later). */
  stop(): Promise<void>;
}

/**
 * Loads (or creates, at the start of the oldest file) each destination's cursor. Call before
 * the runtime log is opened, so its rotation can ask {@link Forwarder.retention}.
 */
export async function createForwarder(options: ForwarderOptions): Promise<Forwarder> {
  const workers: DestinationWorker[] = [];
  for (const destination of options.destinations) {
    const path = forwardCursorPath(options.logPath, destination.name);
    let cursor = await readForwardCursor(path);
    if (!cursor) {
      const files = await listLogFiles(options.logPath);
      cursor = startOf(files[0], emptyCounters());
      await writeForwardCursor(path, cursor, options.fileMode);
    }
    workers.push(new DestinationWorker(destination, options, path, cursor));
  }
  return {
    retention: (existing, archives) => retention(workers, options, existing, archives),
    start(durableBytes) {
      for (const worker of workers) worker.start(durableBytes);
    },
    status: () => workers.map((worker) => worker.status()),
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
    },
  };
}

type Counters = Pick<ForwardCursor, "delivered" | "rejected" | "partially_rejected" | "dropped">;

function emptyCounters(): Counters {
  return { delivered: 0, rejected: 0, partially_rejected: 0, dropped: 0 };
}

function startOf(file: LogFile | undefined, counters: Counters): ForwardCursor {
  const { delivered, rejected, partially_rejected, dropped } = counters;
  return {
    dev: file?.dev ?? 0,
    ino: file?.ino ?? 0,
    head: "",
    offset: 0,
    delivered,
    rejected,
    partially_rejected,
    dropped,
  };
}

/** SHA-256 of the file's first line (at most its first 4 KiB): see `ForwardCursor.head`. */
async function headOf(path: string): Promise<string> {
  const start = await readFileRange(path, 0, 4096);
  const end = start.indexOf(0x0a);
  return hashContent(new TextDecoder().decode(start.subarray(0, end < 0 ? start.length : end + 1)));
}

async function retention(
  workers: readonly DestinationWorker[],
  options: ForwarderOptions,
  existing: readonly number[],
  archives: number,
): Promise<number> {
  if (workers.length === 0) return archives;
  const sorted = [...new Set(existing)].sort((a, b) => a - b);
  // rank -1: the live file; rank r: sorted[r]. Keeping the file of rank r needs r + 2 archives.
  const identities = new Map<string, number>();
  const stats = await Promise.all(
    [options.logPath, ...sorted.map((n) => archivePath(options.logPath, n))].map((path) =>
      Deno.stat(path).catch(() => null)
    ),
  );
  stats.forEach((info, i) => {
    if (info) identities.set(`${info.dev}:${info.ino}`, i - 1);
  });
  const rankOf = (worker: DestinationWorker) =>
    identities.get(`${worker.cursor.dev}:${worker.cursor.ino}`);
  let needed = archives;
  for (const worker of workers) {
    const rank = rankOf(worker);
    if (rank !== undefined) needed = Math.max(needed, rank + 2);
  }
  const keep = Math.max(
    archives,
    Math.min(needed, archives + options.forwarding.max_undelivered_archives),
  );
  // Files deleted by this rotation: ranks keep - 1 and up (the live file too when keep is 0).
  const firstDeleted = keep - 1;
  const lineCounts = new Map<number, number>();
  const linesIn = async (rank: number, from: number) => {
    const path = rank < 0 ? options.logPath : archivePath(options.logPath, sorted[rank]);
    const size = stats[rank + 1]?.size ?? 0;
    if (from === 0 && lineCounts.has(rank)) return lineCounts.get(rank)!;
    const count = countLines(await readFileRange(path, from, Math.max(0, size - from)));
    if (from === 0) lineCounts.set(rank, count);
    return count;
  };
  for (const worker of workers) {
    const rank = rankOf(worker);
    if (rank === undefined || rank < firstDeleted) continue;
    let dropped = await linesIn(rank, worker.cursor.offset);
    for (let r = Math.max(firstDeleted, 0); r < rank; r++) dropped += await linesIn(r, 0);
    // The oldest file that stays: it becomes archive `keep` after the renames.
    const survivor = firstDeleted - 1;
    const info = survivor >= -1 && firstDeleted >= 0 ? stats[survivor + 1] : null;
    await worker.jumpTo(
      info ? { dev: info.dev, ino: info.ino ?? 0 } : null,
      dropped,
    );
  }
  return keep;
}

/** One attempt's answer, whichever the protocol. */
interface Answer {
  outcome: SendOutcome;
  /** `HTTP 503`, `gRPC UNAVAILABLE`. */
  status: string;
  message: string;
  /** Records a partial success rejected. */
  rejected: number;
  /** How long the gateway asked to wait (Retry-After, RetryInfo), capped; null: backoff. */
  retryAfterMs: number | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

class DestinationWorker {
  cursor: ForwardCursor;
  #generation = 0;
  #writes: Promise<void> = Promise.resolve();
  #verifiedHead = "";
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #durableBytes: (() => number) | undefined;
  readonly #now: () => Date;
  #state: DestinationStatus["state"] = "delivering";
  #lastSuccess: Date | null = null;
  #lastError: { at: Date; message: string } | null = null;
  #failingSince: Date | null = null;
  #retries = 0;
  #lag = { events: 0, bytes: 0, seconds: 0, at: 0 };
  readonly #archiveLines = new Map<string, number>();
  #grpc: { key: string; sender: OtlpGrpcSender } | null = null;

  constructor(
    readonly destination: Destination,
    readonly options: ForwarderOptions,
    readonly path: string,
    cursor: ForwardCursor,
  ) {
    this.cursor = cursor;
    this.#now = options.now ?? (() => new Date());
  }

  start(durableBytes?: () => number): void {
    this.#durableBytes = durableBytes;
    this.#loop ??= this.#run().catch((error) => {
      this.#log(`stopped after an unexpected error (a bug): ${(error as Error).stack ?? error}`);
      this.#state = "stopped";
    });
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    await this.#writes;
    this.#grpc?.sender.close();
    this.#grpc = null;
    this.#state = "stopped";
  }

  status(): DestinationStatus {
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    return {
      name: this.destination.name,
      endpoint: this.destination.protocol === "grpc"
        ? this.destination.endpoint
        : logsUrlOf(this.destination.endpoint),
      protocol: this.destination.protocol,
      state: this.#state,
      lag_events: this.#lag.events,
      lag_bytes: this.#lag.bytes,
      lag_seconds: this.#lag.seconds,
      last_success_at: iso(this.#lastSuccess),
      last_error: this.#lastError
        ? { at: this.#lastError.at.toISOString(), message: this.#lastError.message }
        : null,
      failing_since: iso(this.#failingSince),
      delivered: this.cursor.delivered,
      rejected: this.cursor.rejected,
      partially_rejected: this.cursor.partially_rejected,
      dropped: this.cursor.dropped,
      retries: this.#retries,
    };
  }

  /** Rotation deleted this destination's file: go on at `file` (offset 0), count the loss. */
  async jumpTo(file: { dev: number; ino: number } | null, dropped: number): Promise<void> {
    this.#generation++;
    this.cursor = {
      ...this.cursor,
      dev: file?.dev ?? 0,
      ino: file?.ino ?? 0,
      head: "",
      offset: 0,
      dropped: this.cursor.dropped + dropped,
    };
    this.#verifiedHead = "";
    this.#log(
      `rotation deleted ${dropped} undelivered event(s) (more than forwarding.max_undelivered_archives ` +
        `= ${this.options.forwarding.max_undelivered_archives} archives behind)`,
    );
    await this.#save();
  }

  #log(message: string): void {
    this.options.onLog?.(`forward to ${this.destination.name}: ${message}`);
  }

  #save(): Promise<void> {
    const snapshot = { ...this.cursor };
    this.#writes = this.#writes.then(() =>
      writeForwardCursor(this.path, snapshot, this.options.fileMode)
    ).catch((error) => this.#log(`cannot save the cursor: ${(error as Error).message}`));
    return this.#writes;
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    const poll = this.options.pollMs ?? 200;
    let waitingSince: number | null = null;
    while (!signal.aborted) {
      const files = await listLogFiles(this.options.logPath);
      const index = await this.#locate(files);
      if (index < 0) {
        await sleep(poll, signal);
        continue;
      }
      const file = files[index];
      const durable = file.live && this.#durableBytes ? this.#durableBytes() : Infinity;
      const limit = Math.min(file.size, durable);
      if (this.cursor.offset > file.size) {
        this.#log(
          `${file.path} is shorter than the cursor (truncated outside Beacon?): going on from its end`,
        );
        this.cursor = { ...this.cursor, offset: file.size };
        await this.#save();
        continue;
      }
      if (this.cursor.offset >= limit) {
        if (!file.live && index + 1 < files.length) {
          this.#generation++;
          this.cursor = startOf(files[index + 1], this.cursor);
          this.#verifiedHead = "";
          await this.#save();
          continue;
        }
        await this.#refreshLag(files, false);
        if (this.#state !== "failing") this.#state = "caught_up";
        waitingSince = null;
        await sleep(poll, signal);
        continue;
      }
      const { batch_max_events: maxEvents, batch_max_bytes: maxBytes } = this.destination;
      let chunk = await readFileRange(
        file.path,
        this.cursor.offset,
        Math.min(limit - this.cursor.offset, maxBytes),
      );
      let taken = takeCompleteLines(chunk, maxEvents, maxBytes);
      if (taken.bytes === 0 && chunk.length < limit - this.cursor.offset) {
        // One line longer than batch_max_bytes: send it alone.
        chunk = await readFileRange(file.path, this.cursor.offset, limit - this.cursor.offset);
        taken = takeCompleteLines(chunk, 1, Infinity);
      }
      if (taken.bytes === 0) {
        await sleep(poll, signal); // a line still being written
        continue;
      }
      const now = Date.now();
      const wait = batchWaitMs({
        events: taken.lines.length,
        maxEvents,
        moreInLog: limit - this.cursor.offset > chunk.length,
        live: file.live,
        delayMs: this.destination.batch_delay_ms,
        waitingSince,
        now,
      });
      if (wait > 0) {
        waitingSince ??= now;
        await sleep(Math.min(wait, poll), signal);
        continue;
      }
      waitingSince = null;
      this.#state = this.#state === "failing" ? "failing" : "delivering";
      await this.#deliver(file, taken.lines, taken.bytes, signal);
      await this.#refreshLag(await listLogFiles(this.options.logPath).catch(() => files), false);
    }
  }

  /** The index of the cursor's file in `files`; moves a lost cursor to the oldest file. */
  async #locate(files: LogFile[]): Promise<number> {
    if (files.length === 0) return -1;
    const { dev, ino, head, offset } = this.cursor;
    const index = files.findIndex((file) => file.dev === dev && file.ino === ino);
    if (index >= 0) {
      if (head === "" || this.#verifiedHead === `${ino}:${head}`) return index;
      if ((await headOf(files[index].path).catch(() => "")) === head) {
        this.#verifiedHead = `${ino}:${head}`;
        return index;
      }
    }
    if (ino === 0 && offset === 0) {
      this.cursor = startOf(files[0], this.cursor);
    } else {
      this.#log(
        "the log file its cursor was in is gone (deleted outside Beacon's rotation?): " +
          "going on from the oldest file; events in between are lost",
      );
      this.cursor = startOf(files[0], this.cursor);
    }
    this.#generation++;
    await this.#save();
    return 0;
  }

  async #deliver(
    file: LogFile,
    lines: string[],
    bytes: number,
    signal: AbortSignal,
  ): Promise<void> {
    const generation = this.#generation;
    const events: Record<string, unknown>[] = [];
    for (const line of lines) {
      try {
        const event = JSON.parse(line);
        if (event && typeof event === "object") {
          events.push(restrictEventContent(event, this.destination.content));
        }
      } catch {
        // not an event (a fragment someone wrote into the log): nothing to forward
      }
    }
    let outcome: "delivered" | "rejected" | "stopped" = "stopped";
    let rejectedRecords = 0;
    let attempt = 0;
    while (!signal.aborted && events.length > 0) {
      let retryAfter: number | null = null;
      try {
        const response = await this.#send(events, signal);
        const result = response.outcome;
        if (result === "delivered") {
          outcome = "delivered";
          rejectedRecords = response.rejected;
          if (response.rejected > 0) {
            this.#lastError = {
              at: this.#now(),
              message:
                `the gateway accepted the batch but rejected ${response.rejected} of ${events.length} ` +
                `record(s): ${response.message || "no reason given"}`,
            };
            this.#log(this.#lastError.message);
          }
          break;
        }
        const reason = `${response.status}${response.message ? `: ${response.message}` : ""}`;
        if (result === "rejected") {
          outcome = "rejected";
          this.#lastError = {
            at: this.#now(),
            message:
              `the gateway refused a batch of ${events.length} event(s) for good (${reason}); ` +
              "it is skipped, not retried",
          };
          this.#log(this.#lastError.message);
          break;
        }
        retryAfter = response.retryAfterMs;
        this.#failed(reason);
      } catch (error) {
        if (signal.aborted) break;
        this.#failed((error as Error).message);
      }
      attempt++;
      this.#retries++;
      await this.#refreshLag(await listLogFiles(this.options.logPath).catch(() => []), false);
      await (this.options.retryWait ?? sleep)(
        retryAfter ??
          backoffDelay(
            attempt,
            { initialMs: this.destination.retry_initial_ms, maxMs: this.destination.retry_max_ms },
            this.options.random ?? Math.random,
          ),
        signal,
      );
    }
    if (outcome === "stopped" && events.length > 0) return;
    if (generation !== this.#generation) return; // rotation moved the cursor meanwhile
    const wasFailing = this.#failingSince !== null;
    this.cursor = {
      ...this.cursor,
      head: this.cursor.head || (await headOf(file.path)),
      offset: this.cursor.offset + bytes,
      delivered: this.cursor.delivered +
        (outcome === "delivered" ? events.length - rejectedRecords : 0),
      rejected: this.cursor.rejected + (outcome === "rejected" ? events.length : 0),
      partially_rejected: this.cursor.partially_rejected + rejectedRecords,
    };
    this.#verifiedHead = `${this.cursor.ino}:${this.cursor.head}`;
    await this.#save();
    if (outcome === "delivered") {
      this.#lastSuccess = this.#now();
      this.#failingSince = null;
      this.#state = "delivering";
      if (wasFailing) this.#log("delivering again");
    }
  }

  /** One attempt at `events`, over OTLP/HTTP or OTLP/gRPC; a transport failure throws. */
  async #send(events: Record<string, unknown>[], signal: AbortSignal): Promise<Answer> {
    const secrets = this.options.secrets ?? REAL_SECRET_SOURCES;
    const headers = await resolveDestinationHeaders(this.destination, secrets);
    const tls = await resolveDestinationTls(this.destination, secrets);
    const timeoutMs = this.destination.timeout_seconds * 1000;
    const maxMs = this.destination.retry_max_ms;
    if (this.destination.protocol === "grpc") {
      const { body } = encodeOtlpLogs(events, this.options.resource, "http/protobuf", this.#now());
      const key = JSON.stringify(tls);
      if (this.#grpc?.key !== key) {
        // New TLS material (a renewed certificate): a new channel.
        this.#grpc?.sender.close();
        this.#grpc = { key, sender: createOtlpGrpcSender(this.destination.endpoint, tls) };
      }
      const answer = await this.#grpc.sender.send({ body, headers, timeoutMs, signal });
      const outcome = grpcOutcomeOf(answer.code, answer.retryDelayMs !== null);
      return {
        outcome,
        status: `gRPC ${grpc.status[answer.code] ?? answer.code}`,
        message: answer.message,
        rejected: answer.rejected,
        retryAfterMs: outcome === "retry" && answer.retryDelayMs !== null
          ? Math.min(answer.retryDelayMs, maxMs)
          : null,
      };
    }
    const { body, contentType } = encodeOtlpLogs(
      events,
      this.options.resource,
      this.destination.protocol as OtlpHttpProtocol,
      this.#now(),
    );
    const response = await sendOtlpLogs({
      url: logsUrlOf(this.destination.endpoint),
      body,
      contentType,
      headers,
      tls,
      timeoutMs,
      signal,
    });
    return {
      outcome: sendOutcomeOf(response.status),
      status: `HTTP ${response.status}`,
      message: response.message,
      rejected: response.rejected,
      retryAfterMs: response.status === 429 || response.status === 503
        ? retryAfterMs(response.retryAfter, this.#now(), maxMs)
        : null,
    };
  }

  #failed(reason: string): void {
    const now = this.#now();
    if (this.#failingSince === null) {
      this.#failingSince = now;
      this.#log(`cannot deliver (${reason}); retrying with backoff, nothing is lost meanwhile`);
    }
    this.#lastError = { at: now, message: reason };
    this.#state = "failing";
  }

  /** Events, bytes and age still to deliver; at most every 2 s unless `force`. */
  async #refreshLag(files: LogFile[], force: boolean): Promise<void> {
    if (!force && Date.now() - this.#lag.at < 2000) return;
    try {
      const at = files.findIndex((file) =>
        file.dev === this.cursor.dev && file.ino === this.cursor.ino
      );
      let events = 0;
      let bytes = 0;
      for (let i = Math.max(at, 0); i < files.length; i++) {
        const file = files[i];
        const from = i === at ? this.cursor.offset : 0;
        bytes += Math.max(0, file.size - from);
        const key = `${file.dev}:${file.ino}`;
        if (!file.live && from === 0 && this.#archiveLines.has(key)) {
          events += this.#archiveLines.get(key)!;
          continue;
        }
        const count = countLines(
          await readFileRange(file.path, from, Math.max(0, file.size - from)),
        );
        if (!file.live && from === 0) this.#archiveLines.set(key, count);
        events += count;
      }
      let seconds = 0;
      if (events > 0 && at >= 0) {
        const first = takeCompleteLines(
          await readFileRange(files[at].path, this.cursor.offset, 64 * 1024),
          1,
          Infinity,
        );
        const time = first.lines[0] ? Date.parse(JSON.parse(first.lines[0]).time) : NaN;
        if (Number.isFinite(time)) {
          seconds = Math.max(0, Math.round((this.#now().getTime() - time) / 1000));
        }
      }
      this.#lag = { events, bytes, seconds, at: Date.now() };
    } catch {
      // a file rotated away while counting: the next refresh counts again
    }
  }
}
