/** Shared fixtures of the endpoint service tests: a temporary host, specs, hostile strings. */
import type { Host } from "../../../lib/host/host.ts";
import type { CollectorServiceSpec } from "../../../lib/endpoint/service/collector_service_spec.ts";

/** A host whose home and system root are fresh temporary folders. */
export async function temporaryHost(
  options: { os?: string; env?: Record<string, string> } = {},
): Promise<Host & AsyncDisposable> {
  const base = await Deno.makeTempDir({ prefix: "beacon-service-" });
  await Deno.mkdir(`${base}/home`);
  await Deno.mkdir(`${base}/root`);
  return {
    home: `${base}/home`,
    cwd: base,
    systemRoot: `${base}/root`,
    os: options.os ?? "linux",
    env: options.env ?? {},
    now: () => new Date("2025-01-02T03:04:05Z"),
    async [Symbol.asyncDispose]() {
      await Deno.remove(base, { recursive: true });
    },
  };
}

/** A user-mode spec on a fixed, made-up machine (for golden text). */
export const USER_SPEC: CollectorServiceSpec = {
  mode: "user",
  executable: "/usr/local/bin/beacon",
  args: ["collector", "run", "--policy", "/home/ada/.beacon/policy.toml"],
  env: { HOME: "/home/ada" },
  label: "dev.asymptote.beacon.collector",
  logFile: "/home/ada/.beacon/endpoint/logs/collector.log",
  workingDirectory: "/home/ada/.beacon/endpoint",
};

/** The system-mode counterpart of {@link USER_SPEC}. */
export const SYSTEM_SPEC: CollectorServiceSpec = {
  mode: "system",
  executable: "/usr/local/bin/beacon",
  args: ["collector", "run", "--policy", "/etc/beacon/policy.toml"],
  env: { HOME: "/root" },
  label: "dev.asymptote.beacon.collector",
  logFile: "/var/log/beacon-agent/collector.log",
  workingDirectory: "/var/lib/beacon-agent",
  writablePaths: ["/srv/beacon logs"],
};

/** Strings that break naive quoting in unit files, shells and XML. */
export const HOSTILE_STRINGS: string[] = [
  "two words",
  '"double" quotes',
  "'single' quotes",
  "back\\slash",
  "trailing\\",
  "\\",
  "100% %h %%",
  "$HOME ${HOME} $$ $",
  ";",
  "\\;",
  "",
  " leading and trailing ",
  "new\nline",
  "tab\there",
  "carriage\rreturn",
  "<tag attr='x'>&amp; & </tag>",
  "]]> <![CDATA[",
  "ünïcødé ✓ 日本語 🎉",
  "-dash",
  "@at",
  "--policy=/tmp/a b/policy.toml",
  "#not a comment",
  "a=b",
];
