/** Signal numbers that are the same on Linux and macOS. */
const PORTABLE: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * The number of a signal, for a shell's `128 + N` exit code of a killed process; 0 when it is
 * not known. SIGBUS differs between the systems (7 on Linux, 10 on macOS).
 *
 * @example
 * ```ts
 * import { signalNumber } from "./signal_number.ts";
 * signalNumber("SIGTERM"); // 15
 * signalNumber("SIGBUS", "darwin"); // 10
 * ```
 */
export function signalNumber(signal: string, os: string = Deno.build.os): number {
  if (signal === "SIGBUS") return os === "darwin" ? 10 : 7;
  return PORTABLE[signal] ?? 0;
}
