import type { System } from "../host/system.ts";

/**
 * The home folder of the person using this machine, whose Codex config a system (root) install
 * manages: `$BEACON_CONSOLE_USER_HOME` when set; on macOS the owner of `/dev/console` (the
 * logged-in user, as MDM scripts find it); elsewhere the user who ran `sudo`; else HOME.
 */
export async function consoleUserHome({ host, run, fs }: System): Promise<string> {
  const override = host.env.BEACON_CONSOLE_USER_HOME;
  if (override) return override;
  let user: string | undefined;
  if (host.os === "darwin") {
    const result = await run("stat", ["-f", "%Su", "/dev/console"]);
    if (result.code === 0) user = result.stdout.trim();
  } else {
    user = host.env.SUDO_USER;
  }
  if (!user || user === "root") return host.home;
  return (await homeFromPasswd(fs, user)) ??
    (host.os === "darwin" ? `/Users/${user}` : `/home/${user}`);
}

async function homeFromPasswd(fs: System["fs"], user: string): Promise<string | undefined> {
  // No /etc/passwd on macOS, which keeps users in Directory Services.
  const bytes = await fs.readFile("/etc/passwd").catch(() => undefined);
  for (const line of new TextDecoder().decode(bytes ?? new Uint8Array()).split("\n")) {
    const fields = line.split(":");
    if (fields[0] === user && fields[5]) return fields[5];
  }
  return undefined;
}
