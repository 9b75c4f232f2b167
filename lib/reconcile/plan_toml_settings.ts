import type { FileSystem } from "./file_system.ts";
import type { Ownership } from "./diff_managed_settings.ts";
import type { DesiredSetting } from "./diff_managed_settings.ts";
import type { TomlSettingsStep } from "./plan.ts";
import { decodeConfigText } from "./decode_config_text.ts";
import { ConfigSyntaxError, ConfigTooLargeError } from "./config_errors.ts";
import { diffManagedConfig, readManagedConfig, settingsStepRecord } from "./managed_config_file.ts";
import { parseToml } from "../toml/parse_toml.ts";
import { tomlSizeBeyondLimit } from "../toml/toml_limits.ts";
import { editToml, TomlEditError } from "../toml/edit_toml.ts";

/** Mode of a config file Beacon creates: the user's only. */
export const NEW_CONFIG_FILE_MODE = 0o600;

/**
 * Plans Beacon's managed settings in one TOML file: reads it (following a symlink to the file
 * it points at), refuses what must not be edited (not UTF-8, not valid TOML, read-only, not a
 * file) and diffs the desired values against the file and Beacon's ownership record. The edit
 * is tried in memory, so a plan that cannot be applied fails here, not half-way through apply.
 */
export async function planTomlSettings(input: {
  fs: FileSystem;
  harness: string;
  path: string;
  desired: DesiredSetting[];
  ownership: Record<string, Ownership>;
  takeOver: boolean;
  /** Forget ownership once applied (the harness is no longer managed). */
  release?: boolean;
}): Promise<TomlSettingsStep> {
  const { path } = input;
  const file = await readManagedConfig(input.fs, path);
  const size = file.bytes && tomlSizeBeyondLimit(file.bytes.length);
  if (size) throw new ConfigTooLargeError(path, size.detail);
  const text = file.bytes ? decodeConfigText(file.bytes, path) : "";
  const parsed = parseToml(text);
  if (!parsed.ok) {
    const { line, column, message, limit } = parsed.error;
    if (limit) throw new ConfigTooLargeError(path, limit.detail);
    throw new ConfigSyntaxError(path, line, column, message);
  }
  const diff = diffManagedConfig({
    ...input,
    file,
    text,
    current: parsed.value,
    edit: editToml,
    editError: TomlEditError,
  });
  return {
    kind: "toml-settings",
    harness: input.harness,
    path,
    ...settingsStepRecord({ ...input, file, text, diff, createMode: NEW_CONFIG_FILE_MODE }),
  };
}
