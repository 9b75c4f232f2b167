/**
 * Loopback ports for tests that no one else can be given while a test holds them.
 *
 * "Bind port 0, read the port, close, start the product on it later" is a race: between the close
 * and the product's bind, the kernel may hand the same port to any outgoing connection (port-0
 * ports come from the ephemeral range, which outgoing connections draw from too), and another test
 * process may pick it as well. A reserved port is instead:
 * - outside the kernel's ephemeral range (`/proc/sys/net/ipv4/ip_local_port_range`), so no
 *   outgoing connection can ever be given it, and a connection to it can never connect to itself;
 * - held by an exclusive reservation file (created with O_EXCL, holding the holder's pid) in one
 *   folder shared by every test process on the machine, so two processes never hold the same port;
 * - checked free (bound and closed) before it is handed out; ports in use are skipped.
 *
 * A reservation whose holder has died (or whose pid now belongs to another process) is taken over,
 * and every reservation a process still holds is released when it exits normally, so a leaked one
 * costs at most one skipped port. A "closed port" (nothing listens, and nothing will) is simply a
 * reserved port that is never listened on.
 *
 * @example
 * ```ts
 * using collector = reservePort();
 * const policy = `[collector]\nlisten = "127.0.0.1:${collector.port}"\n`;
 * // ... start the product on collector.port; the reservation ends with the scope.
 * ```
 */

/** A port held for this process until `release()` (or the end of a `using` scope). */
export interface ReservedPort extends Disposable {
  readonly port: number;
  /** Gives the port back (idempotent). */
  release(): void;
}

export interface ReservePortOptions {
  /**
   * Folder of reservation files, one per port. The default, `/tmp/beacon-test-ports`, is shared by
   * every test process on the machine; a unit test passes its own.
   */
  folder?: string;
  /**
   * Ports to try, in this order. The default is every port outside the ephemeral range (see
   * `portCandidates`), starting at a random one so concurrent processes rarely contend.
   */
  candidates?: readonly number[];
}

/** A range of ports, both ends included. */
export interface PortRange {
  first: number;
  last: number;
}

/** The folder every test process on this machine shares, whoever runs it. */
export const SHARED_RESERVATION_FOLDER = "/tmp/beacon-test-ports";

/** Below this, ports belong to well-known services that may start at any time. */
const LOWEST_CANDIDATE = 10_000;
const HIGHEST_PORT = 65_535;
/**
 * When the kernel's range cannot be read: Linux's default (32768-60999) and the IANA dynamic
 * range used by macOS and Windows (49152-65535) together.
 */
const FALLBACK_EPHEMERAL: PortRange = { first: 32_768, last: HIGHEST_PORT };
/** A reservation file still empty after this long belongs to a process that died mid-write. */
const HALF_WRITTEN_STALE_MS = 60_000;

/**
 * Reserves a loopback port outside the ephemeral range that no other test process holds and
 * nothing listens on. Throws when every candidate is taken.
 */
export function reservePort(options: ReservePortOptions = {}): ReservedPort {
  const folder = options.folder ?? SHARED_RESERVATION_FOLDER;
  ensureFolder(folder);
  const candidates = options.candidates ?? defaultCandidates();
  for (const port of candidates) {
    const path = `${folder}/${port}`;
    if (!claim(path, folder)) continue;
    if (!isFreeOnLoopback(port)) {
      // Someone outside the reservation scheme uses it: leave it to them.
      removeIfOurs(path);
      continue;
    }
    return holding(port, path);
  }
  throw new Error(
    `Cannot reserve a test port: all ${candidates.length} candidates are reserved in ${folder} ` +
      "or in use. Stop leftover test processes, or remove reservation files whose pid has exited.",
  );
}

/**
 * The kernel's ephemeral port range (`/proc/sys/net/ipv4/ip_local_port_range`), or undefined when
 * it cannot be read (not Linux, or /proc unavailable).
 */
export function ephemeralPortRange(
  text: string | undefined = readOptional("/proc/sys/net/ipv4/ip_local_port_range"),
): PortRange | undefined {
  const match = text?.trim().match(/^(\d+)\s+(\d+)$/);
  if (!match) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (!(first >= 1 && first <= last && last <= HIGHEST_PORT)) return undefined;
  return { first, last };
}

/**
 * Every port a test may reserve given the ephemeral range (`undefined`: unknown, assume
 * 32768-65535): the ones above it first (no service is expected there), then the ones below it
 * down to 10000. Pure; the order is ascending within each part.
 */
export function portCandidates(ephemeral: PortRange | undefined): number[] {
  const range = ephemeral ?? FALLBACK_EPHEMERAL;
  const out: number[] = [];
  for (let port = range.last + 1; port <= HIGHEST_PORT; port++) out.push(port);
  const lowest = range.first > LOWEST_CANDIDATE ? LOWEST_CANDIDATE : 1024;
  for (let port = lowest; port < range.first; port++) out.push(port);
  return out;
}

