import { isProbableSecretValue } from "./is_probable_secret_value.ts";
import { isSecretName } from "./is_secret_name.ts";
import {
  SECRET_ARGUMENT_RULES,
  type SecretArgumentRule,
  type SecretKey,
  type SecretValueShape,
  STDIN_SECRET_OPTIONS,
} from "./secret_argument_rules.ts";
import { secretKindForName } from "./secret_kind_for_name.ts";

/** One argument of a command, as the program receives it. */
export interface ArgumentWord {
  value: string;
  /**
   * How many of the value's first characters were written as they are (no quote or escape
   * among them). Program names, subcommands, options and keys are only recognised when written
   * plainly, so that text without their names cannot hold them.
   */
  plain: number;
}

/** A secret found in one word: `words[word].value.slice(start, end)`. */
export interface SecretArgument {
  word: number;
  start: number;
  end: number;
  /** The `[REDACTED:<kind>]` kind. */
  kind: string;
}

/** What {@link findSecretArguments} found in one command. */
export interface SecretArguments {
  secrets: SecretArgument[];
  /** The command reads a secret from standard input (`docker login --password-stdin`). */
  readsSecretFromStdin: boolean;
}

/**
 * Finds the secrets among a command's arguments: the values of options named like secrets
 * (`--password VALUE`, `--token=VALUE`, `-pw VALUE`) for any program, and what
 * {@link SECRET_ARGUMENT_RULES} says for known programs (`docker login -p VALUE`,
 * `mysql -pVALUE`, `aws configure set aws_secret_access_key VALUE`, `cargo login TOKEN`). A
 * program is recognised wherever its name appears among the words, so wrappers (`sudo`,
 * `docker exec -it db mysql …`, `kubectl exec pod -- …`) change nothing.
 *
 * Values that are evidently not literals are kept: placeholders (`$TOKEN`, `"${PASSWORD}"`),
 * short numbers (`ssh -l login -p 22`) and the option's own name (`--password PASSWORD`), see
 * `isProbableSecretValue`.
 *
 * @example
 * ```ts
 * const words = ["docker", "login", "-u", "me", "-p", "hunter2"]
 *   .map((value) => ({ value, plain: value.length }));
 * findSecretArguments(words).secrets; // [{ word: 5, start: 0, end: 7, kind: "secret" }]
 * ```
 */
export function findSecretArguments(words: readonly ArgumentWord[]): SecretArguments {
  const found = new Finder(words);
  // Where each rule's program appears. A rule reads from there up to where its program
  // appears again (which reads on from there), so no word is read twice for the same rule.
  const anchors = new Map<SecretArgumentRule, number[]>();
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (word.value.startsWith("-")) {
      found.genericOption(index);
      if (STDIN_SECRET_OPTIONS.has(word.value) && word.plain >= word.value.length) {
        found.readsSecretFromStdin = true;
      }
      continue;
    }
    for (const rule of RULES_BY_NAME.get(programName(word) ?? "") ?? []) {
      const indexes = anchors.get(rule);
      if (indexes === undefined) anchors.set(rule, [index]);
      else indexes.push(index);
    }
  }
  for (const [rule, indexes] of anchors) {
    for (let i = 0; i < indexes.length; i++) {
      found.rule(rule, indexes[i], indexes[i + 1] ?? words.length);
    }
  }
  return { secrets: found.secrets, readsSecretFromStdin: found.readsSecretFromStdin };
}

/** Rules by program name, and those for any program by their subcommand. */
const RULES_BY_NAME = new Map<string, SecretArgumentRule[]>();
for (const rule of SECRET_ARGUMENT_RULES) {
  const names = rule.programs.includes("*") ? [rule.subcommand!] : rule.programs;
  for (const name of names) RULES_BY_NAME.set(name, [...RULES_BY_NAME.get(name) ?? [], rule]);
}

/** The word as a program name (`/usr/bin/mysql` is `mysql`), when written plainly. */
function programName(word: ArgumentWord): string | undefined {
  if (word.plain < word.value.length) return undefined;
  const slash = word.value.lastIndexOf("/");
  const name = slash === -1 ? word.value : word.value.slice(slash + 1);
  return name.endsWith(".exe") ? name.slice(0, -4) : name;
}

/** Whether the word is `text` written plainly. */
function isPlainly(word: ArgumentWord | undefined, text: string): boolean {
  return word !== undefined && word.value === text && word.plain >= text.length;
}

/** Whether the word starts with `prefix` written plainly. */
function startsPlainly(word: ArgumentWord, prefix: string): boolean {
  return word.plain >= prefix.length && word.value.startsWith(prefix);
}

/** `key=value` (a name, then `=`): a setting, not a positional secret. */
const SETTING = /^[A-Za-z_][A-Za-z0-9_.-]*=/;
/** An option named like a secret: `--password`, `-token`, `--api-key=`, `-pw`. */
const NAMED_OPTION = /^--?([A-Za-z][A-Za-z0-9_.-]*)(=?)/;

