import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import {
  BEACON_PERMISSION_FLAGS,
  buildCollectorServiceSpec,
  currentBeaconProgram,
} from "../../lib/endpoint/service/build_collector_service_spec.ts";
import { temporaryHost } from "./support/fixtures.ts";

Deno.test("the compiled binary runs itself; a bundle runs through deno with Beacon's permissions", () => {
  assert.deepEqual(
    currentBeaconProgram({
      execPath: "/usr/local/bin/beacon",
      mainModule: "file:///usr/local/bin/beacon",
      standalone: true,
    }),
    { executable: "/usr/local/bin/beacon", args: [] },
  );
  assert.deepEqual(
    currentBeaconProgram({
      execPath: "/opt/deno/bin/deno",
      mainModule: "file:///opt/beacon%20dist/beacon.js",
      standalone: false,
    }),
    {
      executable: "/opt/deno/bin/deno",
      args: ["run", "--no-prompt", ...BEACON_PERMISSION_FLAGS, "/opt/beacon dist/beacon.js"],
    },
  );
});

Deno.test("Beacon's permissions match the compile task in deno.json", () => {
  const compileFlags = denoJson.tasks.compile.split(/\s+/).filter((word) =>
    word.startsWith("--allow-") || word.startsWith("--deny-") || word.startsWith("--v8-flags=")
  );
  assert.deepEqual([...BEACON_PERMISSION_FLAGS], compileFlags);
});

Deno.test("the spec runs `collector run --policy` in the state folder with HOME and the system root", async () => {
  await using host = await temporaryHost({ env: { DENO_DIR: "/cache/deno" } });
  const program = { executable: "/usr/bin/deno", args: ["run", "beacon.js"] };
  assert.deepEqual(
    buildCollectorServiceSpec({
      mode: "user",
      host,
      program,
      policyPath: "/p/policy.toml",
      runtimeLogPath: `${host.home}/.beacon/endpoint/logs/runtime.jsonl`,
    }),
    {
      mode: "user",
      executable: "/usr/bin/deno",
      args: ["run", "beacon.js", "collector", "run", "--policy", "/p/policy.toml"],
      env: {
        HOME: host.home,
        ...(host.env.PATH ? { PATH: host.env.PATH } : {}),
        BEACON_SYSTEM_ROOT: host.systemRoot,
        DENO_DIR: "/cache/deno",
      },
      label: "dev.asymptote.beacon.collector",
      logFile: `${host.home}/.beacon/endpoint/logs/collector.log`,
      workingDirectory: `${host.home}/.beacon/endpoint`,
      writablePaths: [`${host.home}/.beacon/endpoint/logs`],
    },
  );
  const system = buildCollectorServiceSpec({
    mode: "system",
    host: { ...host, systemRoot: "/" },
    program: { executable: "/usr/local/bin/beacon", args: [] },
    policyPath: "/etc/beacon/policy.toml",
    runtimeLogPath: "/srv/logs/runtime.jsonl",
  });
  assert.deepEqual(
    system.env,
    { HOME: host.home, ...(host.env.PATH ? { PATH: host.env.PATH } : {}) },
    "no system root or deno cache for the binary",
  );
  assert.deepEqual(system.args, [
    "collector",
    "run",
    "--system",
    "--policy",
    "/etc/beacon/policy.toml",
  ]);
  assert.equal(system.logFile, "/var/log/beacon-agent/collector.log");
  assert.equal(system.workingDirectory, "/var/lib/beacon-agent");
  assert.deepEqual(system.writablePaths, ["/srv/logs"]);
});
