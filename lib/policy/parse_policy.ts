import * as v from "valibot";
import { parseToml } from "../toml/parse_toml.ts";
import { closestMatch } from "../text/closest_match.ts";
import { type Policy, PolicySchema } from "./policy_schema.ts";

/** One thing wrong with a policy, located by its dot path (`harnesses.codex.transport`). */
export interface PolicyProblem {
  path: string;
  message: string;
}

/** A policy that could not be used, with everything wrong with it. */
export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: PolicyProblem[],
    readonly syntax?: { line: number; column: number },
  ) {
    super(
      syntax
        ? `Policy ${source}:${syntax.line}:${syntax.column} is not valid TOML: ${
          problems[0].message
        }`
        : `Policy ${source} is not valid:\n` +
          problems.map((p) => `  ${p.path || "(top level)"}: ${p.message}`).join("\n"),
    );
    this.name = "PolicyError";
  }
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Parses and validates a policy file's text. `source` names the file in error messages.
 *
 * @example
 * ```ts
 * const policy = parsePolicy('[content]\nprompt = "hash"\n', "team.toml");
 * policy.content.prompt; // "hash"
 * policy.content.tool_output; // "drop" (the default)
 * ```
 * @throws {PolicyError} with file:line:col for TOML syntax errors, dot paths for the rest.
 */
export function parsePolicy(text: string, source: string): Policy {
  const parsed = parseToml(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    throw new PolicyError(source, [{ path: "", message }], { line, column });
  }
  const result = v.safeParse(PolicySchema, parsed.value);
  if (!result.success) {
    throw new PolicyError(source, result.issues.map(describeIssue));
  }
  const problems = crossFieldProblems(result.output);
  if (problems.length > 0) throw new PolicyError(source, problems);
  return result.output;
}

function crossFieldProblems(policy: Policy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const { collector } = policy;
  for (const key of ["listen", "grpc_listen"] as const) {
    const host = collector[key].replace(/:\d+$/, "");
    if (!LOOPBACK_HOSTS.has(host) && !collector.allow_non_loopback) {
      problems.push({
        path: `collector.${key}`,
        message:
          `"${
            collector[key]
          }" is not a loopback address; the collector would accept telemetry from other ` +
          `machines. Use 127.0.0.1, or set collector.allow_non_loopback = true if you mean it.`,
      });
    }
  }
  if (policy.harnesses.codex.transport === "grpc" && !collector.grpc) {
    problems.push({
      path: "harnesses.codex.transport",
      message:
        `"grpc" needs the collector's gRPC listener: set collector.grpc = true, or use "http/protobuf".`,
    });
  }
  return problems;
}

function describeIssue(issue: v.BaseIssue<unknown>): PolicyProblem {
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const path = keys.join(".");
  if (issue.expected === "never" && keys.length > 0) {
    const unknown = keys[keys.length - 1];
    const allowed = allowedKeysAt(keys.slice(0, -1));
    const suggestion = closestMatch(unknown, allowed);
    return {
      path,
      message: `unknown key "${unknown}"` +
        (suggestion ? `; did you mean "${suggestion}"?` : "") +
        (allowed.length ? ` Allowed here: ${allowed.join(", ")}.` : ""),
    };
  }
  const received = issue.received === undefined ? "" : `, got ${issue.received}`;
  if (issue.kind === "schema" && issue.expected) {
    return { path, message: `expected ${issue.expected}${received}` };
  }
  return { path, message: `${lowerFirst(issue.message)}` };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The keys the schema allows in the table at `path`, for suggestions. */
function allowedKeysAt(path: string[]): string[] {
  // deno-lint-ignore no-explicit-any
  let schema: any = PolicySchema;
  for (const key of path) {
    schema = unwrap(schema)?.entries?.[key];
    if (!schema) return [];
  }
  return Object.keys(unwrap(schema)?.entries ?? {});
}

// deno-lint-ignore no-explicit-any
function unwrap(schema: any): any {
  while (schema && !schema.entries && schema.wrapped) schema = schema.wrapped;
  return schema;
}
