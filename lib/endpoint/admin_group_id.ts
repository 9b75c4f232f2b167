import type { FileSystem } from "../reconcile/file_system.ts";

/** Groups whose members administer the machine, in the order they are looked for. */
export const ADMIN_GROUPS = ["admin", "adm", "wheel"] as const;

/**
 * The id of the machine's administrators' group (`admin` on macOS, `adm` on Debian and Ubuntu,
 * `wheel` elsewhere), which may read a system collector's runtime log; undefined when none is
 * listed in `/etc/group` (then only root reads it). macOS keeps `admin` (80) in Directory
 * Services as well as in `/etc/group`. The file is read through `fs` (the System's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { adminGroupId } from "./admin_group_id.ts";
 *
 * const fs = { readFile: () => Promise.resolve(new TextEncoder().encode("adm:x:4:\n")) };
 * assert.equal(await adminGroupId(fs), 4);
 * ```
 */
export async function adminGroupId(
  fs: Pick<FileSystem, "readFile">,
  groupFile = "/etc/group",
): Promise<number | undefined> {
  let text: string;
  try {
    const bytes = await fs.readFile(groupFile);
    if (!bytes) return undefined;
    text = new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
  const ids = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const [name, , id] = line.split(":");
    if (name && /^\d+$/.test(id ?? "")) ids.set(name, Number(id));
  }
  for (const group of ADMIN_GROUPS) if (ids.has(group)) return ids.get(group);
  return undefined;
}
