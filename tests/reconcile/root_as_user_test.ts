/**
 * Root editing a user's Codex config (a system install: Beacon runs as root, the config is in the
 * console user's home) must not do anything that user could not: follow their symlink to a file
 * they do not own, put a backup beside such a file, or create folders and files wherever a
 * dangling link points. Issue 7, item 16.
 *
 * The user is a uid/gid without a passwd entry (what a file's owner is, is all that matters to
 * the kernel); the tests need root, as CI runs them, and fail rather than pass without it.
 */
import assert from "node:assert/strict";
import { lchownSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run_cli.ts";
import type { Host } from "../../lib/host/host.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";

const USER = { uid: 4242, gid: 4343 };
const unix = Deno.build.os !== "windows";

function requireRoot(): void {
  if (Deno.uid() !== 0) {
    assert.fail(
      "This test needs root: it checks what Beacon does as root in another user's home (CI runs " +
        "as root). Run it with sudo.",
    );
  }
}

const SECRET = '# root only\n[otel]\nenvironment = "prod"\n';

/** A temporary machine: a user's home (theirs, 0700), a root-only folder and a system root. */
async function machine() {
  requireRoot();
  const dir = await Deno.makeTempDir({ prefix: "beacon-root-as-user-" });
  const home = join(dir, "home", "alice");
  await Deno.mkdir(home, { recursive: true, mode: 0o700 });
  await Deno.chown(home, USER.uid, USER.gid);
  const rootOnly = join(dir, "root-only");
  await Deno.mkdir(rootOnly, { mode: 0o700 });
  const secret = join(rootOnly, "secret.toml");
  await Deno.writeTextFile(secret, SECRET, { mode: 0o600 });
  const policy = join(dir, "policy.toml");
  await Deno.writeTextFile(policy, 'version = 1\n[endpoint]\nmode = "system"\n');
  const host: Host = {
    home,
    cwd: dir,
    systemRoot: join(dir, "system"),
    os: Deno.build.os,
    env: {},
    now: () => new Date("2026-01-01T00:00:00Z"),
  };
  /** As the user would: make something in their home and own it (links included). */
  const asUser = (path: string) => lchownSync(path, USER.uid, USER.gid);
  const apply = async () => {
    let out = "";
    const code = await runCli(["apply", "--policy", policy], {
      host,
      stdout: (text) => out += text,
      stderr: (text) => out += text,
    });
    return { code, out };
  };
  return {
    dir,
    home,
    rootOnly,
    secret,
    asUser,
    apply,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function names(folder: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(folder), (entry) => entry.name)).sort();
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test({
  name: "as root, a user's config symlinked to a root-only file is refused: no edit, no backup",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    const codex = join(m.home, ".codex");
    await Deno.mkdir(codex, { mode: 0o700 });
    m.asUser(codex);
    await Deno.symlink(m.secret, join(codex, "config.toml"));
    m.asUser(join(codex, "config.toml"));

    const { code, out } = await m.apply();
    assert.equal(code, 1, out);
    assert.match(out, /symlink/);
    assert.match(out, new RegExp(`uid ${USER.uid}`));
    assert.doesNotMatch(out, / {4}at /, "an expected refusal, not a crash");
    assert.equal(await Deno.readTextFile(m.secret), SECRET);
    assert.deepEqual(await names(m.rootOnly), ["secret.toml"], "no backup beside it");
  },
});

Deno.test({
  name: "as root, a user's .codex folder symlinked into a root-only folder is refused",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    await Deno.rename(m.secret, join(m.rootOnly, "config.toml"));
    await Deno.symlink(m.rootOnly, join(m.home, ".codex"));
    m.asUser(join(m.home, ".codex"));

    const { code, out } = await m.apply();
    assert.equal(code, 1, out);
    assert.equal(await Deno.readTextFile(join(m.rootOnly, "config.toml")), SECRET);
    assert.deepEqual(await names(m.rootOnly), ["config.toml"]);
  },
});

