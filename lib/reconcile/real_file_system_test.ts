import assert from "node:assert/strict";
import { join } from "node:path";
import { realFileSystem } from "./real_file_system.ts";

Deno.test("atomic writes keep the file's mode and leave no temporary file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "config.toml");
    await Deno.writeTextFile(path, "a = 1\n", { mode: 0o640 });
    await Deno.chmod(path, 0o640);
    await realFileSystem.writeFileAtomic(path, new TextEncoder().encode("a = 2\n"), 0o640);
    assert.equal(await Deno.readTextFile(path), "a = 2\n");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o640);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
      "config.toml",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * Runs `fn` as root with `home`, a temporary folder of uid 4242 (gid 4343): a user's home, where
 * every call checks the path for that user.
 */
async function withUserHome(fn: (home: string) => Promise<void>): Promise<void> {
  if (Deno.uid() !== 0) {
    assert.fail("This test needs root (only root acts in another user's files; CI runs as root).");
  }
  const dir = await Deno.makeTempDir();
  try {
    const home = join(dir, "alice");
    await Deno.mkdir(home);
    await Deno.chown(home, 4242, 4343);
    await fn(home);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "as root, a user's file and the folders made for it stay the user's",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withUserHome(async (home) => {
      const config = join(home, ".codex", "config.toml");
      await realFileSystem.ensureDir(join(home, ".codex"), 0o700);
      await realFileSystem.writeFileAtomic(config, new TextEncoder().encode("x = 1\n"), 0o600);
      for (const path of [join(home, ".codex"), config]) {
        const info = await Deno.stat(path);
        assert.deepEqual([info.uid, info.gid], [4242, 4343], path);
      }
      await Deno.chown(config, 4242, 4343);
      await realFileSystem.writeFileAtomic(config, new TextEncoder().encode("x = 2\n"), 0o600);
      assert.equal((await Deno.stat(config)).uid, 4242, "rewritten, still the user's");
    }),
});

Deno.test({
  name: "as root, a user's file larger than one read comes back whole",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withUserHome(async (home) => {
      const config = join(home, "config.toml");
      // 150,000 bytes: three reads of 64 KiB, joined.
      const bytes = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 31 + (i >>> 10)) & 0xff);
      await Deno.writeFile(config, bytes);
      await Deno.chown(config, 4242, 4343);
      const read = await realFileSystem.readFile(config);
      assert.equal(read?.byteLength, bytes.byteLength);
      assert.ok(read.every((byte, i) => byte === bytes[i]), "the bytes, in order");
    }),
});
