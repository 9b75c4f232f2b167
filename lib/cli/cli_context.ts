import type { Host } from "../host/host.ts";
import type { FileSystem } from "../reconcile/file_system.ts";

/** What commands get from the edge: the host, the file system and the output streams. */
export interface CliContext {
  host: Host;
  fs: FileSystem;
  stdout(text: string): void;
  stderr(text: string): void;
}
