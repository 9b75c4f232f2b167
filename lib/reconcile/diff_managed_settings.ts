import type { TomlEdit } from "../toml/edit_toml.ts";
import { isTomlTable, type TomlTable, type TomlValue } from "../toml/toml_value.ts";
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
  /**
   * The table this setting belongs to as one unit, e.g. `["otel"]`: while a setting of the
   * group holds someone else's destination (`isForeign`) and is not taken over, none of the
   * group is changed, since any change would change what that destination receives. The
   * group is reported as one conflict and taken over as a whole.
   */
  group?: readonly string[];
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
 * - there, Beacon wrote something else: drift, written again (`repairDrift`, the default: what
 *   `endpoint status` reports, `repair` and `apply` put back), or a conflict when Beacon is
 *   giving the file back (a user's later edit is theirs to keep);
 * - there, never written by Beacon: update, unless `isForeign` says it is someone else's
 *   destination, then a conflict.
 * A conflict over someone else's destination holds back its whole `group`: nothing in it is
 * changed or newly owned, and the group is one conflict.
 * With `takeOver`, conflicts become updates (the user's value is kept as the original).
 */
export function diffManagedSettings(input: {
  target: string;
  current: TomlTable;
  desired: DesiredSetting[];
  ownership: Ownership | undefined;
  takeOver: boolean;
  /** Write again what Beacon owns and someone changed (default true; false when releasing). */
  repairDrift?: boolean;
}): SettingsDiff {
  const { target, current, desired, takeOver } = input;
  const repairDrift = input.repairDrift ?? true;
  const previous = input.ownership ?? { written: {}, originals: {} };
  const ownership: Ownership = {
    written: { ...previous.written },
    originals: { ...previous.originals },
  };
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  const edits: TomlEdit[] = [];
  const heldBack = heldBackGroups(current, desired, previous, takeOver, repairDrift);

  for (const setting of desired) {
    const key = setting.path.join(".");
    if (setting.group && heldBack.has(setting.group.join("."))) continue;
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
    const conflict = conflictReason(setting, found, written, repairDrift);
    if (conflict) {
      if (!takeOver) {
        conflicts.push({ target, key, found: found!, wanted, reason: conflict.reason });
        continue;
      }
      note = `taking over: ${conflict.reason}`;
    } else if (found === undefined && written !== undefined) {
      note = "removed since Beacon wrote it";
    } else if (written !== undefined && !tomlValuesEqual(found, written)) {
      note = "changed since Beacon wrote it";
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
  for (const [name, group] of heldBack) {
    const keys = group.keys.length > 1
      ? `${group.keys.slice(0, -1).join(", ")} and ${group.keys.at(-1)} send`
      : `${group.keys[0]} sends`;
    conflicts.push({
      target,
      key: name,
      found: group.found,
      wanted: group.wanted,
      reason: `${keys} to someone else's destination. Beacon leaves all of [${name}] alone, ` +
        `since any change there would change what that destination receives`,
    });
  }
  return { changes, conflicts, edits, ownership };
}

/** Why a value Beacon did not write (or wrote differently) must not be overwritten silently. */
function conflictReason(
  setting: DesiredSetting,
  found: TomlValue | undefined,
  written: TomlValue | undefined,
  repairDrift: boolean,
): { reason: string; foreign: boolean; editedByUser: boolean } | undefined {
  if (found === undefined) return undefined;
  const foreign = setting.isForeign?.(found) ?? false;
  if (written !== undefined && !tomlValuesEqual(found, written)) {
    if (repairDrift) return undefined;
    const reason = `changed since Beacon wrote it (Beacon wrote ${describe(written)})`;
    return { reason, foreign, editedByUser: true };
  }
  if (written === undefined && foreign) {
    return { reason: "already set by someone else", foreign, editedByUser: false };
  }
  return undefined;
}

interface HeldBackGroup {
  /** The group's managed values as found, and as Beacon wants them. */
  found: TomlTable;
  wanted: TomlTable;
  /** The settings holding someone else's destination, with why when not obvious. */
  keys: string[];
}

/** Groups holding someone else's destination that are not taken over, by dotted name. */
function heldBackGroups(
  current: TomlTable,
  desired: DesiredSetting[],
  previous: Ownership,
  takeOver: boolean,
  repairDrift: boolean,
): Map<string, HeldBackGroup> {
  const groups = new Map<string, HeldBackGroup>();
  if (takeOver) return groups;
  for (const setting of desired) {
    if (!setting.group) continue;
    const key = setting.path.join(".");
    const found = getTomlValue(current, setting.path);
    if (tomlValuesEqual(found, setting.value)) continue;
    const conflict = conflictReason(setting, found, previous.written[key], repairDrift);
    if (!conflict?.foreign) continue;
    const name = setting.group.join(".");
    const group = groups.get(name) ?? { found: {}, wanted: {}, keys: [] };
    group.keys.push(conflict.editedByUser ? `${key} (changed since Beacon wrote it)` : key);
    groups.set(name, group);
  }
  for (const setting of desired) {
    const group = setting.group && groups.get(setting.group.join("."));
    if (!group) continue;
    const inGroup = setting.path.slice(setting.group!.length);
    const found = getTomlValue(current, setting.path);
    if (found !== undefined) setNested(group.found, inGroup, found);
    if (setting.value !== undefined) setNested(group.wanted, inGroup, setting.value);
  }
  return groups;
}

function setNested(table: TomlTable, path: readonly string[], value: TomlValue): void {
  let current = table;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    current = isTomlTable(next) ? next : (current[key] = {});
  }
  current[path.at(-1)!] = value;
}

function describe(value: TomlValue | undefined): string {
  return value === undefined ? "nothing" : stringifyTomlJson(value);
}
