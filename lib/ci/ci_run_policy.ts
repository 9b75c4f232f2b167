import type { Policy } from "../policy/policy_schema.ts";
import type { TomlValue } from "../toml/toml_value.ts";
import { formatTomlKey, formatTomlValue } from "../toml/format_toml_value.ts";

/** What makes a policy one CI run's own. */
export interface CiRunSettings {
  /** The run collector's OTLP/HTTP port on 127.0.0.1. */
  port: number;
  /** Its OTLP/gRPC port, when the policy's transport is gRPC. */
  grpcPort?: number;
  /** The run's runtime log. */
  logPath: string;
  /** The run's token (written into Codex's exporter headers, required by the collector). */
  token: string;
}

/**
 * The policy a CI run works with: the chosen policy with the run's own collector (loopback, the
 * run's ports, the run's token), the run's runtime log, and user mode. Content rules, transport
 * and gates stay as the policy says.
 */
export function ciRunPolicy(policy: Policy, settings: CiRunSettings): Policy {
  const copy = structuredClone(policy);
  copy.endpoint.mode = "user";
  copy.collector.listen = `127.0.0.1:${settings.port}`;
  copy.collector.allow_non_loopback = false;
  copy.collector.token = settings.token;
  if (settings.grpcPort !== undefined) {
    copy.collector.grpc = true;
    copy.collector.grpc_listen = `127.0.0.1:${settings.grpcPort}`;
  } else {
    copy.collector.grpc = false;
  }
  copy.runtime_log.path = settings.logPath;
  return copy;
}

/**
 * The policy as a TOML file for the run's collector, without the token (the collector reads it
 * from the token file, so it is in one place that `ci finish` removes).
 */
export function ciRunPolicyToml(policy: Policy): string {
  const { token: _token, ...collector } = policy.collector;
  const table = JSON.parse(JSON.stringify({ ...policy, collector })) as Record<string, TomlValue>;
  const lines = ["# The policy of one `beacon ci` run, written by `beacon ci start`."];
  for (const [key, value] of Object.entries(table)) {
    lines.push(`${formatTomlKey(key)} = ${formatTomlValue(value)}`);
  }
  return lines.join("\n") + "\n";
}
