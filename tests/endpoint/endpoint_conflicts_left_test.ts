/**
 * `endpoint install` and `endpoint repair` with a conflict left alone (Codex exports to another
 * team's collector): like `beacon apply`, they exit 3 and name what is left and the `--force`
 * that takes it over; with `--force`, repair takes it over, exits 0 and status is healthy.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

const FOREIGN = `[otel]\nenvironment = "production"\n` +
  `exporter = { otlp-http = { endpoint = "https://otel.example.com/v1/logs", protocol = "json" } }\n`;

Deno.test("endpoint install and repair exit 3 naming the conflict left alone and --force", async () => {
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const policyPath = join(tmp.home, "team-policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`,
  );
  const config = join(tmp.codexHome, "config.toml");
  await Deno.mkdir(tmp.codexHome, { recursive: true });
  await Deno.writeTextFile(config, FOREIGN);
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
  const leftAlone = new RegExp(
    `Needs attention: 1 conflict was left alone[^\\n]*\\n  ! otel in ${config}: `,
  );

  try {
    const install = await beacon("endpoint", "install");
    assert.equal(install.code, 3, install.stdout + install.stderr);
    assert.match(install.stdout, /Events are written to /, "the endpoint is installed");
    assert.match(install.stdout, leftAlone);
    assert.match(install.stdout, /`beacon endpoint install --force` takes it over/);
    assert.equal(await Deno.readTextFile(config), FOREIGN, "the foreign [otel] is left alone");

    const json = await beacon("endpoint", "install", "--json");
    assert.equal(json.code, 3, json.stdout + json.stderr);
    const result = JSON.parse(json.stdout);
    assert.equal(result.needsAttention, true);
    assert.equal(result.summary.conflicts, 1);

    const plan = await beacon("endpoint", "install", "--plan");
    assert.equal(plan.code, 3, `only a conflict is left: exit 3\n${plan.stdout}`);
    assert.match(plan.stdout, /Conflicts \(left alone; `beacon endpoint install --force`/);

    const repair = await beacon("endpoint", "repair");
    assert.equal(repair.code, 3, repair.stdout + repair.stderr);
    assert.match(repair.stdout, leftAlone);
    assert.match(repair.stdout, /`beacon endpoint repair --force` takes it over/);
    const attention = await beacon("endpoint", "status");
    assert.equal(attention.code, 3, attention.stdout);
    assert.match(attention.stdout, /`beacon endpoint repair --force` takes them over/);

    const forced = await beacon("endpoint", "repair", "--force");
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.doesNotMatch(forced.stdout, /Needs attention/);
    assert.doesNotMatch(await Deno.readTextFile(config), /otel\.example\.com/);
    const status = await beacon("endpoint", "status");
    assert.equal(status.code, 0, `after repair exits 0, status exits 0:\n${status.stdout}`);
  } finally {
    const uninstall = await beacon("endpoint", "uninstall");
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
  }
});
