import { dirname, join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import { COLLECTOR_SYSTEMD_UNIT, type CollectorServiceSpec } from "./collector_service_spec.ts";
import {
  escapeSystemdPath,
  quoteSystemdEnvironment,
  quoteSystemdExecArgument,
  quoteSystemdPathListItem,
} from "./systemd_escape.ts";

/**
 * Where the collector's unit lives: user mode `~/.config/systemd/user/beacon-collector.service`,
 * system mode `<root>/etc/systemd/system/beacon-collector.service`.
 */
export function systemdUnitPath(mode: "user" | "system", host: Host): string {
  return mode === "system"
    ? join(host.systemRoot, "etc", "systemd", "system", COLLECTOR_SYSTEMD_UNIT)
    : join(host.home, ".config", "systemd", "user", COLLECTOR_SYSTEMD_UNIT);
}

/**
 * The systemd unit that runs the collector: restarted on failure, stopped with SIGTERM (the
 * collector finishes in-flight requests and exits 0), its output appended to `spec.logFile`.
 * A system unit is also sandboxed: the file system is read-only except the folders of the log
 * file, the working folder and `spec.writablePaths`.
 *
 * Every value is escaped so systemd reads back exactly the spec's strings; a value systemd
 * cannot represent (NUL, a relative path) is refused with a TypeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSystemdUnit } from "./render_systemd_unit.ts";
 * const unit = renderSystemdUnit({
 *   mode: "user",
 *   executable: "/usr/local/bin/beacon",
 *   args: ["collector", "run", "--policy", "/home/ada/my policy.toml"],
 *   env: { HOME: "/home/ada" },
 *   label: "dev.asymptote.beacon.collector",
 *   logFile: "/home/ada/.beacon/endpoint/logs/collector.log",
 *   workingDirectory: "/home/ada/.beacon/endpoint",
 * });
 * assert.ok(unit.includes('ExecStart=/usr/local/bin/beacon collector run --policy "/home/ada/my policy.toml"\n'));
 * ```
 */
export function renderSystemdUnit(spec: CollectorServiceSpec): string {
  if (!spec.executable.startsWith("/")) {
    throw new TypeError(
      `Cannot render the collector's systemd unit: the executable "${spec.executable}" must be ` +
        "an absolute path.",
    );
  }
  const system = spec.mode === "system";
  const execStart = [spec.executable, ...spec.args].map(quoteSystemdExecArgument).join(" ");
  const lines = [
    "# Written by `beacon endpoint install`; `beacon endpoint repair` rewrites it.",
    "[Unit]",
    "Description=Beacon collector (local OTLP receiver for AI agent telemetry)",
    ...(system ? ["After=network.target"] : []),
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${execStart}`,
    `WorkingDirectory=${escapeSystemdPath(spec.workingDirectory)}`,
    ...Object.entries(spec.env)
      .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
      .map(([name, value]) => `Environment=${quoteSystemdEnvironment(name, value)}`),
    "Restart=on-failure",
    "RestartSec=2",
    "KillSignal=SIGTERM",
    "TimeoutStopSec=15",
    `StandardOutput=append:${escapeSystemdPath(spec.logFile)}`,
    `StandardError=append:${escapeSystemdPath(spec.logFile)}`,
  ];
  if (system) {
    const writable = [
      ...new Set([dirname(spec.logFile), spec.workingDirectory, ...(spec.writablePaths ?? [])]),
    ];
    lines.push(
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      `ReadWritePaths=${writable.map(quoteSystemdPathListItem).join(" ")}`,
      "PrivateTmp=yes",
    );
  }
  lines.push(
    "",
    "[Install]",
    `WantedBy=${system ? "multi-user.target" : "default.target"}`,
    "",
  );
  return lines.join("\n");
}
