/** A configuration file that is not UTF-8 text: never edited. */
export class ConfigEncodingError extends Error {
  constructor(readonly path: string) {
    super(
      `Cannot read "${path}": it is not valid UTF-8 text. Beacon will not edit it; ` +
        `fix or re-save the file as UTF-8 and try again.`,
    );
    this.name = "ConfigEncodingError";
  }
}

/**
 * Decodes a config file's bytes, keeping a leading BOM as U+FEFF so that writing the text back
 * reproduces it byte for byte. With `strict`, invalid UTF-8 throws {@link ConfigEncodingError};
 * otherwise it is replaced (for read-only inspection).
 */
export function decodeConfigText(
  bytes: Uint8Array,
  path: string,
  options: { strict: boolean } = { strict: true },
): string {
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true, fatal: options.strict }).decode(bytes);
  } catch {
    throw new ConfigEncodingError(path);
  }
}
