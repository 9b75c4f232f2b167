import { dirname, join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import type { PlanWarning } from "../../reconcile/plan.ts";
import { parseToml } from "../../toml/parse_toml.ts";
import { decodeConfigText } from "../../reconcile/decode_config_text.ts";
import { codexHome } from "./codex_home.ts";

/**
 * Codex config layers that would override (or silently ignore) the `[otel]` settings Beacon
 * writes into the user's file: the admin's managed config, `-p NAME` profile files, and project
 * `.codex/config.toml` files (whose `otel` table Codex ignores). Reads only.
 */
export async function findCodexOverrideLayers(host: Host, fs: FileSystem): Promise<PlanWarning[]> {
  const warnings: PlanWarning[] = [];
  const managed = join(host.systemRoot, "etc", "codex", "managed_config.toml");
  const managedOtel = await readOtelKeys(fs, managed);
  if (managedOtel.length) {
    warnings.push({
      target: managed,
      message: `sets ${
        managedOtel.join(", ")
      }, which overrides the user's config.toml: Codex will not use Beacon's values for these.`,
    });
  }

  const home = codexHome(host);
  for (const name of await fs.listDir(home)) {
    if (!name.endsWith(".config.toml")) continue;
    const path = join(home, name);
    const keys = await readOtelKeys(fs, path);
    if (keys.length) {
      const profile = name.slice(0, -".config.toml".length);
      warnings.push({
        target: path,
        message: `profile "${profile}" sets ${
          keys.join(", ")
        }: runs with \`codex -p ${profile}\` use these instead of Beacon's values.`,
      });
    }
  }

  let dir = host.cwd;
  while (true) {
    const path = join(dir, ".codex", "config.toml");
    if (path !== join(home, "config.toml") && (await readOtelKeys(fs, path)).length) {
      warnings.push({
        target: path,
        message: "has an [otel] table, which Codex ignores in project config: " +
          "telemetry settings only take effect in the user's config.toml.",
      });
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return warnings;
}

/**
 * The `otel.*` keys a config file sets (one `otel (...)` entry saying why when it cannot be read
 * but mentions otel).
 */
async function readOtelKeys(fs: FileSystem, path: string): Promise<string[]> {
  const bytes = await fs.readFile(path).catch(() => undefined);
  if (!bytes) return [];
  const text = decodeConfigText(bytes, path, { strict: false });
  const parsed = parseToml(text);
  if (!parsed.ok) {
    if (!/\botel\b/.test(text)) return [];
    const { limit } = parsed.error;
    if (!limit) return ["otel (file is not valid TOML)"];
    return [`otel (file too ${limit.limit === "depth" ? "deeply nested" : "large"} to read)`];
  }
  const otel = parsed.value.otel;
  if (otel === undefined) return [];
  if (typeof otel !== "object" || otel === null || Array.isArray(otel)) return ["otel"];
  return Object.keys(otel).map((key) => `otel.${key}`);
}
