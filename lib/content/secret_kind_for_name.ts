/**
 * The `[REDACTED:<kind>]` kind for a value found under a secret name: `aws-secret-key` for AWS
 * secret access keys (`aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`), `secret` otherwise.
 *
 * @example
 * ```ts
 * secretKindForName("aws_secret_access_key"); // "aws-secret-key"
 * secretKindForName("DB_PASSWORD"); // "secret"
 * ```
 */
export function secretKindForName(name: string): string {
  return /aws/i.test(name) && /secret/i.test(name) ? "aws-secret-key" : "secret";
}
