import type { Host } from "../host/host.ts";
import type { CommandRunner } from "./service/run_command.ts";

/**
 * The home folder of the person using this machine, whose Codex config a system (root) install
 * manages: `$BEACON_CONSOLE_USER_HOME` when set; on macOS the owner of `/dev/console` (the
 * logged-in user, as MDM scripts find it); elsewhere the user who ran `sudo`; else HOME.
 */
export async function consoleUserHome(host: Host, run: CommandRunner): Promise<string> {
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
  return (await homeFromPasswd(user)) ??
    (host.os === "darwin" ? `/Users/${user}` : `/home/${user}`);
}

async function homeFromPasswd(user: string): Promise<string | undefined> {
  try {
    for (const line of (await Deno.readTextFile("/etc/passwd")).split("\n")) {
      const fields = line.split(":");
      if (fields[0] === user && fields[5]) return fields[5];
    }
  } catch {
    // no /etc/passwd (macOS keeps users in Directory Services)
  }
  return undefined;
}
