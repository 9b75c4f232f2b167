import assert from "node:assert/strict";
import { join } from "node:path";
import type { Host } from "../host/host.ts";
import type { CommandRunner } from "../host/run_command.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { endpointPaths } from "./endpoint_paths.ts";
import { readEndpointStatus } from "./read_endpoint_status.ts";
import type { ServiceController } from "./service/service_controller.ts";
import { realProcesses } from "../host/real_processes.ts";

const notInstalled: ServiceController = {
  manager: "detached",
  definitionPath: "/nonexistent/collector-service.json",
  plan: () => Promise.resolve([]),
  install: () => Promise.reject(new Error("status installs nothing")),
  stop: () => Promise.reject(new Error("status stops nothing")),
  restart: () => Promise.reject(new Error("status restarts nothing")),
  planUninstall: () => Promise.resolve([]),
  uninstall: () => Promise.reject(new Error("status uninstalls nothing")),
  status: () => Promise.resolve({ installed: false, running: false, detail: "not installed" }),
};

Deno.test("readEndpointStatus decides health as data: not installed, collector down, drift", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-status-" });
  try {
    const host: Host = {
      home,
      cwd: home,
      systemRoot: join(home, "root"),
      os: "linux",
      env: { HOME: home, PATH: "/nonexistent" },
      now: () => new Date("2026-01-01T00:00:00Z"),
    };
    const runs: string[] = [];
    const run: CommandRunner = (cmd, args) => {
      runs.push([cmd, ...args].join(" "));
      return Promise.resolve({ code: 127, stdout: "", stderr: "" });
    };
    const policy = parsePolicy(`version = 1\n[collector]\nlisten = "127.0.0.1:1"\n`, "p.toml");
    const status = await readEndpointStatus({
      system: { host, fs: realFileSystem, run, processes: realProcesses() },
      loaded: { policy, source: "p.toml", origin: "--policy" },
      policy,
      mode: "user",
      paths: endpointPaths("user", host),
      controller: notInstalled,
    });
    assert.equal(status.healthy, false);
    assert.equal(status.installed, undefined);
    const said = status.problems.join("\n");
    assert.match(said, /the endpoint is not installed: run `beacon endpoint install`/);
    assert.match(said, /the collector is not running at http:\/\/127\.0\.0\.1:1/);
    assert.match(said, /harness settings differ from the policy/);
    assert.ok(status.drift.steps.length > 0, "the Codex settings Beacon would write are drift");
    assert.ok(status.drift.steps.every((step) => step.kind.endsWith("-settings")));
    assert.deepEqual(await Array.fromAsync(Deno.readDir(home)), [], "status wrote nothing");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
