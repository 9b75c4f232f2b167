import type { IncomingMessage, ServerResponse } from "node:http";
import { connectNodeAdapter, type ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { ExportPipeline } from "./export_pipeline.ts";
import { otlpConnectJsonRoutes, otlpConnectRoutes } from "./otlp_connect_routes.ts";
import { otlpJsonTextDecoder } from "./otlp_json_text_decoder.ts";

/** A Node request handler. */
export type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** What {@link createOtlpRpcHandler} serves with. */
export interface OtlpRpcHandlerOptions {
  pipeline: ExportPipeline;
  token?: string;
  now: () => Date;
  maxRequestBytes: number;
  /** Everything that is not an OTLP RPC (OTLP/HTTP paths, /healthz, 404s). */
  fallback: NodeHandler;
}

/**
 * The OTLP Export services over Connect and gRPC-Web on the HTTP/1.1 listener. Binary messages
 * are decoded by Beacon's own decoder (as on OTLP/HTTP: see {@link otlpConnectRoutes}); JSON
 * ones by the framework after the same checks. The collector loads this module on the first RPC,
 * so a collector that only ever sees OTLP/HTTP (Codex) never loads the RPC framework.
 */
export function createOtlpRpcHandler(options: OtlpRpcHandlerOptions): NodeHandler {
  const routeOptions = {
    token: options.token,
    now: options.now,
    maxBytes: options.maxRequestBytes,
  };
  const adapterOptions: ConnectNodeAdapterOptions = {
    routes: otlpConnectRoutes(options.pipeline, routeOptions),
    fallback: (request, response) =>
      options.fallback(request as IncomingMessage, response as ServerResponse),
    readMaxBytes: options.maxRequestBytes,
    grpc: false,
  };
  const binaryHandler = connectNodeAdapter(adapterOptions);
  const jsonHandler = connectNodeAdapter({
    ...adapterOptions,
    routes: otlpConnectJsonRoutes(options.pipeline, routeOptions),
    // Connect hands jsonOptions to createJsonSerialization, whose options take a textDecoder
    // (JsonSerializationOptions); the adapter's type leaves it out.
    jsonOptions: {
      textDecoder: otlpJsonTextDecoder(options.maxRequestBytes),
    } as ConnectNodeAdapterOptions["jsonOptions"],
  });
  return (request, response) =>
    (isJsonRpc(request.headers["content-type"]) ? jsonHandler : binaryHandler)(request, response);
}

/** Whether an RPC's content type names a JSON codec (`application/json`, `...+json`). */
function isJsonRpc(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.-]+\+)?json\b/i.test(contentType);
}
