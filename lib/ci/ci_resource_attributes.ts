import type { CiRunContext } from "./ci_run_context.ts";

/** The prefix of the resource attributes Beacon adds for a CI run. */
export const CI_ATTRIBUTE_PREFIX = "beacon.ci.";

/**
 * `OTEL_RESOURCE_ATTRIBUTES` with the run context appended (`beacon.ci.provider=...,
 * beacon.ci.repository=...`) after the `existing` value, which is kept except for earlier
 * `beacon.ci.*` pairs (a second `ci start` in the same job replaces them). Values are
 * percent-encoded as the OpenTelemetry specification asks (W3C Baggage octets): anything outside
 * printable ASCII, and space, `"`, `,`, `;`, `\`, `%` and `=`, so a value can never break the
 * list apart or hold a newline.
 *
 * @example
 * ```ts
 * ciResourceAttributes({ provider: "github-actions", ref: "refs/heads/a b" }, "team=ml");
 * // "team=ml,beacon.ci.provider=github-actions,beacon.ci.ref=refs/heads/a%20b"
 * ```
 */
export function ciResourceAttributes(context: CiRunContext, existing = ""): string {
  const kept = existing.split(",").map((pair) => pair.trim()).filter((pair) =>
    pair !== "" && !pair.startsWith(CI_ATTRIBUTE_PREFIX)
  );
  const ours = Object.entries(context)
    .filter(([, value]) => typeof value === "string")
    .map(([key, value]) => `${CI_ATTRIBUTE_PREFIX}${key}=${percentEncode(value as string)}`);
  return [...kept, ...ours].join(",");
}

/** Percent-encodes every UTF-8 byte that is not a W3C Baggage value octet, and `%` and `=`. */
export function percentEncode(value: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const safe = byte >= 0x21 && byte <= 0x7e && byte !== 0x22 && byte !== 0x2c &&
      byte !== 0x3b && byte !== 0x5c && byte !== 0x25 && byte !== 0x3d;
    out += safe
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
