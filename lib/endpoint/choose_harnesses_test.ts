import assert from "node:assert/strict";
import { chooseHarnesses, HarnessChoiceError } from "./choose_harnesses.ts";
import type { HarnessDiscovery } from "./probe/discover_harnesses.ts";

const found = (name: string, managed: boolean, displayName = name) =>
  ({ name, displayName, managed, detected: true }) as unknown as HarnessDiscovery;

Deno.test("chooseHarnesses: an unknown or unmanaged name is a HarnessChoiceError, not a CLI error", () => {
  assert.throws(
    () => chooseHarnesses(["codx"], [], undefined),
    (error: unknown) =>
      error instanceof HarnessChoiceError && /unknown harness "codx"; did you mean "codex"/.test(
        error.message,
      ),
  );
  assert.throws(
    () => chooseHarnesses(["gemini-cli"], [], undefined),
    (error: unknown) =>
      error instanceof HarnessChoiceError &&
      /Beacon does not manage gemini-cli yet; it manages: codex/.test(error.message),
  );
});

Deno.test("chooseHarnesses: asked, else the last install's, else the managed ones found", () => {
  const discovery = [found("codex", true), found("gemini-cli", false, "Gemini CLI")];
  assert.deepEqual(chooseHarnesses(["codex", "codex"], discovery, ["claude-code"]), {
    names: ["codex"],
    notes: [],
  });
  assert.deepEqual(chooseHarnesses(undefined, discovery, ["claude-code"]).names, ["claude-code"]);
  assert.deepEqual(chooseHarnesses(undefined, discovery, undefined), {
    names: ["codex"],
    notes: ["Gemini CLI was found but is not managed by Beacon yet."],
  });
  assert.match(chooseHarnesses(undefined, [], undefined).notes[0], /No supported harness/);
});
