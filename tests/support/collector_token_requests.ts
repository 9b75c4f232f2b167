/**
 * Requests that test who may write events: a Codex-shaped session start posted to a collector
 * with or without a token, and the `authorization` header Codex's config carries.
 */
import assert from "node:assert/strict";
import { sendLoopbackRequest } from "../../lib/endpoint/probe/send_loopback_request.ts";

/** One Codex-shaped session start as OTLP/JSON, written to the log when accepted. */
function sessionStartBody(sessionId: string): Uint8Array {
  const attribute = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return new TextEncoder().encode(JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [attribute("service.name", "codex_exec")] },
      scopeLogs: [{
        scope: { name: "codex_otel.log_only" },
        logRecords: [{
          observedTimeUnixNano: `${Date.now()}000000`,
          attributes: [
            attribute("event.name", "codex.conversation_starts"),
            attribute("event.timestamp", new Date().toISOString()),
            attribute("conversation.id", sessionId),
            attribute("originator", "codex_exec"),
          ],
        }],
      }],
    }],
  }));
}

/** Posts a session start to the collector on `port`; the answer's status (200, 401, 503 ...). */
export async function postSessionStart(
  port: number,
  sessionId: string,
  authorization?: string,
): Promise<number> {
  const sent = await sendLoopbackRequest(new URL(`http://127.0.0.1:${port}/v1/logs`), {
    method: "POST",
    body: sessionStartBody(sessionId),
    headers: {
      "content-type": "application/json",
      ...(authorization ? { authorization } : {}),
    },
    timeoutMs: 5000,
    maxBytes: 64 * 1024,
  });
  assert.ok(sent.ok, sent.ok ? "" : sent.message);
  return sent.status;
}

/** The `authorization` header Codex's config.toml sends with its logs. */
export function codexAuthorization(configText: string): string {
  const match = /authorization\s*=\s*"([^"]*)"/.exec(configText);
  assert.ok(match, `no authorization header in Codex's config:\n${configText}`);
  return match[1];
}
