/**
 * Whether an OTLP endpoint a harness exports to is Beacon's collector.
 *
 * @module
 */

import { parseListenAddress } from "../collector/parse_listen_address.ts";

/** The collector's default listen addresses: OTLP/HTTP and gRPC (the policy's defaults). */
export const DEFAULT_BEACON_ADDRESSES: readonly string[] = ["127.0.0.1:4318", "127.0.0.1:4317"];

const LOOPBACK = new Set(["127.0.0.1", "::1"]);

/**
 * True when `endpoint` (a URL such as `http://127.0.0.1:4318/v1/logs`) reaches one of the
 * collector's listen `addresses` (`host:port`, as the policy writes `collector.listen`). The
 * host and port decide, not the path. `localhost` counts as a loopback listen address, since a
 * client tries both the IPv4 and the IPv6 loopback for it. A URL that does not parse, or that
 * is not plain `http` (the collector serves no TLS), is not Beacon.
 *
 * @example
 * ```ts
 * import { pointsAtBeacon } from "./points_at_beacon.ts";
 *
 * pointsAtBeacon("http://127.0.0.1:4318/v1/logs"); // true
 * pointsAtBeacon("https://otel.example.com/v1/logs"); // false
 * pointsAtBeacon("http://localhost:9999/v1/logs", ["127.0.0.1:9999"]); // true
 * ```
 */
export function pointsAtBeacon(
  endpoint: string,
  addresses: readonly string[] = DEFAULT_BEACON_ADDRESSES,
): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== "http:") return false;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  const port = url.port === "" ? 80 : Number(url.port);
  return addresses.some((address) => {
    let listen;
    try {
      listen = parseListenAddress(address);
    } catch {
      return false;
    }
    if (listen.port !== port) return false;
    const listenHost = listen.hostname.toLowerCase();
    if (listenHost === host) return true;
    return host === "localhost" && LOOPBACK.has(listenHost) ||
      listenHost === "localhost" && LOOPBACK.has(host);
  });
}
