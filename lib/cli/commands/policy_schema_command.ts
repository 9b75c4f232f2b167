import type { Command } from "../command.ts";
import { EXIT } from "../exit_codes.ts";
import { policyJsonSchema } from "../../policy/policy_json_schema.ts";

/** `beacon policy schema`: the policy's JSON Schema, for editor completion. */
export const policySchemaCommand: Command = {
  words: ["policy", "schema"],
  summary: "Print the policy file's JSON Schema (for editor completion and CI checks)",
  description:
    "Prints a JSON Schema (draft-07) generated from the same schema Beacon validates with.\n" +
    "Point Taplo / Even Better TOML at it, e.g. `#:schema ./beacon-policy.schema.json`.",
  options: {},
  run(_args, context) {
    context.stdout(JSON.stringify(policyJsonSchema(), null, 2) + "\n");
    return Promise.resolve(EXIT.ok);
  },
};
