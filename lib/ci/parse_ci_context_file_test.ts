import assert from "node:assert/strict";
import { parseCiContextFile } from "./parse_ci_context_file.ts";
import { ciRunContext } from "./ci_run_context.ts";

Deno.test("parseCiContextFile reads back what ci start writes", () => {
  const context = ciRunContext({
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "acme/app",
    GITHUB_RUN_ID: "42",
    GITHUB_ACTOR: "ada",
    GITHUB_SERVER_URL: "https://github.com",
  });
  assert.deepEqual(parseCiContextFile(JSON.stringify(context, null, 2), "f.json"), context);
});

Deno.test("parseCiContextFile refuses anything else, naming the file and the field", () => {
  const cases: [string, RegExp][] = [
    ["not json", /not valid JSON/],
    ["[]", /one JSON object/],
    ["{}", /"provider" is missing/],
    ['{"provider":"x","run_id":42}', /"run_id" must be a string/],
    ['{"provider":"x","token":"t"}', /unknown field "token"/],
  ];
  for (const [text, reason] of cases) {
    assert.throws(() => parseCiContextFile(text, "/run/ci_context.json"), (error: Error) => {
      assert.match(error.message, /^Cannot use the CI context file "\/run\/ci_context\.json": /);
      assert.match(error.message, reason);
      return true;
    }, text);
  }
});
