import assert from "node:assert/strict";
import { installChanges } from "./install_changes.ts";

const base = {
  manager: "detached" as const,
  path: "/state/collector-service.json",
  current: "same",
  desired: "same",
  fileMode: 0o600,
};

Deno.test("installChanges: restart asked for restarts a running collector with an unchanged definition", () => {
  assert.deepEqual(installChanges({ ...base, running: true }).map((c) => c.kind), []);
  assert.deepEqual(
    installChanges({ ...base, running: true, restart: true }).map((c) => c.kind),
    ["restart"],
  );
  // Not running: started, once.
  assert.deepEqual(
    installChanges({ ...base, running: false, restart: true }).map((c) => c.kind),
    ["start"],
  );
});