class Finder {
  secrets: SecretArgument[] = [];
  readsSecretFromStdin = false;
  private readonly seen = new Set<string>();

  constructor(private readonly words: readonly ArgumentWord[]) {}

  /** `--password VALUE`, `--token=VALUE`: any program, by the option's name. */
  genericOption(index: number): void {
    const word = this.words[index];
    const match = NAMED_OPTION.exec(word.value);
    if (match === null || word.plain < match[0].length || !isSecretName(match[1])) return;
    const name = match[1];
    if (match[2] === "=") {
      this.add(index, match[0].length, word.value.length, name, "whole");
    } else if (match[0].length === word.value.length) {
      this.nextWordValue(index, name, "whole");
    }
  }

  /** Applies `rule` to the words after its program at `anchor`, up to `until`. */
  rule(rule: SecretArgumentRule, anchor: number, until: number): void {
    let from = anchor + 1;
    const words = this.words;
    if (rule.subcommand !== undefined && !rule.programs.includes("*")) {
      const at = this.indexOf(rule.subcommand, from, until);
      if (at === -1) return;
      from = at + 1;
    }
    if (rule.stdin) this.readsSecretFromStdin = true;
    if (rule.keyValue) return this.keyValue(rule, from, until);
    const name = rule.shape === undefined ? "password" : "secret";
    for (let index = from; index < until; index++) {
      const word = words[index];
      if (isPlainly(word, "--")) return;
      if (rule.positional) {
        if (!word.value.startsWith("-") && !SETTING.test(word.value)) {
          this.add(index, 0, word.value.length, "token", "whole");
        }
        continue;
      }
      for (const option of rule.options ?? []) {
        if (isPlainly(word, option)) this.nextWordValue(index, name, rule.shape ?? "whole");
        else if (option.startsWith("--") && startsPlainly(word, option + "=")) {
          this.add(index, option.length + 1, word.value.length, name, rule.shape ?? "whole");
        } else if (
          !rule.separateValues && option.length === 2 && startsPlainly(word, option) &&
          word.value.length > 2
        ) {
          this.add(index, 2, word.value.length, name, rule.shape ?? "whole");
        }
      }
      for (const option of rule.attachedOptions ?? []) {
        if (startsPlainly(word, option) && word.value.length > option.length) {
          this.add(index, option.length, word.value.length, name, rule.shape ?? "whole");
        }
      }
    }
  }

  /** `KEY VALUE…` from `from` on (up to `until`), options skipped. */
  private keyValue(rule: SecretArgumentRule, from: number, until: number): void {
    const words = this.words;
    let index = from;
    while (index < until && words[index].value.startsWith("-")) index++;
    if (index >= until) return;
    const key = words[index];
    if (key === undefined || key.plain < key.value.length || key.value.includes("$")) return;
    const secretKey = isSecretName(key.value)
      ? {} as SecretKey
      : rule.secretKeys?.find((candidate) => candidate.pattern.test(key.value));
    if (secretKey === undefined) return;
    for (let value = index + 1, count = 0; value < until; value++, count++) {
      if (words[value].value.startsWith("-")) return;
      if (secretKey.valueIndex === undefined || secretKey.valueIndex === count) {
        this.add(value, 0, words[value].value.length, key.value, "whole");
      }
    }
  }

  /** The value of the option at `index` is the next word, unless that is another option. */
  private nextWordValue(index: number, name: string, shape: SecretValueShape): void {
    const next = this.words[index + 1];
    if (next === undefined || next.value.startsWith("-")) return;
    this.add(index + 1, 0, next.value.length, name, shape);
  }

  private indexOf(text: string, from: number, until: number): number {
    for (let index = from; index < until; index++) {
      if (isPlainly(this.words[index], text)) return index;
    }
    return -1;
  }

  /** Adds `value.slice(start, end)` of a word, narrowed by `shape`, when it is a probable secret. */
  private add(word: number, start: number, end: number, name: string, shape: SecretValueShape) {
    const value = this.words[word].value;
    const offset = shapeOffset(value.slice(start, end), shape);
    if (offset === -1) return;
    start += offset;
    if (start >= end) return;
    if (!isProbableSecretValue(value.slice(start, end), { quoted: true, name })) return;
    const key = `${word}:${start}:${end}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.secrets.push({ word, start, end, kind: secretKindForName(name) });
  }
}

/** Where in `value` the secret starts; -1 when `value` holds none of that shape. */
function shapeOffset(value: string, shape: SecretValueShape): number {
  switch (shape) {
    case "whole":
      return 0;
    case "after-colon":
      return offsetAfter(value, ":");
    case "after-equals":
      return offsetAfter(value, "=");
    case "after-percent":
      return offsetAfter(value, "%");
    case "after-pass-prefix":
      return value.startsWith("pass:") ? 5 : -1;
  }
}

function offsetAfter(value: string, separator: string): number {
  const at = value.indexOf(separator);
  return at === -1 ? -1 : at + 1;
}
