import type { Command } from "../command.ts";
import { EXIT } from "../exit_codes.ts";
import { parsePolicy, PolicyError } from "../../policy/parse_policy.ts";
import { maskSecretValues } from "../../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../../toml/toml_value.ts";

/** `beacon policy validate PATH`: check a policy file before deploying it. */
export const policyValidateCommand: Command = {
  words: ["policy", "validate"],
  summary: "Check a policy file and show the settings it results in",
  positionals: { names: ["PATH"], required: 1 },
  description: "Reads the policy at PATH and reports every problem: TOML syntax errors with\n" +
    "file:line:column, unknown keys (with the closest valid key) and invalid values by key path.\n" +
    "Exit codes: 0 valid, 1 invalid or unreadable.",
  options: {
    json: { type: "boolean", description: "Print the result as JSON." },
  },
  async run({ values, positionals }, context) {
    const [path] = positionals;
    let text: string;
    try {
      const bytes = await context.fs.readFile(path);
      if (!bytes) throw new Error("no such file");
      text = new TextDecoder().decode(bytes);
    } catch (error) {
      throw new Error(`Cannot read policy "${path}": ${(error as Error).message}`);
    }
    try {
      const policy = parsePolicy(text, path);
      if (values.json) {
        // The policy as read, with the collector token masked: it is the machine's credential.
        const shown = maskSecretValues(policy as unknown as TomlValue);
        context.stdout(JSON.stringify({ valid: true, path, policy: shown }, null, 2) + "\n");
      } else {
        const content = Object.entries(policy.content)
          .map(([key, value]) => `${key}=${value}`).join(", ");
        context.stdout(
          `${path}: valid policy.\n` +
            `  mode: ${policy.endpoint.mode}; codex: ${
              policy.harnesses.codex.enabled ? policy.harnesses.codex.transport : "not managed"
            }; collector: ${policy.collector.listen}\n  content: ${content}\n`,
        );
      }
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      if (values.json) {
        context.stdout(
          JSON.stringify(
            { valid: false, path, problems: error.problems, syntax: error.syntax ?? null },
            null,
            2,
          ) + "\n",
        );
      } else {
        context.stderr(error.message + "\n");
      }
      return EXIT.error;
    }
  },
};
