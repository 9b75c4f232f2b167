/** docs/events.md's Claude Code table names every Claude Code event and the kinds it becomes. */
import assert from "node:assert/strict";
import { CLAUDE_CODE_LOG_EVENTS } from "./classify_claude_code_log_record.ts";

const doc = Deno.readTextFileSync(new URL("../../../docs/events.md", import.meta.url));

Deno.test("docs/events.md: the Claude Code table names every Claude Code event", () => {
  const start = doc.indexOf("## Claude Code");
  assert.ok(start > 0, "a Claude Code section");
  const table = doc.slice(start, doc.indexOf("## Versioning", start));
  for (const [name, rule] of Object.entries(CLAUDE_CODE_LOG_EVENTS)) {
    assert.ok(table.includes(`\`${name}\``), name);
    if (rule.action === "keep") {
      for (const kind of rule.kinds) assert.ok(table.includes(`\`${kind}\``), `${name} -> ${kind}`);
    } else assert.match(table, new RegExp(`\`${name.replace(".", "\\.")}\`[ |]+dropped`));
  }
});
