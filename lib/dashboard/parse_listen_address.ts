/**
 * The dashboard's `--listen` address: loopback only. The dashboard shows what coding agents did
 * on this machine (commands, paths, kept prompts), so it is never offered to the network.
 *
 * @module
 */

/** A checked listen address. */
export interface ListenAddress {
  /** What to bind: an IP literal (`127.0.0.1`, `::1`). */
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** The Host header names that reach this address, without the port (`127.0.0.1`, `localhost`, `[::1]`). */
  hostNames: string[];
}

/** The default `--listen`. */
export const DEFAULT_DASHBOARD_LISTEN = "127.0.0.1:8765";

/**
 * Parses `HOST:PORT`; the host must be a loopback address (`127.0.0.0/8`, `[::1]` or
 * `localhost`). Throws an error for people naming what was refused and why.
 *
 * @example
 * ```ts
 * import { parseListenAddress } from "./parse_listen_address.ts";
 * parseListenAddress("127.0.0.1:8765"); // { hostname: "127.0.0.1", port: 8765, ... }
 * parseListenAddress("0.0.0.0:8765"); // throws: listens on every network interface
 * ```
 */
export function parseListenAddress(text: string): ListenAddress {
  const match = text.match(/^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/);
  if (!match) {
    throw new Error(
      `Cannot listen on "${text}": expected HOST:PORT, such as 127.0.0.1:8765 or [::1]:8765`,
    );
  }
  const host = (match[1] ?? match[2]).toLowerCase();
  const port = Number(match[3]);
  if (port > 65535) throw new Error(`Cannot listen on "${text}": ${port} is not a port (0-65535)`);
  const refuse = (why: string) =>
    new Error(
      `Cannot listen on "${text}": ${why}. The dashboard shows what coding agents did on this ` +
        "machine, so it listens on loopback only: use 127.0.0.1, [::1] or localhost.",
    );
  if (host === "localhost") {
    return { hostname: "127.0.0.1", port, hostNames: ["127.0.0.1", "localhost", "[::1]"] };
  }
  if (host === "::1" && match[1] !== undefined) {
    return { hostname: "::1", port, hostNames: ["[::1]", "localhost", "127.0.0.1"] };
  }
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) && host.split(".").every((n) => +n <= 255)) {
    const names = new Set([host, "localhost", "127.0.0.1", "[::1]"]);
    return { hostname: host, port, hostNames: [...names] };
  }
  if (host === "" || host === "0.0.0.0" || host === "::" || host === "*") {
    throw refuse(`"${host || "(empty)"}" listens on every network interface`);
  }
  throw refuse(`${host} is not a loopback address`);
}
