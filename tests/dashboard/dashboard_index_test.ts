/**
 * The dashboard's index over real files: incremental (only new lines are read), resumable,
 * following rotations by inode, dropping deleted archives, waiting for a torn last line, and
 * rebuilt by itself when stale, of another schema or corrupt.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openDashboardIndex } from "../../lib/dashboard/index/open_dashboard_index.ts";
import { refreshDashboardIndex } from "../../lib/dashboard/index/refresh_dashboard_index.ts";
import { queryOverview } from "../../lib/dashboard/index/query_overview.ts";
import { querySessionTimeline } from "../../lib/dashboard/index/query_session_timeline.ts";
import { createLiveDashboardIndex } from "../../lib/dashboard/live_dashboard_index.ts";
import { fixtureEvents, fixtureLogText, SYNTHETIC_SESSION } from "./support/build_fixture_log.ts";

async function tempLog(text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-dashboard-index-" });
  const path = join(dir, "runtime.jsonl");
  await Deno.writeTextFile(path, text);
  return path;
}

const commands = (index: { db: DatabaseSync }) => queryOverview(index.db, {}).totals.commands;

Deno.test("index: built from the log, then only new lines; a torn last line waits for its newline", async () => {
  const events = await fixtureEvents();
  const path = await tempLog(await fixtureLogText());
  const index = await openDashboardIndex(path);
  assert.equal(index.rebuiltBecause, "there was no index yet");
  assert.deepEqual(await refreshDashboardIndex(index), { added: events.length, removed: 0 });
  assert.deepEqual(await refreshDashboardIndex(index), { added: 0, removed: 0 });
  const extra = JSON.stringify({ ...events.find((e) => e.kind === "command_run"), id: "x" });
  await Deno.writeTextFile(path, extra.slice(0, 40), { append: true });
  assert.deepEqual(await refreshDashboardIndex(index), { added: 0, removed: 0 });
  await Deno.writeTextFile(path, extra.slice(40) + "\n", { append: true });
  assert.deepEqual(await refreshDashboardIndex(index), { added: 1, removed: 0 });
  assert.equal(commands(index), 8);
  index.close();
  // Reopened: resumes where it stopped, reads nothing again.
  const again = await openDashboardIndex(path);
  assert.equal(again.rebuiltBecause, undefined);
  assert.deepEqual(await refreshDashboardIndex(again), { added: 0, removed: 0 });
  assert.equal(commands(again), 8);
  again.close();
});

Deno.test("index: rotation is followed by inode; a deleted archive's rows go", async () => {
  const text = await fixtureLogText();
  const lines = text.trimEnd().split("\n");
  const path = await tempLog(lines.slice(0, 20).join("\n") + "\n");
  const index = await openDashboardIndex(path);
  await refreshDashboardIndex(index);
  // The collector writes more to the file, then renames it and starts a new one.
  await Deno.writeTextFile(path, lines.slice(20, 30).join("\n") + "\n", { append: true });
  await Deno.rename(path, `${path}.1`);
  await Deno.writeTextFile(path, lines.slice(30).join("\n") + "\n");
  assert.deepEqual(await refreshDashboardIndex(index), { added: lines.length - 20, removed: 0 });
  assert.equal(queryOverview(index.db, {}).totals.events, lines.length);
  // Timelines read lines back from the archive under its new name.
  const timeline = await querySessionTimeline(index.db, SYNTHETIC_SESSION);
  assert.ok(timeline && timeline.entries.every((entry) => entry.event));
  await Deno.remove(`${path}.1`);
  const result = await refreshDashboardIndex(index);
  assert.equal(result.removed, 30);
  assert.equal(queryOverview(index.db, {}).totals.events, lines.length - 30);
  // Session aggregates lose the deleted rows too.
  const inSessions = index.db.prepare("SELECT sum(events) AS n FROM sessions").get() as {
    n: number;
  };
  const withSession = index.db.prepare(
    "SELECT count(*) AS n FROM events WHERE session_id IS NOT NULL",
  ).get() as { n: number };
  assert.equal(inSessions.n, withSession.n);
  index.close();
});

Deno.test("index: a log replaced under the index, another schema, or a corrupt file is rebuilt", async () => {
  const text = await fixtureLogText();
  const path = await tempLog(text);
  const live = await createLiveDashboardIndex(path);
  await live.refresh();
  const before = queryOverview(live.db, {}).totals.commands;
  assert.equal(before, 7);
  // Truncated and rewritten in place (same inode, shorter): stale.
  await Deno.writeTextFile(path, text.split("\n").slice(0, 5).join("\n") + "\n");
  await live.refresh();
  assert.match(live.status().rebuiltBecause ?? "", /shorter than when it was indexed/);
  assert.equal(queryOverview(live.db, {}).totals.events, 5);
  live.close();

  // Another schema version.
  const db = new DatabaseSync(`${path}.index.sqlite`);
  db.exec("UPDATE meta SET value = '0' WHERE key = 'schema'");
  db.close();
  const reopened = await openDashboardIndex(path);
  assert.match(reopened.rebuiltBecause ?? "", /another version/);
  reopened.close();

  // Garbage where the index was.
  await Deno.writeTextFile(`${path}.index.sqlite`, "this is not a database ".repeat(500));
  for (const suffix of ["-wal", "-shm"]) {
    await Deno.remove(`${path}.index.sqlite${suffix}`).catch(() => {});
  }
  const rebuilt = await createLiveDashboardIndex(path);
  assert.match(rebuilt.status().rebuiltBecause ?? "", /could not be read/);
  await rebuilt.refresh();
  assert.equal(queryOverview(rebuilt.db, {}).totals.events, 5);
  assert.equal((await Deno.stat(`${path}.index.sqlite`)).mode! & 0o777, 0o600);
  rebuilt.close();
});