Deno.test({
  name:
    "as root, a dangling symlink in a user's home creates no folder and no file where it points",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    const codex = join(m.home, ".codex");
    await Deno.mkdir(codex, { mode: 0o700 });
    m.asUser(codex);
    const target = join(m.rootOnly, "made", "by", "root.toml");
    await Deno.symlink(target, join(codex, "config.toml"));
    m.asUser(join(codex, "config.toml"));

    const { code, out } = await m.apply();
    assert.equal(code, 1, out);
    assert.match(out, /does not exist/);
    assert.equal(await exists(join(m.rootOnly, "made")), false);

    // A dangling .codex folder link: nothing is created through it either.
    await Deno.remove(codex, { recursive: true });
    await Deno.symlink(join(m.rootOnly, "codex-home"), codex);
    m.asUser(codex);
    const second = await m.apply();
    assert.equal(second.code, 1, second.out);
    assert.deepEqual(await names(m.rootOnly), ["secret.toml"]);
  },
});

Deno.test({
  name: "as root, a hard link to a root-only file in a user's home is neither edited nor copied",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    const codex = join(m.home, ".codex");
    await Deno.mkdir(codex, { mode: 0o700 });
    m.asUser(codex);
    await Deno.link(m.secret, join(codex, "config.toml"));

    const { code, out } = await m.apply();
    assert.equal(code, 1, out);
    assert.match(out, /belongs to uid 0/);
    assert.equal(await Deno.readTextFile(m.secret), SECRET);
    assert.deepEqual(await names(codex), ["config.toml"], "no backup with root's content");
  },
});

Deno.test({
  name: "as root, a user's config symlinked to their own dotfiles is edited there and stays theirs",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    const dotfiles = join(m.home, "dotfiles");
    const codex = join(m.home, ".codex");
    for (const dir of [dotfiles, codex]) {
      await Deno.mkdir(dir, { mode: 0o700 });
      m.asUser(dir);
    }
    const real = join(dotfiles, "codex.toml");
    await Deno.writeTextFile(real, 'model = "o3"\n', { mode: 0o600 });
    m.asUser(real);
    await Deno.symlink(real, join(codex, "config.toml"));
    m.asUser(join(codex, "config.toml"));

    const { code, out } = await m.apply();
    assert.equal(code, 0, out);
    assert.match(await Deno.readTextFile(real), /\[otel\]/);
    assert.ok((await Deno.lstat(join(codex, "config.toml"))).isSymlink, "the link stays");
    for (const path of [real, real + ".beacon.bak"]) {
      const info = await Deno.stat(path);
      assert.deepEqual([info.uid, info.gid, info.mode! & 0o777], [USER.uid, USER.gid, 0o600], path);
    }
  },
});

Deno.test({
  name: "as root, folders and files made in a user's home are theirs; none are made through links",
  ignore: !unix,
  async fn() {
    await using m = await machine();
    const config = join(m.home, ".codex", "config.toml");
    const { code, out } = await m.apply();
    assert.equal(code, 0, out);
    for (const path of [join(m.home, ".codex"), config]) {
      const info = await Deno.lstat(path);
      assert.deepEqual([info.uid, info.gid], [USER.uid, USER.gid], path);
    }

    // The file system itself refuses the same holes, whoever calls it.
    const planted = join(m.home, "planted");
    await Deno.symlink(m.rootOnly, planted);
    m.asUser(planted);
    await assert.rejects(
      realFileSystem.writeFileAtomic(join(planted, "x.toml"), new Uint8Array([1]), 0o600),
      /belongs to uid 0/,
    );
    await assert.rejects(
      realFileSystem.ensureDir(join(planted, "sub"), 0o700),
      /nothing is created through a link/,
    );
    await assert.rejects(realFileSystem.readFile(join(planted, "secret.toml")), /uid 0/);
    assert.deepEqual(await names(m.rootOnly), ["secret.toml"]);
  },
});
