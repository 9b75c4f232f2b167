/**
 * `beacon collector run` as shipped (the single-file build, binary permissions): graceful stop
 * on SIGTERM, a clear error when the address is taken, and no acknowledged event lost or
 * duplicated when the process is killed with SIGKILL in the middle of a stream of exports.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startCollectorProcess } from "../support/collector_process.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";

async function writePolicy(
  home: string,
  extra = "",
): Promise<{ policyPath: string; logPath: string }> {
  const logPath = join(home, "logs", "runtime.jsonl");
  const policyPath = join(home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n${extra}[runtime_log]\npath = "${logPath}"\n`,
  );
  return { policyPath, logPath };
}

function exportLogs(url: string, session: string) {
  return fetch(`${url}/v1/logs`, {
    method: "POST",
    body: new Uint8Array(codexLogsBody(session)),
    headers: { "content-type": "application/x-protobuf" },
  });
}

async function sessionStarts(logPath: string): Promise<string[]> {
  return (await readBeaconEvents(logPath))
    .filter((event) => event.kind === "session_start").map((event) => event.session_id);
}

Deno.test("SIGTERM: in-flight requests finish, the log is synced, exit 0", async () => {
  await using tmp = await makeTempHome();
  const { policyPath, logPath } = await writePolicy(tmp.home);
  await using collector = await startCollectorProcess({ policyPath, home: tmp.home });
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => exportLogs(collector.url, `term-${i}`)),
  );
  for (const response of responses) {
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  const status = await collector.stop("SIGTERM");
  assert.equal(status.code, 0, collector.output());
  assert.match(collector.output(), /SIGTERM: finishing in-flight requests/);
  assert.equal((await sessionStarts(logPath)).length, 20);
  assert.equal((await Deno.stat(logPath)).mode! & 0o777, 0o600, "user-only log");
});

Deno.test("an address in use: a clear error and exit 1", async () => {
  await using tmp = await makeTempHome();
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const policyPath = join(tmp.home, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n`,
    );
    const run = await runBeacon(["collector", "run", "--policy", policyPath], tmp);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`),
    );
  } finally {
    taken.close();
  }
});

Deno.test("SIGKILL mid-stream: every acknowledged event is in the log exactly once", async () => {
  await using tmp = await makeTempHome();
  const { policyPath, logPath } = await writePolicy(tmp.home);
  const acknowledged = new Set<string>();
  const sent = new Set<string>();
  {
    await using collector = await startCollectorProcess({ policyPath, home: tmp.home });
    let next = 0;
    let killed = false;
    const sender = async (worker: number) => {
      while (!killed) {
        const session = `crash-${worker}-${next++}`;
        sent.add(session);
        try {
          const response = await exportLogs(collector.url, session);
          await response.body?.cancel();
          if (response.status === 200) acknowledged.add(session);
        } catch {
          return; // the connection died with the process
        }
        if (acknowledged.size >= 400 && !killed) {
          killed = true;
          await collector.stop("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, worker) => sender(worker)));
    assert.equal((await collector.stop("SIGKILL")).signal, "SIGKILL");
  }
  assert.ok(acknowledged.size >= 400);

  // Restart on the same log: the collector repairs a torn tail if there is one and goes on.
  await using again = await startCollectorProcess({ policyPath, home: tmp.home });
  const response = await exportLogs(again.url, "after-restart");
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.equal((await again.stop("SIGTERM")).code, 0);

  const starts = await sessionStarts(logPath);
  const counts = new Map<string, number>();
  for (const session of starts) counts.set(session, (counts.get(session) ?? 0) + 1);
  for (const session of acknowledged) {
    assert.equal(counts.get(session), 1, `${session} exactly once`);
  }
  for (const [session, count] of counts) {
    assert.equal(count, 1, `${session} written once`);
    assert.ok(sent.has(session) || session === "after-restart", `${session} was sent`);
  }
  assert.equal(counts.get("after-restart"), 1);
});
