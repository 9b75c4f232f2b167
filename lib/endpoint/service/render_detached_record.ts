import type { CollectorServiceSpec } from "./collector_service_spec.ts";

/**
 * The background-process record: the spec as stable JSON (keys of `env` sorted), so an
 * unchanged spec renders byte-identical text.
 */
export function renderDetachedRecord(spec: CollectorServiceSpec): string {
  const env = Object.fromEntries(
    Object.entries(spec.env).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0),
  );
  const record = {
    mode: spec.mode,
    executable: spec.executable,
    args: spec.args,
    env,
    label: spec.label,
    logFile: spec.logFile,
    workingDirectory: spec.workingDirectory,
    ...(spec.writablePaths ? { writablePaths: spec.writablePaths } : {}),
  };
  return JSON.stringify(record, null, 2) + "\n";
}
