import assert from "node:assert/strict";
import { stampCiRun } from "./stamp_ci_run.ts";
import { createExportPipeline } from "./export_pipeline.ts";
import type { ExportBatch } from "./export_batch.ts";

const RUN = { provider: "github-actions", run_id: "42" };

Deno.test("stampCiRun adds the run to each event, keeps a forwarded event's own, changes nothing in place", () => {
  const classified = [{ kind: "prompt" }, { kind: "span", ci: { provider: "gitlab-ci" } }];
  const stamped = stampCiRun(classified, RUN);
  assert.deepEqual(stamped, [
    { kind: "prompt", ci: RUN },
    { kind: "span", ci: { provider: "gitlab-ci" } },
  ]);
  assert.deepEqual(classified[0], { kind: "prompt" });
});

/** A pipeline over a fake log that keeps what is appended. */
function pipeline(ci?: typeof RUN) {
  const written: object[] = [];
  const export_ = createExportPipeline({
    classify: () => ({ events: [{ kind: "prompt" }, { kind: "token_usage" }], dropped: 0 }),
    log: { append: (events: object[]) => Promise.resolve(void written.push(...events)) },
    ci,
  });
  return { export_, written };
}

const BATCH = { signal: "logs", records: [] } as unknown as ExportBatch;

Deno.test("the export pipeline stamps every event of a CI run's collector before the append", async () => {
  const { export_, written } = pipeline(RUN);
  const outcome = await export_.export(BATCH, new Date());
  assert.equal(outcome.status === "ok" && outcome.written, 2);
  assert.deepEqual(written, [{ kind: "prompt", ci: RUN }, { kind: "token_usage", ci: RUN }]);
});

Deno.test("the export pipeline without a run (an endpoint's collector) writes no ci field", async () => {
  const { export_, written } = pipeline();
  await export_.export(BATCH, new Date());
  assert.deepEqual(written, [{ kind: "prompt" }, { kind: "token_usage" }]);
});
