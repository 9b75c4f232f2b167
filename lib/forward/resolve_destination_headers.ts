/**
 * A destination's headers and TLS files, read when a batch is sent (so a rotated token in a
 * file or a restarted service's environment is picked up without a restart of Beacon).
 *
 * @module
 */
import type { Destination } from "../policy/policy_schema.ts";
import type { SendTls } from "./send_otlp_logs.ts";

/** Where secrets come from; tests pass their own. */
export interface SecretSources {
  env(name: string): string | undefined;
  readTextFile(path: string): Promise<string>;
}

/** The real environment and file system. */
export const REAL_SECRET_SOURCES: SecretSources = {
  env: (name) => Deno.env.get(name),
  readTextFile: (path) => Deno.readTextFile(path),
};

/**
 * The header values of `destination`, each read from its environment variable or file (one
 * line: a trailing newline is dropped) with its `prefix`. Throws a message for people naming the
 * destination and header (never the value) when a variable is unset or a file unreadable.
 */
export async function resolveDestinationHeaders(
  destination: Destination,
  sources: SecretSources = REAL_SECRET_SOURCES,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(destination.headers)) {
    const where = `destinations "${destination.name}" header "${name}"`;
    let value: string | undefined;
    if (source.env !== undefined) {
      value = sources.env(source.env);
      if (value === undefined || value === "") {
        throw new Error(
          `Cannot send to ${destination.name}: ${where} comes from $${source.env}, which is not set`,
        );
      }
    } else {
      try {
        value = (await sources.readTextFile(source.file!)).replace(/\r?\n$/, "");
      } catch (error) {
        throw new Error(
          `Cannot send to ${destination.name}: ${where} comes from "${source.file}", which cannot be read (${
            (error as Error).message
          })`,
        );
      }
    }
    if (/[\r\n]/.test(value)) {
      throw new Error(`Cannot send to ${destination.name}: ${where} holds a line break`);
    }
    headers[name.toLowerCase()] = (source.prefix ?? "") + value;
  }
  return headers;
}

/** The TLS files of `destination`, read. Throws naming the file that cannot be read. */
export async function resolveDestinationTls(
  destination: Destination,
  sources: SecretSources = REAL_SECRET_SOURCES,
): Promise<SendTls> {
  const read = async (key: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    try {
      return await sources.readTextFile(path);
    } catch (error) {
      throw new Error(
        `Cannot send to ${destination.name}: tls.${key} "${path}" cannot be read (${
          (error as Error).message
        })`,
      );
    }
  };
  const { tls } = destination;
  return {
    ca: await read("ca_file", tls.ca_file),
    cert: await read("cert_file", tls.cert_file),
    key: await read("key_file", tls.key_file),
    serverName: tls.server_name,
  };
}

/** The URL to POST to: the endpoint, with `/v1/logs` when it has no path. */
export function logsUrlOf(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/logs";
  return url.toString();
}
