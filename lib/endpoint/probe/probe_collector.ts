/**
 * Asks a running collector who it is (`GET /healthz`) and whether a token would be accepted,
 * for `beacon endpoint status` and `doctor`. Reads only: the token check sends an empty export,
 * which writes nothing to the runtime log (it counts as one logs request in the counters).
 *
 * Requests go through `node:http`, not `fetch`: Deno's `fetch` sends even loopback requests
 * through `HTTP_PROXY` when it is set, which on a corporate machine would report a running
 * collector as unreachable.
 *
 * @module
 */

import { sendLoopbackRequest as send, type SendResult } from "./send_loopback_request.ts";
import type { CollectorHealth } from "../../collector/collector_health.ts";

/** What {@link probeCollector} found. */
export interface CollectorProbe {
  /** Something answered HTTP at the address (a Beacon collector or not). */
  reachable: boolean;
  /** The collector's health document, when a Beacon collector answered. */
  health?: CollectorHealth;
  /** Why there is no `health`, for people (absent when `health` is present). */
  error?: string;
  /**
   * Whether the collector accepts the token: `ok` (accepted), `rejected` (401, or no token
   * given to a collector that requires one), `not-required` (the collector takes any request),
   * `unknown` (no Beacon collector answered, or the check itself failed), `skipped` (the caller
   * could not read the token, so did not check it: `checkToken: false`).
   */
  tokenCheck: "ok" | "rejected" | "not-required" | "unknown" | "skipped";
  /** Round trip of `GET /healthz` in milliseconds (to 0.1 ms); until the failure if none. */
  latencyMs: number;
}

/** Options of {@link probeCollector}. */
export interface ProbeCollectorOptions {
  /** The policy's `collector.token`, checked against the collector. */
  token?: string;
  /**
   * False when the token exists but could not be read (a system endpoint's, run without root):
   * the collector's health is still asked, the token check is `skipped`. Default true.
   */
  checkToken?: boolean;
  /** Budget for the whole probe (both requests), default {@link PROBE_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** Default budget of a probe: a collector on loopback answers in about a millisecond. */
export const PROBE_TIMEOUT_MS = 1000;

/** Largest `/healthz` answer read; a real one is well under 2 KiB. */
const MAX_HEALTH_BYTES = 256 * 1024;

/**
 * Probes the collector at `url` (`http://127.0.0.1:4318`, as from `collector.listen`). Never
 * throws: an unreachable, silent or foreign server is described in `error`.
 *
 * @example
 * ```ts
 * import { probeCollector } from "./probe_collector.ts";
 *
 * const probe = await probeCollector("http://127.0.0.1:4318", { token: "0123456789abcdef" });
 * // { reachable: true, health: { service: "beacon-collector", mode: "user", ... },
 * //   tokenCheck: "ok", latencyMs: 0.8 }
 * // or { reachable: false, error: "nothing is listening on 127.0.0.1:4318",
 * //      tokenCheck: "unknown", latencyMs: 0.3 }
 * ```
 */
export async function probeCollector(
  url: string,
  options: ProbeCollectorOptions = {},
): Promise<CollectorProbe> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let base: URL;
  try {
    base = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
  } catch {
    return unreachable(`"${url}" is not a collector URL (expected http://HOST:PORT)`, 0);
  }
  if (base.protocol !== "http:") {
    return unreachable(`"${url}" is not a collector URL: the collector speaks plain http://`, 0);
  }
  const address = base.host;

  const answer = await send(endpoint(base, "healthz"), {
    method: "GET",
    headers: { accept: "application/json" },
    timeoutMs,
    maxBytes: MAX_HEALTH_BYTES,
  });
  const latencyMs = elapsed();
  if (!answer.ok) return unreachable(describeFailure(answer, address, timeoutMs), latencyMs);

  const document = parseJson(answer.body);
  if (!isRecord(document) || document.service !== "beacon-collector") {
    const error = answer.status < 200 || answer.status > 299
      ? `${address} answered ${answer.status}, not a Beacon collector`
      : `${address} is reachable but not a Beacon collector: GET /healthz ` +
        (document === undefined ? "did not answer with JSON" : "answered another service's JSON");
    return { reachable: true, error, tokenCheck: "unknown", latencyMs };
  }
  const missing = missingHealthField(document);
  if (missing) {
    return {
      reachable: true,
      error: `${address} is a Beacon collector, but its health answer has no valid ${missing}: ` +
        "is it a different version of Beacon?",
      tokenCheck: "unknown",
      latencyMs,
    };
  }
  const health = document as unknown as CollectorHealth;
  const remaining = Math.max(timeoutMs - (performance.now() - started), 1);
  const tokenCheck = !health.token_required
    ? "not-required"
    : options.checkToken === false
    ? "skipped"
    : await checkToken(base, options.token, remaining);
  return { reachable: true, health, tokenCheck, latencyMs };
}

function unreachable(error: string, latencyMs: number): CollectorProbe {
  return { reachable: false, error, tokenCheck: "unknown", latencyMs };
}

/** An empty OTLP/HTTP protobuf logs export (zero bytes is a valid empty request). */
async function checkToken(
  base: URL,
  token: string | undefined,
  timeoutMs: number,
): Promise<CollectorProbe["tokenCheck"]> {
  const headers: Record<string, string> = { "content-type": "application/x-protobuf" };
  if (token) headers.authorization = `Bearer ${token}`;
  const answer = await send(endpoint(base, "v1/logs"), {
    method: "POST",
    headers,
    timeoutMs,
    maxBytes: 64 * 1024,
  });
  if (!answer.ok) return "unknown";
  if (answer.status === 200) return "ok";
  if (answer.status === 401) return "rejected";
  return "unknown";
}

function endpoint(base: URL, path: string): URL {
  const url = new URL(base);
  url.pathname = `${base.pathname.replace(/\/+$/, "")}/${path}`;
  url.search = "";
  url.hash = "";
  return url;
}

function describeFailure(
  failure: Extract<SendResult, { ok: false }>,
  address: string,
  timeoutMs: number,
): string {
  switch (failure.failure) {
    case "refused":
      return `nothing is listening on ${address}`;
    case "timeout":
      return `timed out after ${timeoutMs} ms connecting to ${address}`;
    case "silent":
      return `timed out after ${timeoutMs} ms: something on ${address} accepted the connection ` +
        "but did not answer";
    default:
      return `cannot reach ${address}: ${failure.message}`;
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first field `status` and friends rely on that is missing or mistyped, if any. */
function missingHealthField(document: Record<string, unknown>): string | undefined {
  if (document.status !== "ok" && document.status !== "degraded") return "status";
  if (document.mode !== "user" && document.mode !== "system") return "mode";
  if (typeof document.token_required !== "boolean") return "token_required";
  const log = document.runtime_log;
  if (!isRecord(log) || typeof log.path !== "string") return "runtime_log.path";
  if (!isRecord(document.listen) || typeof document.listen.http !== "string") return "listen.http";
  return undefined;
}
