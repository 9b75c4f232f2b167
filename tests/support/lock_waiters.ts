/**
 * Who is waiting for a `flock` lock, from Linux's /proc/locks: lets a test that holds a lock
 * wait until another process is blocked on it, instead of sleeping and hoping.
 *
 * @module
 */

/** Pids blocked on the lock of the file with inode `ino` (lines marked `->` in /proc/locks). */
export async function lockWaiters(ino: number): Promise<number[]> {
  const text = await Deno.readTextFile("/proc/locks");
  return text.split("\n")
    .filter((line) => line.includes("->"))
    .map((line) => line.replace(/^\d+:\s*->\s*/, "").trim().split(/\s+/))
    .filter((fields) => fields[4]?.endsWith(`:${ino}`))
    .map((fields) => Number(fields[3]));
}

/**
 * Resolves `"waiting"` once `pid` is blocked on the lock of `path`, or `"exited"` if `exited`
 * settles first. Polls /proc/locks (a condition, not a duration).
 */
export async function waitUntilBlockedOnLock(
  path: string,
  pid: number,
  exited: Promise<unknown>,
): Promise<"waiting" | "exited"> {
  const { ino } = await Deno.stat(path);
  if (ino === null) throw new Error(`no inode for ${path}: /proc/locks needs Linux`);
  let done = false;
  exited.finally(() => (done = true));
  while (true) {
    if ((await lockWaiters(ino)).includes(pid)) return "waiting";
    if (done) return "exited";
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
