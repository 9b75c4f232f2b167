/** A `host:port` listen address split for `listen()`. */
export interface ListenAddress {
  hostname: string;
  port: number;
}

/**
 * Parses `127.0.0.1:4318`, `localhost:4318` or `[::1]:4318` (port 0 picks a free port).
 *
 * @example
 * ```ts
 * parseListenAddress("[::1]:4317"); // { hostname: "::1", port: 4317 }
 * ```
 */
export function parseListenAddress(address: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(address.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(
      `"${address}" is not a listen address: write host:port, e.g. 127.0.0.1:4318 or [::1]:4318.`,
    );
  }
  return { hostname: match[1] ?? match[2], port };
}

/** The address as people write it. */
export function formatListenAddress({ hostname, port }: ListenAddress): string {
  return hostname.includes(":") ? `[${hostname}]:${port}` : `${hostname}:${port}`;
}
