/**
 * Golden cases for `beacon apply --plan` and `beacon apply`, one folder per case under
 * fixtures/reconcile/: `before.toml` (absent: no config file), optional `policy.toml`,
 * `state.json` (Beacon's ownership record, `$CONFIG` standing for the config's path) and
 * `case.json` (extra args, file mode, symlink, other files, cwd). Expected: `plan.txt` (output
 * and exit code of the plan), `apply.txt` and `after.toml` (bytes after apply). Every case also
 * checks that planning changes nothing and that a second apply is a no-op.
 *
 * Regenerate the expected files after an intended change with
 * `BEACON_UPDATE_GOLDEN=1 deno test --allow-all tests/reconcile_golden_test.ts`, and review the
 * diff.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { runCli } from "../lib/cli/run_cli.ts";
import type { Host } from "../lib/host/host.ts";

const FIXTURES = new URL("../fixtures/reconcile/", import.meta.url).pathname;
const UPDATE = Deno.env.get("BEACON_UPDATE_GOLDEN") === "1";

interface CaseOptions {
  args?: string[];
  mode?: string;
  symlink?: string;
  files?: Record<string, string>;
  cwd?: string;
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function expectGolden(path: string, actual: string | Uint8Array, label: string) {
  const bytes = typeof actual === "string" ? new TextEncoder().encode(actual) : actual;
  if (UPDATE) {
    await Deno.writeFile(path, bytes);
    return;
  }
  const expected = await readOptional(path);
  assert.ok(expected, `${label}: missing ${path} (run with BEACON_UPDATE_GOLDEN=1)`);
  assert.equal(new TextDecoder().decode(bytes), new TextDecoder().decode(expected), label);
  assert.deepEqual(bytes, expected, `${label}: bytes differ`);
}

async function runIn(host: Host, args: string[], root: string) {
  let out = "";
  const capture = (text: string) => (out += text);
  const code = await runCli(args, { host, stdout: capture, stderr: capture });
  return { code, text: `${out.replaceAll(root, "<tmp>")}[exit ${code}]\n` };
}

for (const name of [...Deno.readDirSync(FIXTURES)].map((entry) => entry.name).sort()) {
  Deno.test(`golden reconcile: ${name}`, async () => {
    const dir = join(FIXTURES, name);
    const options: CaseOptions = JSON.parse(
      new TextDecoder().decode(
        await readOptional(join(dir, "case.json")) ?? new Uint8Array([123, 125]),
      ),
    );
    const root = await Deno.makeTempDir({ prefix: `beacon-golden-${name}-` });
    try {
      const home = join(root, "home");
      const codexHome = join(home, ".codex");
      await Deno.mkdir(codexHome, { recursive: true });
      const configPath = join(codexHome, "config.toml");
      const realPath = options.symlink ? join(codexHome, options.symlink) : configPath;
      const before = await readOptional(join(dir, "before.toml"));
      if (before) {
        await Deno.mkdir(dirname(realPath), { recursive: true });
        await Deno.writeFile(realPath, before);
        if (options.mode) await Deno.chmod(realPath, parseInt(options.mode, 8));
      }
      if (options.symlink) await Deno.symlink(options.symlink, configPath);
      const state = await readOptional(join(dir, "state.json"));
      if (state) {
        const stateDir = join(home, ".beacon", "endpoint");
        await Deno.mkdir(stateDir, { recursive: true });
        await Deno.writeTextFile(
          join(stateDir, "state.json"),
          new TextDecoder().decode(state).replaceAll("$CONFIG", await Deno.realPath(realPath)),
        );
      }
      for (const [path, text] of Object.entries(options.files ?? {})) {
        await Deno.mkdir(dirname(join(root, path)), { recursive: true });
        await Deno.writeTextFile(join(root, path), text);
      }
      const policy = await readOptional(join(dir, "policy.toml"));
      const args = [...(options.args ?? [])];
      if (policy) args.push("--policy", join(dir, "policy.toml"));
      const host: Host = {
        home,
        cwd: options.cwd ? join(root, options.cwd) : home,
        systemRoot: join(root, "root"),
        os: "linux",
        env: { HOME: home },
        now: () => new Date("2026-11-25T12:00:00Z"),
      };

      const plan = await runIn(host, ["apply", "--plan", ...args], root);
      await expectGolden(join(dir, "plan.txt"), plan.text.replaceAll(dir, "<case>"), "plan output");
      assert.deepEqual(await readOptional(realPath), before, "planning must not touch the file");

      const apply = await runIn(host, ["apply", ...args], root);
      await expectGolden(
        join(dir, "apply.txt"),
        apply.text.replaceAll(dir, "<case>"),
        "apply output",
      );
      const after = await readOptional(realPath);
      if (apply.code === 1) {
        assert.deepEqual(after, before, "a failed apply leaves the file as it was");
        return;
      }
      assert.ok(after, "apply writes the config");
      await expectGolden(join(dir, "after.toml"), after, "config after apply");
      if (options.symlink) {
        assert.ok((await Deno.lstat(configPath)).isSymlink, "the symlink stays a symlink");
      }
      if (options.mode) {
        assert.equal((await Deno.stat(realPath)).mode! & 0o777, parseInt(options.mode, 8));
      } else if (!before) {
        assert.equal((await Deno.stat(realPath)).mode! & 0o777, 0o600, "new files are user-only");
      }
      if (before && apply.text.includes("Wrote")) {
        assert.deepEqual(await Deno.readFile(realPath + ".beacon.bak"), before, "backup kept");
      }

      const again = await runIn(host, ["apply", "--plan", ...args], root);
      assert.match(again.text, /No changes\./, "apply then plan: no changes");
      assert.equal(again.code, apply.code, "the second plan agrees with the apply's outcome");
      await runIn(host, ["apply", ...args], root);
      assert.deepEqual(await readOptional(realPath), after, "a second apply changes no byte");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}
