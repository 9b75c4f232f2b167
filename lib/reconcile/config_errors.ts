/** A config file that is not valid TOML: never rewritten. */
export class ConfigSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(
      `${path}:${line}:${column}: ${detail}\n` +
        `This file is not valid TOML, so Beacon did not change it. Fix it and run again.`,
    );
    this.name = "ConfigSyntaxError";
  }
}

/** A config file Beacon may not or cannot write. Nothing was changed. */
export class ConfigNotWritableError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Cannot update "${path}": ${reason}. Nothing was changed.`);
    this.name = "ConfigNotWritableError";
  }
}

/** A saved plan whose file changed after it was planned. */
export class StalePlanError extends Error {
  constructor(readonly path: string) {
    super(
      `"${path}" changed after the plan was made, so the plan was not applied (nothing was ` +
        `changed). Run \`beacon apply --plan\` again to see the current changes.`,
    );
    this.name = "StalePlanError";
  }
}
