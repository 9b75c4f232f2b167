import { join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";

/** Codex's home folder: `$CODEX_HOME`, else `~/.codex`. */
export function codexHome(host: Host): string {
  return host.env.CODEX_HOME || join(host.home, ".codex");
}

/** Codex's user configuration file, `$CODEX_HOME/config.toml`. */
export function codexConfigPath(host: Host): string {
  return join(codexHome(host), "config.toml");
}
