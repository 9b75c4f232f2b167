import { join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import { COLLECTOR_SERVICE_LABEL, type CollectorServiceSpec } from "./collector_service_spec.ts";

/**
 * Where the collector's launchd job lives: user mode
 * `~/Library/LaunchAgents/dev.asymptote.beacon.collector.plist`, system mode
 * `<root>/Library/LaunchDaemons/dev.asymptote.beacon.collector.plist`.
 */
export function launchdPlistPath(mode: "user" | "system", host: Host): string {
  return mode === "system"
    ? join(host.systemRoot, "Library", "LaunchDaemons", `${COLLECTOR_SERVICE_LABEL}.plist`)
    : join(host.home, "Library", "LaunchAgents", `${COLLECTOR_SERVICE_LABEL}.plist`);
}

/**
 * The launchd property list (XML, as `plutil` writes it) that runs the collector at load,
 * restarts it when it exits unsuccessfully, and appends its output to `spec.logFile`.
 *
 * Strings are XML-escaped; a carriage return is written as `&#13;` so XML parsing does not turn
 * it into a newline. Characters XML 1.0 cannot carry (NUL and most control characters, lone
 * surrogates) are refused with a TypeError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderLaunchdPlist } from "./render_launchd_plist.ts";
 * const plist = renderLaunchdPlist({
 *   mode: "user",
 *   executable: "/usr/local/bin/beacon",
 *   args: ["collector", "run", "--policy", "/Users/ada/R&D <policy>.toml"],
 *   env: {},
 *   label: "dev.asymptote.beacon.collector",
 *   logFile: "/Users/ada/.beacon/endpoint/logs/collector.log",
 *   workingDirectory: "/Users/ada/.beacon/endpoint",
 * });
 * assert.ok(plist.includes("<string>/Users/ada/R&amp;D &lt;policy&gt;.toml</string>"));
 * ```
 */
export function renderLaunchdPlist(spec: CollectorServiceSpec): string {
  if (!spec.executable.startsWith("/")) {
    throw new TypeError(
      `Cannot render the collector's launchd plist: the executable "${spec.executable}" must ` +
        "be an absolute path.",
    );
  }
  const string = (value: string) => `<string>${xmlText(value)}</string>`;
  const key = (name: string) => `<key>${xmlText(name)}</key>`;
  const env = Object.entries(spec.env).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" ' +
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    `\t${key("Label")}`,
    `\t${string(spec.label)}`,
    `\t${key("ProgramArguments")}`,
    "\t<array>",
    ...[spec.executable, ...spec.args].map((arg) => `\t\t${string(arg)}`),
    "\t</array>",
    `\t${key("EnvironmentVariables")}`,
    ...(env.length
      ? ["\t<dict>", ...env.flatMap(([n, v]) => [`\t\t${key(n)}`, `\t\t${string(v)}`]), "\t</dict>"]
      : ["\t<dict/>"]),
    `\t${key("WorkingDirectory")}`,
    `\t${string(spec.workingDirectory)}`,
    `\t${key("RunAtLoad")}`,
    "\t<true/>",
    `\t${key("KeepAlive")}`,
    "\t<dict>",
    `\t\t${key("SuccessfulExit")}`,
    "\t\t<false/>",
    "\t</dict>",
    `\t${key("ProcessType")}`,
    `\t${string("Standard")}`,
    `\t${key("StandardOutPath")}`,
    `\t${string(spec.logFile)}`,
    `\t${key("StandardErrorPath")}`,
    `\t${string(spec.logFile)}`,
    "</dict>",
    "</plist>",
    "",
  ];
  return lines.join("\n");
}

// deno-lint-ignore no-control-regex
const NOT_IN_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

function xmlText(value: string): string {
  if (NOT_IN_XML.test(value) || !value.isWellFormed()) {
    throw new TypeError(
      `Cannot write ${JSON.stringify(value)} into a launchd plist: XML cannot hold its control ` +
        "characters or lone surrogates.",
    );
  }
  return value.replace(/[&<>\r]/g, (char) => XML_ESCAPES[char]);
}

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\r": "&#13;",
};
