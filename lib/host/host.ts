/**
 * What Beacon knows about the machine it runs on, read once at the edge (the CLI) and passed
 * down, so the core never reads `Deno.env` or the clock itself and tests can point every path at
 * a temporary folder.
 */
export interface Host {
  /** The user's home folder. */
  home: string;
  /** The current working folder (for project-level harness config). */
  cwd: string;
  /** Prefix for every system path (`/` in production; `BEACON_SYSTEM_ROOT` in tests). */
  systemRoot: string;
  /** `Deno.build.os`. */
  os: string;
  /** Environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** The current time. */
  now: () => Date;
}

/** Reads the real host from Deno's environment. */
export function readHost(): Host {
  const env = Deno.env.toObject();
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) {
    throw new Error("Cannot find your home folder: HOME is not set. Set HOME and try again.");
  }
  return {
    home,
    cwd: Deno.cwd(),
    systemRoot: env.BEACON_SYSTEM_ROOT || "/",
    os: Deno.build.os,
    env,
    now: () => new Date(),
  };
}
