/**
 * README: "A file that changes between planning and writing is refused" — in a normal `apply`,
 * not only with a saved plan. The change is made by the test through the file-system seam at a
 * named moment (after planning read the file; while the backup is being written), so the
 * interleaving is forced rather than timed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../lib/cli/run_cli.ts";
import type { Host } from "../../lib/host/host.ts";
import type { FileSystem } from "../../lib/reconcile/file_system.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";

const ORIGINAL = `# mine\nmodel = "o3"\n`;
const EDITED = `# mine\nmodel = "o4-mini" # saved by an editor meanwhile\n`;

/** `realFileSystem`, with `edit` run once right after the moment `when` picks. */
function editingFileSystem(
  when: (call: "readFile" | "writeFileAtomic", path: string) => boolean,
  edit: () => Promise<void>,
): FileSystem & { edited: boolean } {
  const fs = {
    ...realFileSystem,
    edited: false,
    async readFile(path: string) {
      const bytes = await realFileSystem.readFile(path);
      if (!fs.edited && when("readFile", path)) {
        fs.edited = true;
        await edit();
      }
      return bytes;
    },
    async writeFileAtomic(path: string, data: Uint8Array, mode: number) {
      await realFileSystem.writeFileAtomic(path, data, mode);
      if (!fs.edited && when("writeFileAtomic", path)) {
        fs.edited = true;
        await edit();
      }
    },
  };
  return fs;
}

const MOMENTS: Array<[string, (config: string) => (call: string, path: string) => boolean]> = [
  ["after planning read it", (config) => (call, path) => call === "readFile" && path === config],
  [
    "while its backup is being written",
    (config) => (call, path) => call === "writeFileAtomic" && path === `${config}.beacon.bak`,
  ],
];

for (const [moment, pick] of MOMENTS) {
  Deno.test(`apply refuses a config changed ${moment}: exit 1, the edit kept`, async () => {
    const home = await Deno.makeTempDir({ prefix: "beacon-apply-stale-" });
    try {
      const codexHome = join(home, ".codex");
      await Deno.mkdir(codexHome);
      const config = join(codexHome, "config.toml");
      await Deno.writeTextFile(config, ORIGINAL);
      const host: Host = {
        home,
        cwd: home,
        systemRoot: join(home, "system"),
        os: Deno.build.os,
        env: { HOME: home, CODEX_HOME: codexHome },
        now: () => new Date("2026-01-01T00:00:00Z"),
      };
      const fs = editingFileSystem(pick(config), () => Deno.writeTextFile(config, EDITED));
      let stdout = "";
      let stderr = "";
      const code = await runCli(["apply"], {
        host,
        fs,
        stdout: (text) => stdout += text,
        stderr: (text) => stderr += text,
      });
      assert.ok(fs.edited, `the test changed the file ${moment}`);
      assert.equal(code, 1, `refused\n${stdout}${stderr}`);
      assert.match(stderr, /config\.toml" changed after the plan was made/);
      assert.doesNotMatch(stdout, /Wrote|Apply complete/);
      assert.equal(await Deno.readTextFile(config), EDITED, "the editor's save is kept");
      assert.equal(
        await Deno.stat(join(home, ".beacon", "endpoint", "state.json")).catch(() => null),
        null,
        "nothing is recorded as Beacon's",
      );

      // Run again: the plan is made from the edited file and applies on top of it.
      let again = "";
      const rerun = await runCli(["apply"], {
        host,
        stdout: (text) => again += text,
        stderr: (text) => again += text,
      });
      assert.equal(rerun, 0, again);
      assert.ok((await Deno.readTextFile(config)).startsWith(`${EDITED}\n[otel]\n`));
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  });
}
