/**
 * Beacon's exit codes. `apply --plan` follows Terraform's `-detailed-exitcode`: 2 means "there
 * are changes", which shares its number with a usage error; both mean "look before relying on
 * this machine's state".
 */
export const EXIT = {
  /** Done; or, for a plan, nothing to change. */
  ok: 0,
  /** Something failed; the message says what and what to do. Nothing was half-written. */
  error: 1,
  /** A usage error (unknown command or flag, missing argument); or a plan with changes. */
  usage: 2,
  changes: 2,
  /** Needs attention: conflicts left alone, or (status) drift, a stopped collector, warnings. */
  attention: 3,
} as const;
