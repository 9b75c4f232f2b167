import type { TomlEdit } from "../toml/edit_toml.ts";
import type { TomlTable, TomlValue } from "../toml/toml_value.ts";
import { getTomlValue } from "../toml/get_toml_value.ts";
import { tomlValuesEqual } from "../toml/toml_values_equal.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";
import type { Change, Conflict } from "./plan.ts";

/** One setting Beacon manages in a file, and the value it wants (undefined: absent). */
export interface DesiredSetting {
  /** Path inside the file, e.g. `["otel", "exporter"]`. */
  path: string[];
  value: TomlValue | undefined;
  /**
   * True when a value Beacon did not write here means someone else's choice that must not be
   * overwritten silently (e.g. Codex already exporting telemetry to another backend).
   */
  isForeign?: (found: TomlValue) => boolean;
}

/** What Beacon remembers about one file: what it wrote, and what was there before it. */
export interface Ownership {
  /** key -> the value Beacon last wrote. */
  written: Record<string, TomlValue>;
  /** key -> the user's value before Beacon first wrote it (null: the key was absent). */
  originals: Record<string, TomlValue | null>;
  /**
   * The whole file before Beacon first changed it (null: there was no file), and the SHA-256
   * of what Beacon last wrote. While the file is still exactly what Beacon wrote, giving it
   * back restores these bytes; once someone else edited it, only Beacon's keys are restored.
   */
  original?: { text: string | null; writtenSha256: string };
}

/** Everything a plan step needs from comparing desired with actual. */
export interface SettingsDiff {
  changes: Change[];
  conflicts: Conflict[];
  edits: TomlEdit[];
  /** The ownership record to keep once the edits are applied. */
  ownership: Ownership;
}

/**
 * Compares the desired settings with a file's current values and what Beacon wrote before.
 * Level-triggered: it looks only at what is there now and at the ownership record.
 *
 * - equal: nothing to do (and the key is owned from now on);
 * - not there: create (also when Beacon wrote it before and someone removed it: drift);
 * - there, written by Beacon and unchanged since: update;
 * - there, Beacon wrote something else: the user edited it, a conflict;
 * - there, never written by Beacon: update, unless `isForeign` says it is someone else's
 *   destination, then a conflict.
 * With `takeOver`, conflicts become updates (the user's value is kept as the original).
 */
export function diffManagedSettings(input: {
  target: string;
  current: TomlTable;
  desired: DesiredSetting[];
  ownership: Ownership | undefined;
  takeOver: boolean;
}): SettingsDiff {
  const { target, current, desired, takeOver } = input;
  const previous = input.ownership ?? { written: {}, originals: {} };
  const ownership: Ownership = {
    written: { ...previous.written },
    originals: { ...previous.originals },
  };
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  const edits: TomlEdit[] = [];

  for (const setting of desired) {
    const key = setting.path.join(".");
    const found = getTomlValue(current, setting.path);
    const wanted = setting.value;
    const written = previous.written[key];
    if (tomlValuesEqual(found, wanted)) {
      if (wanted === undefined) delete ownership.written[key];
      else ownership.written[key] = wanted;
      if (!(key in ownership.originals) && wanted !== undefined && written === undefined) {
        // Already as wanted before Beacon touched it: restoring means leaving it.
        ownership.originals[key] = wanted;
      }
      continue;
    }
    let note: string | undefined;
    if (found !== undefined) {
      const editedByUser = written !== undefined && !tomlValuesEqual(found, written);
      const foreign = written === undefined && (setting.isForeign?.(found) ?? false);
      if (editedByUser || foreign) {
        const reason = editedByUser
          ? `changed since Beacon wrote it (Beacon wrote ${describe(written)})`
          : `already set by someone else`;
        if (!takeOver) {
          conflicts.push({ target, key, found, wanted, reason });
          continue;
        }
        note = `taking over: ${reason}`;
      }
    } else if (written !== undefined) {
      note = "removed since Beacon wrote it";
    }
    if (!(key in ownership.originals)) {
      ownership.originals[key] = written === undefined && found !== undefined ? found : null;
    }
    if (wanted === undefined) delete ownership.written[key];
    else ownership.written[key] = wanted;
    edits.push({ path: setting.path, value: wanted });
    const action = found === undefined ? "create" : wanted === undefined ? "delete" : "update";
    const change: Change = { action, target, key };
    if (found !== undefined) change.before = found;
    if (wanted !== undefined) change.after = wanted;
    if (note) change.note = note;
    changes.push(change);
  }
  return { changes, conflicts, edits, ownership };
}

function describe(value: TomlValue | undefined): string {
  return value === undefined ? "nothing" : stringifyTomlJson(value);
}
