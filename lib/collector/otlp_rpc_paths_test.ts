import assert from "node:assert/strict";
import { createConnectRouter } from "@connectrpc/connect";
import { OTLP_RPC_PATHS } from "./otlp_rpc_paths.ts";
import { otlpConnectJsonRoutes, otlpConnectRoutes } from "./otlp_connect_routes.ts";
import type { ExportPipeline } from "./export_pipeline.ts";

Deno.test("the RPC paths the collector knows are exactly the routes' (else an RPC would get 404)", () => {
  const pipeline = {} as ExportPipeline;
  for (const routes of [otlpConnectRoutes, otlpConnectJsonRoutes]) {
    const router = createConnectRouter();
    routes(pipeline, {})(router);
    const paths = new Set(router.handlers.map((handler) => handler.requestPath));
    assert.deepEqual(paths, new Set(OTLP_RPC_PATHS));
  }
});
