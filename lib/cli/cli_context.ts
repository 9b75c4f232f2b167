import type { System } from "../host/system.ts";

/**
 * What commands get from the edge: the {@link System} (host, file system, process runner) every
 * side effect goes through, and the output streams.
 */
export interface CliContext extends System {
  stdout(text: string): void;
  stderr(text: string): void;
}
