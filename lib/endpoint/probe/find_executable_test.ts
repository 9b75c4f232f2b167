import assert from "node:assert/strict";
import { join, win32 } from "node:path";
import type { Host } from "../../host/host.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import { findExecutable } from "./find_executable.ts";
import { realFileSystem } from "../../reconcile/real_file_system.ts";

function hostWithPath(path: string | undefined): Host {
  return {
    home: "/nonexistent-home",
    cwd: "/",
    systemRoot: "/",
    os: "linux",
    env: { PATH: path },
    now: () => new Date(0),
  };
}

async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-find-executable-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("findExecutable returns the first executable file on PATH", async () => {
  await withFolder(async (dir) => {
    const first = join(dir, "first");
    const second = join(dir, "second");
    await Deno.mkdir(first);
    await Deno.mkdir(second);
    await Deno.writeTextFile(join(first, "tool"), "#!/bin/sh\n", { mode: 0o644 }); // not executable
    await Deno.writeTextFile(join(second, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.chmod(join(second, "tool"), 0o755);
    const host = hostWithPath(`${first}:${second}`);
    assert.equal(await findExecutable("tool", host, realFileSystem), join(second, "tool"));
    assert.equal(await findExecutable("other", host, realFileSystem), undefined);
  });
});

Deno.test("findExecutable skips folders, empty and relative PATH entries", async () => {
  await withFolder(async (dir) => {
    const bin = join(dir, "bin");
    await Deno.mkdir(join(bin, "tool"), { recursive: true }); // a folder named like the program
    const previous = Deno.cwd();
    await Deno.writeTextFile(join(dir, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.chmod(join(dir, "tool"), 0o755);
    Deno.chdir(dir);
    try {
      assert.equal(
        await findExecutable("tool", hostWithPath(`:.:bin:${bin}::`), realFileSystem),
        undefined,
      );
    } finally {
      Deno.chdir(previous);
    }
  });
});

Deno.test("findExecutable keeps the symlink path and rejects dangling links", async () => {
  await withFolder(async (dir) => {
    await Deno.writeTextFile(join(dir, "real"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.chmod(join(dir, "real"), 0o755);
    await Deno.symlink(join(dir, "real"), join(dir, "linked"));
    await Deno.symlink(join(dir, "missing"), join(dir, "dangling"));
    const host = hostWithPath(dir);
    assert.equal(await findExecutable("linked", host, realFileSystem), join(dir, "linked"));
    assert.equal(await findExecutable("dangling", host, realFileSystem), undefined);
  });
});

Deno.test("findExecutable needs a bare name and a PATH", async () => {
  assert.equal(await findExecutable("sh", hostWithPath(undefined), realFileSystem), undefined);
  assert.equal(await findExecutable("", hostWithPath("/bin"), realFileSystem), undefined);
  assert.equal(await findExecutable("/bin/sh", hostWithPath("/bin"), realFileSystem), undefined);
  assert.equal(await findExecutable("../bin/sh", hostWithPath("/bin"), realFileSystem), undefined);
});

Deno.test("findExecutable on Windows: absolute PATH folders only, PATHEXT names, backslashes", async () => {
  // Windows paths cannot be made on this disk: a FileSystem that knows a few files stands in.
  const files = new Set([
    "C:\\Tools\\codex.cmd",
    "D:\\bin\\codex.exe",
    "\\\\server\\share\\codex.exe",
    "Tools\\codex.exe", // relative: must be skipped
    "C:Tools\\codex.exe", // relative to drive C:'s current folder: must be skipped
  ]);
  const fs = {
    resolveTarget: (path: string) => Promise.resolve(path),
    lstat: (path: string) =>
      Promise.resolve(files.has(path) ? { isFile: true, isSymlink: false, mode: null } : undefined),
  } as unknown as FileSystem;
  const windowsHost = (path: string): Host => ({
    ...hostWithPath(undefined),
    os: "windows",
    env: { Path: path, PATHEXT: ".EXE;.CMD" },
  });
  const find = (path: string) => findExecutable("codex", windowsHost(path), fs);
  // Relative folders (and a drive-relative one) are skipped, as on POSIX.
  assert.equal(await find("Tools;C:Tools;D:/bin/"), win32.join("D:/bin/", "codex.exe"));
  assert.equal(await find("C:\\Tools\\;D:\\bin"), win32.join("C:\\Tools\\", "codex.cmd"));
  assert.equal(await find("\\\\server\\share"), win32.join("\\\\server\\share", "codex.exe"));
  assert.equal(await findExecutable("bin\\codex", windowsHost("D:\\"), fs), undefined);
});
