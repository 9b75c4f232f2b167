/**
 * Which arguments of which command-line programs are secrets: the table
 * `findSecretArguments` reads. Options whose names say they hold a secret (`--password`,
 * `--token`, `--api-key`, see `isSecretName`) are secrets for every program and need no entry;
 * this table adds what a name cannot tell: short options (`-p` is a password for
 * `docker login` and a port for `docker run`), positions (`cargo login TOKEN`), `KEY VALUE`
 * pairs (`aws configure set aws_secret_access_key VALUE`), and which part of a value is the
 * secret (`curl -u user:PASSWORD`).
 *
 * @module
 */

/** Which part of an option's value is the secret; the rest stays readable. */
export type SecretValueShape =
  /** All of it. */
  | "whole"
  /** After the first `:` (`user:password`); nothing without a `:` (the program prompts). */
  | "after-colon"
  /** After the first `=` (`key=value`). */
  | "after-equals"
  /** After the first `%` (`user%password`, smbclient). */
  | "after-percent"
  /** After `pass:` (OpenSSL's `pass:password`; `env:`, `file:`, `fd:` and `stdin` name a source). */
  | "after-pass-prefix";

/** A key whose value is a secret in a `KEY VALUE` pair (beyond the names `isSecretName` knows). */
export interface SecretKey {
  pattern: RegExp;
  /**
   * Which of the words after the key is the secret (0 is the first). Without it, every word
   * after the key up to the next option is.
   */
  valueIndex?: number;
}

/** Where the secret arguments of some programs are. */
export interface SecretArgumentRule {
  /**
   * The programs, as named on the command line (a path ending in the name counts too). `*`
   * means any program: the rule then starts at its `subcommand` wherever that word appears.
   */
  programs: readonly string[];
  /** A word that must come after the program and before the secret (`login`, `secret`). */
  subcommand?: string;
  /**
   * Options whose value is a secret, given as the next word (`-p VALUE`), attached to a
   * one-letter option (`-pVALUE`) or after `=` (`--password=VALUE`). A next word that starts
   * with `-` is another option: the program prompts.
   */
  options?: readonly string[];
  /**
   * The program's options are single-dash words (`-passin`, `-key`), so `-kVALUE` is never `-k`
   * with a value attached: values only come as the next word.
   */
  separateValues?: true;
  /**
   * One-letter options whose value counts only when attached (`mysql -pVALUE`): alone they make
   * the program prompt, and the next word is something else (for mysql, the database).
   */
  attachedOptions?: readonly string[];
  /** Which part of an option's value is the secret; `whole` when absent. */
  shape?: SecretValueShape;
  /**
   * Every positional argument after the subcommand is a secret (`cargo login TOKEN`), except
   * `key=value` words (`vault login -method=userpass username=me`).
   */
  positional?: true;
  /**
   * The words after the subcommand are `KEY VALUE` (`config set KEY VALUE`, fish's
   * `set -gx KEY VALUE`): the value is a secret when the key is a secret name or one of
   * `secretKeys`.
   */
  keyValue?: true;
  /** Keys that hold secrets though `isSecretName` does not say so. */
  secretKeys?: readonly SecretKey[];
  /**
   * The program reads a secret from standard input: text piped in from `echo`/`printf` or given
   * in a here-string is the secret (`echo TOKEN | cargo login`).
   */
  stdin?: true;
}

/** Container registries and platforms whose `login` takes `-p PASSWORD`. */
const REGISTRY_LOGINS = [
  "docker",
  "podman",
  "nerdctl",
  "buildah",
  "skopeo",
  "helm",
  "oras",
  "crane",
  "regctl",
  "az",
  "oc",
  "cf",
  "ibmcloud",
];

/** The MySQL and MariaDB clients: `-pPASSWORD` attached; `-p` alone prompts. */
const MYSQL_CLIENTS = [
  "mysql",
  "mysqldump",
  "mysqladmin",
  "mysqlimport",
  "mysqlshow",
  "mysqlcheck",
  "mysqlslap",
  "mysqlsh",
  "mariadb",
  "mariadb-dump",
  "mariadb-admin",
  "mariadb-import",
  "mariadb-show",
  "mariadb-check",
];

/** The MongoDB shells and tools: `-p PASSWORD`. */
const MONGO_CLIENTS = [
  "mongosh",
  "mongo",
  "mongodump",
  "mongorestore",
  "mongoexport",
  "mongoimport",
  "mongostat",
  "mongotop",
  "mongofiles",
];

const LDAP_CLIENTS = [
  "ldapsearch",
  "ldapadd",
  "ldapmodify",
  "ldapdelete",
  "ldapwhoami",
  "ldapcompare",
  "ldapmodrdn",
  "ldapexop",
  "ldappasswd",
];

