import type { Policy } from "../policy/policy_schema.ts";

/** What classifying a harness's telemetry needs besides the records: no clock, no I/O. */
export interface ClassifyContext {
  /** Decides which content is kept and whether spans and metrics are recorded. */
  policy: Policy;
  /** When the collector received the request: the time of records that carry none. */
  receivedAt: Date;
}
