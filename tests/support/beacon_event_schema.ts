/**
 * Beacon's published event schema (schemas/beacon-event.v1.schema.json), checked by Ajv's JSON
 * Schema 2020-12 validator: an implementation independent of Beacon's own subset validator
 * (lib/events/validate_json_schema.ts), so a keyword the subset skips or gets wrong is caught.
 * Formats are left to the schema's patterns (Ajv's formats live in another package).
 */
import { Ajv2020 } from "ajv/dist/2020.js";

const SCHEMA = JSON.parse(
  await Deno.readTextFile(
    new URL("../../schemas/beacon-event.v1.schema.json", import.meta.url),
  ),
);
const validate = new Ajv2020({
  strict: true,
  allowUnionTypes: true,
  allErrors: true,
  validateFormats: false,
})
  .compile(SCHEMA);

/** The schema's complaints about `event` (empty when it is a valid Beacon event), for people. */
export function beaconEventSchemaErrors(event: unknown): string[] {
  if (validate(event)) return [];
  return (validate.errors ?? []).map((error) =>
    `${error.instancePath || "/"} ${error.message ?? error.keyword} (${error.schemaPath})`
  );
}

/** Throws, naming every problem and the event, unless `event` is a valid Beacon event. */
export function assertBeaconEvent(event: unknown, where = "event"): void {
  const errors = beaconEventSchemaErrors(event);
  if (errors.length > 0) {
    throw new Error(
      `${where} does not match schemas/beacon-event.v1.schema.json (Ajv, draft 2020-12):\n  ` +
        `${errors.join("\n  ")}\n${JSON.stringify(event)}`,
    );
  }
}

/**
 * A runtime-log line that passed the schema. Tests read its fields as freely as `JSON.parse`
 * let them before; the schema, not the type, is what checks them.
 */
// deno-lint-ignore no-explicit-any
export type CheckedEvent = any;

/**
 * The events in a runtime log's text, one JSON object per line; each must be a valid Beacon
 * event. `where` names the file in the error.
 */
export function parseBeaconEvents(text: string, where = "runtime log"): CheckedEvent[] {
  return text.split("\n").filter(Boolean).map((line, index) => {
    const event = JSON.parse(line);
    assertBeaconEvent(event, `${where} line ${index + 1}`);
    return event;
  });
}

/** The events of a runtime log file, each validated (see `parseBeaconEvents`). */
export async function readBeaconEvents(path: string): Promise<CheckedEvent[]> {
  return parseBeaconEvents(await Deno.readTextFile(path), path);
}
