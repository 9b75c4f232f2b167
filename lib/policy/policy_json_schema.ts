import { toJsonSchema } from "@valibot/to-json-schema";
import { PolicySchema } from "./policy_schema.ts";

/** The policy's JSON Schema, generated from the valibot schema Beacon validates with. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(PolicySchema, { errorMode: "ignore" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://asymptote.dev/schemas/beacon-policy.v1.json",
    title: "Beacon policy",
    description:
      "What Beacon manages on an endpoint and how it handles content. Every key is optional.",
  };
}
