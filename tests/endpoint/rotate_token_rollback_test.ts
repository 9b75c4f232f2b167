/**
 * `endpoint repair --rotate-token` that fails at its final check puts everything back to the old
 * token, the running collector included: the repair restarted the collector with the new token
 * (it reads its token file only when it starts), so after the files are rolled back it is
 * restarted again, and Codex's headers, the token file and the collector agree. Before, the
 * collector kept requiring the new token while the files held the old one: every export got 401
 * until a manual `repair`.
 *
 * The final check fails for real: the runtime log sits on a tmpfs that is filled after the
 * install, so the test event gets 503 (needs root and `mount`, as install_rollback_test.ts).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";
import { codexAuthorization, postSessionStart } from "../support/collector_token_requests.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

Deno.test("a rotation that fails at the final check leaves token file, headers and collector on the old token", async () => {
  assert.equal(Deno.uid(), 0, "this test mounts a tmpfs: it needs root (CI runs as root)");
  const mountPoint = await Deno.makeTempDir({ prefix: "beacon-rotate-tmpfs-" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", mountPoint],
  }).output();
  assert.ok(mounted.success, `mount -t tmpfs: ${new TextDecoder().decode(mounted.stderr)}`);
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const port = collectorPort.port;
  const policyPath = join(tmp.home, "rotate-policy.toml");
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
  try {
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n` +
        `[runtime_log]\npath = "${join(mountPoint, "logs", "runtime.jsonl")}"\n`,
    );
    await Deno.mkdir(tmp.codexHome);
    const configPath = join(tmp.codexHome, "config.toml");
    await Deno.writeTextFile(configPath, `model = "o3"\n`);
    const tokenPath = join(tmp.home, ".beacon", "endpoint", "collector.token");

    const install = await beacon("endpoint", "install");
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const token = (await Deno.readTextFile(tokenPath)).trim();
    const config = await Deno.readTextFile(configPath);
    assert.equal(codexAuthorization(config), `Bearer ${token}`);

    // From now on the collector cannot write a line: the rotation's final check fails. tmpfs
    // allocates by page, so the log's last page is filled first (with its last event again, as
    // valid JSON padded with spaces), then the rest of the tmpfs.
    const logPath = join(mountPoint, "logs", "runtime.jsonl");
    const lines = (await Deno.readTextFile(logPath)).split("\n").filter(Boolean);
    const last = lines[lines.length - 1];
    const size = (await Deno.stat(logPath)).size;
    const pad = (4096 - (size + last.length + 1) % 4096) % 4096;
    await Deno.writeTextFile(logPath, `{${" ".repeat(pad)}${last.slice(1)}\n`, { append: true });
    assert.equal((await Deno.stat(logPath)).size % 4096, 0);
    const fillerPath = join(mountPoint, "filler");
    const filler = await Deno.open(fillerPath, { write: true, create: true });
    try {
      for (;;) await filler.write(new Uint8Array(4096));
    } catch (error) {
      assert.equal((error as { code?: string }).code, "ENOSPC");
    } finally {
      filler.close();
    }
    const rotate = await beacon("endpoint", "repair", "--rotate-token");
    const output = rotate.stdout + rotate.stderr;
    assert.equal(rotate.code, 1, output);
    assert.match(rotate.stderr, /failed at "health check"/);
    assert.match(
      rotate.stderr,
      /collector was restarted with the previous token/,
      `the output says the running collector is back on the old token\n${output}`,
    );
    assert.ok(!output.includes(token), "the token is never printed");

    assert.equal(
      (await Deno.readTextFile(tokenPath)).trim(),
      token,
      "the token file is the old one",
    );
    assert.equal(await Deno.readTextFile(configPath), config, "Codex's config is the old one");
    await Deno.remove(fillerPath);
    assert.equal(
      await postSessionStart(port, "after-the-failed-rotation", `Bearer ${token}`),
      200,
      "the running collector accepts the token Codex sends (the old one)",
    );
    const status = await beacon("endpoint", "status");
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /token: ok/);
  } finally {
    await beacon("endpoint", "uninstall").catch(() => {});
    await new Deno.Command("umount", { args: [mountPoint] }).output();
    await Deno.remove(mountPoint, { recursive: true }).catch(() => {});
  }
});
