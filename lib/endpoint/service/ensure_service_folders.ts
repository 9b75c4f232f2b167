import { dirname } from "../../host/file_path.ts";
import type { CollectorServiceSpec } from "./collector_service_spec.ts";
import type { ServiceFiles } from "./service_files.ts";

/**
 * Creates the folders a service needs before it starts: the definition's folder (e.g.
 * `~/.config/systemd/user`), the log file's folder, the working folder and `spec.writablePaths`.
 * Service managers do not create them: systemd fails a unit whose `append:` log folder or
 * `ReadWritePaths=` folder is missing. New folders are 0700 in user mode; in system mode 0755
 * for the definition's folder (service managers read it) and 0750 for the collector's own.
 */
export async function ensureServiceFolders(
  files: ServiceFiles,
  spec: CollectorServiceSpec,
  definitionPath: string,
): Promise<void> {
  const system = spec.mode === "system";
  await files.ensureDir(dirname(definitionPath), system ? 0o755 : 0o700);
  const own = new Set([
    dirname(spec.logFile),
    spec.workingDirectory,
    ...(spec.writablePaths ?? []),
  ]);
  for (const folder of own) await files.ensureDir(folder, system ? 0o750 : 0o700);
}