function defaultCandidates(): number[] {
  const all = portCandidates(ephemeralPortRange());
  const start = Math.floor(Math.random() * all.length);
  return [...all.slice(start), ...all.slice(0, start)];
}

// --- reservation files -------------------------------------------------------------------------

/** Ports this process holds, by reservation file, released at exit if a test forgot to. */
const held = new Map<string, string>();
let releaseAtExit = false;

function holding(port: number, path: string): ReservedPort {
  if (!releaseAtExit) {
    releaseAtExit = true;
    globalThis.addEventListener("unload", () => {
      for (const path of [...held.keys()]) removeIfOurs(path);
    });
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    removeIfOurs(path);
  };
  return { port, release, [Symbol.dispose]: release };
}

/** Creates the reservation file, or takes it over from a dead holder; false if it is held. */
function claim(path: string, folder: string): boolean {
  if (createExclusively(path)) return true;
  // Taking over is check-then-replace: serialise takers so two of them cannot both remove the
  // stale file and one remove the other's fresh reservation. Creators need no guard (O_EXCL).
  return withTakeoverGuard(folder, () => {
    if (!isStale(path)) return false;
    try {
      Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) return false; // another user's: leave it
    }
    return createExclusively(path);
  });
}

function createExclusively(path: string): boolean {
  const mine = `${identity()}\n`;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, createNew: true, mode: 0o644 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw new Error(
      `Cannot reserve a test port: cannot create "${path}" (${(error as Error).message}). ` +
        `The folder must be writable by every user running tests: chmod 1777 "${dirname(path)}".`,
    );
  }
  try {
    file.writeSync(new TextEncoder().encode(mine));
  } finally {
    file.close();
  }
  held.set(path, mine);
  return true;
}

function removeIfOurs(path: string): void {
  const mine = held.get(path);
  held.delete(path);
  if (mine === undefined || readOptional(path) !== mine) return;
  try {
    Deno.removeSync(path);
  } catch {
    // Already gone.
  }
}

/** The reservation's holder is gone (or it was never finished being written, long ago). */
function isStale(path: string): boolean {
  const text = readOptional(path);
  if (text === undefined) return true;
  const holder = parseIdentity(text);
  if (!holder) {
    try {
      return Date.now() - (Deno.statSync(path).mtime?.getTime() ?? 0) > HALF_WRITTEN_STALE_MS;
    } catch {
      return true;
    }
  }
  return !isAlive(holder);
}

function withTakeoverGuard<T>(folder: string, work: () => T): T {
  const path = `${folder}/.takeover.lock`;
  let guard: Deno.FsFile;
  try {
    guard = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o666 });
  } catch {
    guard = Deno.openSync(path, { read: true }); // another user's guard: flock needs no write
  }
  try {
    guard.lockSync(true); // released by the kernel if this process dies holding it
    return work();
  } finally {
    guard.close();
  }
}

const ensured = new Set<string>();

function ensureFolder(folder: string): void {
  if (ensured.has(folder)) return;
  ensured.add(folder);
  try {
    Deno.mkdirSync(folder, { recursive: true });
    // Every user's test processes reserve here; the sticky bit keeps their files their own.
    if (Deno.statSync(folder).uid === Deno.uid()) Deno.chmodSync(folder, 0o1777);
  } catch {
    // Someone else's folder: createExclusively explains if it is not writable.
  }
}

// --- who holds a reservation -------------------------------------------------------------------

interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot the process started (/proc/PID/stat field 22): tells pid reuse apart. */
  startTime?: string;
  bootId?: string;
}

function identity(): string {
  const self: ProcessIdentity = {
    pid: Deno.pid,
    startTime: startTimeOf(Deno.pid),
    bootId: readOptional("/proc/sys/kernel/random/boot_id")?.trim(),
  };
  return JSON.stringify(self);
}

function parseIdentity(text: string): ProcessIdentity | undefined {
  try {
    const value = JSON.parse(text);
    return Number.isInteger(value?.pid) && value.pid > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: ProcessIdentity): boolean {
  const bootId = readOptional("/proc/sys/kernel/random/boot_id")?.trim();
  if (holder.bootId && bootId && holder.bootId !== bootId) return false;
  if (readOptional("/proc/self/stat") !== undefined) {
    const stat = readOptional(`/proc/${holder.pid}/stat`);
    if (stat === undefined) return false;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return false; // exited, not yet reaped
    return holder.startTime === undefined || fields[19] === holder.startTime;
  }
  // No /proc (not Linux): ask kill(pid, 0).
  return new Deno.Command("kill", { args: ["-0", String(holder.pid)], stderr: "null" })
    .outputSync().success;
}

function startTimeOf(pid: number): string | undefined {
  const stat = readOptional(`/proc/${pid}/stat`);
  // Fields after the command name, which may itself hold spaces and parentheses.
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

// --- small helpers -----------------------------------------------------------------------------

function isFreeOnLoopback(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

function readOptional(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
