import assert from "node:assert/strict";
import {
  errnoCode,
  RuntimeLogUnavailableError,
  toRuntimeLogUnavailableError,
} from "./runtime_log_unavailable_error.ts";

Deno.test("the message says what failed, where, and what to do; the error is retryable", () => {
  const error = new RuntimeLogUnavailableError({
    path: "/var/log/beacon-agent/runtime.jsonl",
    operation: "write",
    code: "ENOSPC",
  });
  assert.equal(
    error.message,
    'Cannot write runtime log "/var/log/beacon-agent/runtime.jsonl": the disk is full (ENOSPC). ' +
      'Free space on the disk that holds "/var/log/beacon-agent". Events are not acknowledged ' +
      "until the log is writable again; the next event retries.",
  );
  assert.equal(error.name, "RuntimeLogUnavailableError");
  assert.equal(error.retryable, true);

  const rotate = new RuntimeLogUnavailableError({
    path: "/l/r.jsonl",
    operation: "rotate",
    code: "EROFS",
  });
  assert.match(
    rotate.message,
    /^Cannot write runtime log "\/l\/r\.jsonl" \(rotate\): the file system is read-only \(EROFS\)\. Remount/,
  );
});

Deno.test("errno names come from the error's code, else from Deno's error class", () => {
  assert.equal(errnoCode(Object.assign(new Error("x"), { code: "EIO" })), "EIO");
  assert.equal(errnoCode(new Deno.errors.PermissionDenied("x")), "EACCES");
  assert.equal(errnoCode(new Deno.errors.NotFound("x")), "ENOENT");
  assert.equal(errnoCode("weird"), "EUNKNOWN");
  assert.equal(errnoCode(null), "EUNKNOWN");
});

Deno.test("wrapping keeps an existing RuntimeLogUnavailableError and the cause of others", () => {
  const cause = Object.assign(new Error("Disk quota exceeded"), { code: "EDQUOT" });
  const wrapped = toRuntimeLogUnavailableError(cause, "/l/r.jsonl", "sync");
  assert.equal(wrapped.code, "EDQUOT");
  assert.equal(wrapped.operation, "sync");
  assert.equal(wrapped.cause, cause);
  assert.equal(toRuntimeLogUnavailableError(wrapped, "/other", "open"), wrapped);
  const unknown = toRuntimeLogUnavailableError(new Error("strange failure"), "/l/r.jsonl", "write");
  assert.match(unknown.message, /strange failure \(EUNKNOWN\)/);
});
