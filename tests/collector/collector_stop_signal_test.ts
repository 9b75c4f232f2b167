/**
 * `beacon collector run` (the single-file build) stopped by SIGTERM or SIGINT while requests are
 * still arriving: requests the collector had taken in (half a body sent, or a whole body being
 * decoded and written) are finished and acknowledged, a client that connects afterwards gets no
 * acknowledgement, every acknowledged record is in the log exactly once, and the exit code is 0.
 *
 * The order is forced, not timed: `Expect: 100-continue` proves the collector has taken a request
 * in before the signal is sent, and the rest of a half-sent body goes out only after the
 * collector has printed that it is finishing in-flight requests.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startCollectorProcess } from "../support/collector_process.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { makeTempHome } from "../support/beacon_bundle.ts";
import { openRawHttpRequest, type RawHttpOutcome } from "../support/raw_http_request.ts";
import { parseBeaconEvents } from "../support/beacon_event_schema.ts";

async function sessionStarts(logPath: string): Promise<string[]> {
  const text = await Deno.readTextFile(logPath).catch(() => "");
  return parseBeaconEvents(text, logPath)
    .filter((event) => event.kind === "session_start").map((event) => event.session_id);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test(`${signal} mid-body and mid-write: taken-in requests are finished, exit 0`, async () => {
    await using tmp = await makeTempHome();
    const logPath = join(tmp.home, "logs", "runtime.jsonl");
    const policyPath = join(tmp.home, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n[runtime_log]\npath = "${logPath}"\n`,
    );
    await using collector = await startCollectorProcess({ policyPath, home: tmp.home });
    const open = (session: string, records = 3) => {
      const body = codexLogsBody(session, records);
      return openRawHttpRequest({
        port: collector.port,
        path: "/v1/logs",
        contentType: "application/x-protobuf",
        contentLength: body.length,
        awaitContinue: true,
      }).then((request) => ({ session, body, request }));
    };

    // Taken in, half of the body sent: the collector must wait for the rest.
    const midBody = await Promise.all([0, 1, 2].map((i) => open(`mid-body-${i}`)));
    for (const { body, request } of midBody) await request.send(body.subarray(0, body.length >> 1));
    // Taken in, the whole body sent (large batches, so decoding and writing take a while):
    // answered before or after the signal, but answered.
    const midWrite = await Promise.all([0, 1, 2].map((i) => open(`mid-write-${i}`, 2_000)));
    await Promise.all(midWrite.map(({ body, request }) => request.send(body)));
    // Fired and not waited for: answered with 200 (then in the log) or not at all.
    const burst = Array.from({ length: 20 }, async (_, i): Promise<[string, RawHttpOutcome]> => {
      const session = `burst-${i}`;
      try {
        const response = await fetch(`${collector.url}/v1/logs`, {
          method: "POST",
          body: new Uint8Array(codexLogsBody(session)),
          headers: { "content-type": "application/x-protobuf" },
        });
        const body = new Uint8Array(await response.arrayBuffer());
        return [session, { kind: "response", status: response.status, headers: {}, body }];
      } catch (error) {
        return [session, { kind: "no-response", error: (error as Error).message }];
      }
    });

    collector.child.kill(signal);
    await collector.waitForOutput(new RegExp(`${signal}: finishing in-flight requests`));

    // Stopped accepting: a request that starts now is not acknowledged.
    let late: RawHttpOutcome;
    try {
      const body = codexLogsBody("late");
      const request = await openRawHttpRequest({
        port: collector.port,
        path: "/v1/logs",
        contentType: "application/x-protobuf",
        contentLength: body.length,
        awaitContinue: false,
      });
      await request.send(body);
      late = await request.outcome();
      request.close();
    } catch (error) {
      late = { kind: "no-response", error: (error as Error).message };
    }
    assert.equal(late.kind, "no-response", "a request after the signal is refused");

    for (const { body, request } of midBody) await request.send(body.subarray(body.length >> 1));
    const outcomes: [string, RawHttpOutcome][] = [];
    for (const { session, request } of [...midBody, ...midWrite]) {
      const outcome = await request.outcome();
      request.close();
      assert.equal(
        outcome.kind === "response" ? outcome.status : outcome.error,
        200,
        `${session}: taken in before ${signal}, so finished and acknowledged\n` +
          collector.output(),
      );
      outcomes.push([session, outcome]);
    }
    outcomes.push(...await Promise.all(burst));

    const status = await collector.stop(signal);
    assert.equal(status.code, 0, collector.output());
    assert.match(collector.output(), /stopped; \d+ events written since start/);

    const written = await sessionStarts(logPath);
    for (const [session, outcome] of outcomes) {
      const count = written.filter((id) => id === session).length;
      if (outcome.kind === "response") {
        assert.equal(outcome.status, 200, `${session}: ${outcome.status}`);
        assert.equal(count, 1, `${session} was acknowledged, so it is in the log once`);
      } else {
        assert.ok(count <= 1, `${session} is in the log at most once`);
      }
    }
    assert.ok(!written.includes("late"), "the late request was not written");
  });
}

Deno.test("SIGTERM as soon as the collector says it listens: a graceful stop, exit 0", async () => {
  await using tmp = await makeTempHome();
  const policyPath = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n[runtime_log]\npath = "${
      join(tmp.home, "runtime.jsonl")
    }"\n`,
  );
  // The window this closes is a few instructions wide: several starts make missing it unlikely.
  for (let start = 0; start < 6; start++) {
    await using collector = await startCollectorProcess({ policyPath, home: tmp.home });
    const status = await collector.stop("SIGTERM");
    assert.equal(status.code, 0, `start ${start}: killed by the signal\n${collector.output()}`);
    assert.match(collector.output(), /SIGTERM: finishing in-flight requests/);
  }
});
