import assert from "node:assert/strict";
import { findSecretArguments } from "./find_secret_arguments.ts";
import { SECRET_ARGUMENT_RULES } from "./secret_argument_rules.ts";

const plain = (...values: string[]) => values.map((value) => ({ value, plain: value.length }));

Deno.test("findSecretArguments gives the secret's place in its word, by the CLI's rule", () => {
  assert.deepEqual(findSecretArguments(plain("mysql", "-uroot", "-phunter2x", "app")), {
    secrets: [{ word: 2, start: 2, end: 10, kind: "secret" }],
    readsSecretFromStdin: false,
  });
  assert.deepEqual(findSecretArguments(plain("smbclient", "//s/x", "-U", "me%hunter2x")).secrets, [
    { word: 3, start: 3, end: 11, kind: "secret" },
  ]);
  assert.equal(
    findSecretArguments(plain("docker", "login", "--password-stdin")).readsSecretFromStdin,
    true,
  );
});

Deno.test("findSecretArguments recognises programs and options only when written plainly", () => {
  // `"my"sql -phunter2x`: the shell runs mysql, but the text never says `mysql`, so a scan
  // that skips text without the word must not find more than this one does.
  const quoted = [{ value: "mysql", plain: 0 }, ...plain("-phunter2x")];
  assert.deepEqual(findSecretArguments(quoted).secrets, []);
  const quotedOption = [
    ...plain("docker", "login"),
    { value: "-p", plain: 1 },
    ...plain("hunter2x"),
  ];
  assert.deepEqual(findSecretArguments(quotedOption).secrets, []);
});

Deno.test("every rule of the table names programs and something to find", () => {
  for (const rule of SECRET_ARGUMENT_RULES) {
    assert.ok(rule.programs.length > 0);
    if (rule.programs.includes("*")) assert.ok(rule.subcommand, JSON.stringify(rule));
    const finds = [rule.options, rule.attachedOptions, rule.positional, rule.keyValue, rule.stdin];
    assert.ok(finds.some((find) => find !== undefined), JSON.stringify(rule));
  }
});
