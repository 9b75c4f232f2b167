/**
 * `beacon endpoint uninstall` as shipped: the runtime log is the record admins and users rely on,
 * so uninstalling keeps it (and says where) unless `--purge`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";

Deno.test("endpoint uninstall keeps the runtime log and says where; --purge deletes it", async () => {
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const policy = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policy,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`,
  );
  const env = { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policy], { env });
  const logs = join(tmp.home, ".beacon", "endpoint", "logs");
  const log = join(logs, "runtime.jsonl");
  try {
    const install = await beacon("endpoint", "install");
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const events = await Deno.readTextFile(log);
    assert.ok(events.length > 0, "the install's test event is in the log");
    await Deno.writeTextFile(`${log}.1`, "{}\n");

    const uninstall = await beacon("endpoint", "uninstall");
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
    assert.equal(await Deno.readTextFile(log), events, "the runtime log is kept as it was");
    assert.equal(await Deno.readTextFile(`${log}.1`), "{}\n", "and its archives");
    assert.ok(uninstall.stdout.includes(`kept ${log} (runtime log)\n`), uninstall.stdout);
    assert.ok(uninstall.stdout.includes(`kept ${log}.1 (runtime log archive)\n`));
    assert.match(uninstall.stdout, /`beacon endpoint uninstall --purge` deletes them/);
    assert.doesNotMatch(uninstall.stdout, /removed .*runtime\.jsonl/);
    assert.equal(
      await Deno.stat(join(tmp.home, ".beacon", "endpoint", "endpoint.json")).catch(() => null),
      null,
      "the endpoint itself is gone",
    );

    const json = await beacon("endpoint", "uninstall", "--json");
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(
      JSON.parse(json.stdout).kept.map((file: { path: string }) => file.path).sort(),
      [join(logs, "collector.log"), log, `${log}.1`].sort(),
    );

    const purge = await beacon("endpoint", "uninstall", "--purge");
    assert.equal(purge.code, 0, purge.stdout + purge.stderr);
    assert.ok(purge.stdout.includes(`removed ${log} (runtime log)\n`), purge.stdout);
    assert.equal(await Deno.stat(logs).catch(() => null), null, "logs and their folder are gone");
    assert.doesNotMatch(purge.stdout, /^kept /m);
  } finally {
    await beacon("endpoint", "uninstall", "--purge").catch(() => {});
  }
});