/** The table. Order does not matter: every rule that applies is used. */
export const SECRET_ARGUMENT_RULES: readonly SecretArgumentRule[] = [
  // Registries and platforms: `docker login -u me -p PASSWORD registry`.
  { programs: REGISTRY_LOGINS, subcommand: "login", options: ["-p", "--password"] },
  // Any other program's `login -u USER -p PASSWORD` (cf, oc, crane auth, vendor CLIs).
  { programs: ["*"], subcommand: "login", options: ["-p"] },
  { programs: ["glab"], subcommand: "login", options: ["-t"] },
  { programs: ["doctl"], subcommand: "auth", options: ["-t"] },
  { programs: ["twine"], options: ["-p"] },
  // Databases.
  { programs: MYSQL_CLIENTS, attachedOptions: ["-p"] },
  { programs: MONGO_CLIENTS, options: ["-p"] },
  { programs: ["redis-cli", "valkey-cli", "keydb-cli"], options: ["-a"] },
  { programs: LDAP_CLIENTS, options: ["-w"] },
  { programs: ["ldappasswd"], options: ["-s"] },
  { programs: ["sqlcmd", "bcp", "osql"], options: ["-P"] },
  // Remote shells, archives, keys and certificates.
  { programs: ["sshpass"], options: ["-p"] },
  { programs: ["zip", "unzip", "zipcloak"], options: ["-P"] },
  { programs: ["7z", "7za", "7zr", "7zz", "unrar", "rar"], attachedOptions: ["-p"] },
  {
    programs: ["openssl"],
    options: ["-passin", "-passout", "-pass"],
    shape: "after-pass-prefix",
    separateValues: true,
  },
  { programs: ["openssl"], options: ["-k", "-K"], separateValues: true },
  {
    programs: ["keytool", "jarsigner"],
    options: [
      "-storepass",
      "-keypass",
      "-srcstorepass",
      "-deststorepass",
      "-srckeypass",
      "-destkeypass",
      "-new",
    ],
    separateValues: true,
  },
  {
    programs: ["smbclient", "rpcclient", "smbcacls"],
    options: ["-U", "--user"],
    shape: "after-percent",
  },
  // HTTP clients: `curl -u user:PASSWORD`.
  {
    programs: ["curl"],
    options: ["-u", "--user", "-U", "--proxy-user"],
    shape: "after-colon",
  },
  // Secrets stored by a CLI: every literal of a Kubernetes secret, a GitHub Actions secret.
  {
    programs: ["kubectl", "oc"],
    subcommand: "secret",
    options: ["--from-literal"],
    shape: "after-equals",
  },
  { programs: ["gh"], subcommand: "secret", options: ["--body", "-b"] },
  // Tokens given as a positional argument (or on standard input).
  { programs: ["cargo"], subcommand: "login", positional: true, stdin: true },
  { programs: ["vault", "wandb"], subcommand: "login", positional: true },
  { programs: ["ngrok"], subcommand: "authtoken", positional: true },
  { programs: ["ngrok"], subcommand: "add-authtoken", positional: true },
  { programs: ["snyk"], subcommand: "auth", positional: true },
  // Configuration set as `KEY VALUE`: `npm config set //registry/:_authToken VALUE`,
  // `aws configure set aws_secret_access_key VALUE`, `yarn config set npmAuthToken VALUE`,
  // fish's `set -gx GITHUB_TOKEN VALUE`.
  {
    programs: ["*"],
    subcommand: "set",
    keyValue: true,
    secretKeys: [{ pattern: /(?:^|:)npmAuthIdent$/ }],
  },
  { programs: ["git"], subcommand: "config", keyValue: true },
  {
    programs: ["poetry"],
    subcommand: "config",
    keyValue: true,
    secretKeys: [{ pattern: /^pypi-token\./ }, { pattern: /^http-basic\./, valueIndex: 1 }],
  },
  { programs: ["setenv", "setx"], keyValue: true },
];

/**
 * Options that make a program read a secret from standard input (`docker login
 * --password-stdin`, `gh auth login --with-token`): what `echo`/`printf` pipe into it, or a
 * here-string gives it, is the secret.
 */
export const STDIN_SECRET_OPTIONS: ReadonlySet<string> = new Set([
  "--password-stdin",
  "--with-token",
  "--token-stdin",
]);

/**
 * Every word a rule of {@link SECRET_ARGUMENT_RULES} (or {@link STDIN_SECRET_OPTIONS}) needs
 * to find a secret contains one of these, or a secret name's hint (`pass`, `token`, `auth`,
 * `secret`, ...): text without any holds no secret argument. Kept by hand, short and broad; the
 * property tests compare it with a full scan.
 */
export const SECRET_ARGUMENT_HINT: RegExp =
  /login|mysql|mariadb|mongo|redis-cli|valkey-cli|keydb-cli|ldap|sqlcmd|bcp|osql|zip|7z|rar|openssl|keytool|jarsigner|smbclient|rpcclient|smbcacls|curl|twine|glab|doctl|cargo|vault|wandb|poetry|setenv|setx/i;
