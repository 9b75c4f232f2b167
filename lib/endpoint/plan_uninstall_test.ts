import assert from "node:assert/strict";
import { join } from "node:path";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { endpointPaths } from "./endpoint_paths.ts";
import { planUninstall } from "./plan_uninstall.ts";

async function installedLayout() {
  const home = await Deno.makeTempDir({ prefix: "beacon-uninstall-" });
  const host = { home, cwd: home, systemRoot: home, os: "linux", env: {}, now: () => new Date() };
  const paths = endpointPaths("user", host);
  const logs = join(paths.stateDir, "logs");
  await Deno.mkdir(logs, { recursive: true });
  for (const name of ["runtime.jsonl", "runtime.jsonl.1", "runtime.jsonl.3", "collector.log"]) {
    await Deno.writeTextFile(join(logs, name), "{}\n");
  }
  await Deno.writeTextFile(join(paths.stateDir, "endpoint.json"), "{}\n");
  await Deno.writeTextFile(paths.statePath, "{}\n");
  return {
    paths,
    logs,
    options: {
      fs: realFileSystem,
      paths,
      runtimeLogPath: join(logs, "runtime.jsonl"),
      collectorLogPath: join(logs, "collector.log"),
      stateInUse: false,
      purge: false,
    },
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

Deno.test("uninstall keeps the runtime log, its archives and the collector output by default", async () => {
  await using layout = await installedLayout();
  const plan = await planUninstall(layout.options);
  assert.deepEqual(plan.remove, [
    { path: join(layout.paths.stateDir, "endpoint.json"), what: "endpoint configuration" },
    { path: layout.paths.statePath, what: "Beacon's state" },
  ]);
  assert.deepEqual(plan.keep, [
    { path: join(layout.logs, "runtime.jsonl.1"), what: "runtime log archive" },
    { path: join(layout.logs, "runtime.jsonl.3"), what: "runtime log archive" },
    { path: join(layout.logs, "runtime.jsonl"), what: "runtime log" },
    { path: join(layout.logs, "collector.log"), what: "collector output" },
  ]);
  assert.deepEqual(plan.removeFoldersIfEmpty, []);
});

Deno.test("uninstall --purge deletes the logs too, then their folder if empty", async () => {
  await using layout = await installedLayout();
  await Deno.writeTextFile(join(layout.logs, "runtime.jsonl.torn"), "{");
  const plan = await planUninstall({ ...layout.options, purge: true });
  assert.deepEqual(plan.remove.map((file) => file.path), [
    join(layout.paths.stateDir, "endpoint.json"),
    layout.paths.statePath,
    join(layout.logs, "runtime.jsonl.1"),
    join(layout.logs, "runtime.jsonl.3"),
    join(layout.logs, "runtime.jsonl"),
    join(layout.logs, "runtime.jsonl.torn"),
    join(layout.logs, "collector.log"),
  ]);
  assert.deepEqual(plan.keep, []);
  assert.deepEqual(plan.removeFoldersIfEmpty, [layout.logs]);
});

Deno.test("uninstall keeps Beacon's state while it still records files, and lists only what exists", async () => {
  await using layout = await installedLayout();
  await Deno.remove(join(layout.logs, "collector.log"));
  await Deno.remove(join(layout.paths.stateDir, "endpoint.json"));
  const plan = await planUninstall({ ...layout.options, stateInUse: true });
  assert.deepEqual(plan.remove, []);
  assert.deepEqual(plan.keep.map((file) => file.what), [
    "runtime log archive",
    "runtime log archive",
    "runtime log",
  ]);
});
