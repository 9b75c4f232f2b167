import { BEACON_TEST_EVENT_SERVICE } from "../harness/codex/is_codex_service.ts";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { StatusSchema } from "../otlp/gen/google/rpc/status_pb.ts";
import { ExportLogsServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { findEventInRuntimeLog } from "../runtime_log/read_runtime_log.ts";
import { sendLoopbackRequest } from "./probe/send_loopback_request.ts";
import type { System } from "../host/system.ts";

/** Why a test event did not make it, for people. */
export class TestEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestEventError";
  }
}

/** A successful test event: its session id and how long the round trip took. */
export interface TestEventResult {
  sessionId: string;
  milliseconds: number;
}

/** Which collector to send the test event to, and the log it should land in. */
export interface TestEventTarget {
  collectorUrl: string;
  token?: string;
  runtimeLogPath: string;
  /** How long to wait for the event in the log (and, for `verifyCollector`, for the collector). */
  timeoutMs?: number;
}

/**
 * Sends one synthetic Codex-shaped OTLP log record (a session start with session id
 * `beacon-test-event-<uuid>`) through the real collector path and waits until it appears in
 * the runtime log. Each failure names its cause: nothing listening, token rejected, the log
 * unwritable (the collector's own message), or acknowledged but written somewhere else. The
 * event's time is the System's clock; the log's size before sending comes through its `fs`.
 */
export async function sendTestEvent(
  system: Pick<System, "host" | "fs">,
  input: TestEventTarget,
): Promise<TestEventResult> {
  const started = performance.now();
  const sessionId = `beacon-test-event-${crypto.randomUUID()}`;
  const now = system.host.now();
  const attribute = (key: string, value: string) => ({
    key,
    value: { value: { case: "stringValue" as const, value } },
  });
  const request = create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{
      resource: { attributes: [attribute("service.name", BEACON_TEST_EVENT_SERVICE)] },
      scopeLogs: [{
        scope: { name: "codex_otel.log_only" },
        logRecords: [{
          observedTimeUnixNano: BigInt(now.getTime()) * 1_000_000n,
          severityNumber: 9,
          severityText: "INFO",
          attributes: [
            attribute("event.name", "codex.conversation_starts"),
            attribute("event.timestamp", now.toISOString()),
            attribute("conversation.id", sessionId),
            attribute("originator", "beacon_test_event"),
          ],
        }],
      }],
    }],
  });
  const before = await system.fs.lstat(input.runtimeLogPath).catch(() => undefined);
  const sent = await sendLoopbackRequest(new URL(`${input.collectorUrl}/v1/logs`), {
    method: "POST",
    body: toBinary(ExportLogsServiceRequestSchema, request),
    headers: {
      "content-type": "application/x-protobuf",
      ...(input.token ? { authorization: `Bearer ${input.token}` } : {}),
    },
    timeoutMs: input.timeoutMs ?? 5000,
    maxBytes: 64 * 1024,
  });
  if (!sent.ok) {
    throw new TestEventError(
      `Nothing answered at ${input.collectorUrl} (${sent.message}). Is the collector ` +
        "running? Check with `beacon endpoint status`; `beacon endpoint repair` starts it.",
    );
  }
  const response = sent;
  const body = sent.body;
  if (response.status === 401) {
    throw new TestEventError(
      `The collector at ${input.collectorUrl} rejected the token: the one sent (the policy's ` +
        "collector.token, or the endpoint's generated token) differs from the one the collector " +
        "runs with. Run `beacon endpoint repair`.",
    );
  }
  if (response.status === 503) {
    throw new TestEventError(
      `The collector cannot write its runtime log: ${statusMessage(body)}`,
    );
  }
  if (response.status !== 200) {
    throw new TestEventError(
      `The collector at ${input.collectorUrl} answered ${response.status}: ${statusMessage(body)}`,
    );
  }
  const deadline = Date.now() + (input.timeoutMs ?? 5000);
  while (Date.now() < deadline) {
    const found = await findEventInRuntimeLog(
      input.runtimeLogPath,
      (event: unknown) => (event as { session_id?: string })?.session_id === sessionId,
      { sinceBytes: before?.size ?? 0, sinceFileId: before?.fileId },
    ).catch(() => undefined);
    if (found) return { sessionId, milliseconds: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new TestEventError(
    `The collector acknowledged the test event but it is not in ${input.runtimeLogPath}: the ` +
      "collector writes somewhere else. Compare with the runtime_log path in " +
      "`beacon endpoint status`.",
  );
}

/** The message of a google.rpc.Status error body (protobuf, as the request was). */
function statusMessage(body: Uint8Array): string {
  try {
    return fromBinary(StatusSchema, body).message || "(no message)";
  } catch {
    return new TextDecoder().decode(body.subarray(0, 200)) || "(no message)";
  }
}
