import assert from "node:assert/strict";
import { join } from "node:path";
import { generateCollectorToken, readCollectorToken } from "./collector_token.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";

Deno.test("generateCollectorToken: 32 random bytes as 43 base64url characters, never repeated", () => {
  const tokens = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const token = generateCollectorToken();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const bytes = Uint8Array.from(
      atob(token.replaceAll("-", "+").replaceAll("_", "/") + "="),
      (c) => c.charCodeAt(0),
    );
    assert.equal(bytes.length, 32);
    tokens.add(token);
  }
  assert.equal(tokens.size, 200);
});

Deno.test("readCollectorToken: one line, undefined when absent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "collector.token");
    assert.equal(await readCollectorToken(realFileSystem, path), undefined);
    await Deno.writeTextFile(path, "abc-DEF_123\n");
    assert.equal(await readCollectorToken(realFileSystem, path), "abc-DEF_123");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
