import { type ConnectRouterOptions, createConnectRouter } from "@connectrpc/connect";
import { createFetchHandler } from "@connectrpc/connect/protocol";
import type { Http1Request, Http1Response } from "../http1/serve_http1.ts";
import type { ExportPipeline } from "./export_pipeline.ts";
import { otlpConnectJsonRoutes, otlpConnectRoutes } from "./otlp_connect_routes.ts";
import { otlpJsonTextDecoder } from "./otlp_json_text_decoder.ts";
import { rpcCompressions } from "./rpc_compressions.ts";

/**
 * Serves an RPC: the response, or `false` when the path is no RPC of the OTLP services (the
 * caller answers 404). It rejects only on a bug (the collector reports it and answers 500).
 */
export type RpcHandler = (request: Http1Request) => Promise<Http1Response | false>;

/** What {@link createOtlpRpcHandler} serves with. */
export interface OtlpRpcHandlerOptions {
  pipeline: ExportPipeline;
  token?: string;
  now: () => Date;
  maxRequestBytes: number;
}

/**
 * The OTLP Export services over Connect and gRPC-Web on the HTTP/1.1 listener, through Connect's
 * fetch handlers (web `Request` and `Response`: no Node layer). Binary messages are decoded by
 * Beacon's own decoder (as on OTLP/HTTP: see {@link otlpConnectRoutes}); JSON ones by the
 * framework after the same checks. The collector loads this module on the first RPC, so a
 * collector that only ever sees OTLP/HTTP (Codex) never loads the RPC framework.
 */
export function createOtlpRpcHandler(options: OtlpRpcHandlerOptions): RpcHandler {
  const routeOptions = {
    token: options.token,
    now: options.now,
    maxBytes: options.maxRequestBytes,
  };
  const routerOptions = {
    readMaxBytes: options.maxRequestBytes,
    acceptCompression: rpcCompressions,
    grpc: false,
  };
  const binary = handlersByPath(
    createConnectRouter(routerOptions),
    otlpConnectRoutes(options.pipeline, routeOptions),
  );
  const json = handlersByPath(
    createConnectRouter({
      ...routerOptions,
      // Connect hands jsonOptions to createJsonSerialization, whose options take a textDecoder
      // (JsonSerializationOptions); the router's type leaves it out.
      jsonOptions: {
        textDecoder: otlpJsonTextDecoder(options.maxRequestBytes),
      } as ConnectRouterOptions["jsonOptions"],
    }),
    otlpConnectJsonRoutes(options.pipeline, routeOptions),
  );
  return async (request) => {
    const handler = (isJsonRpc(request.headers.get("content-type")) ? json : binary)
      .get(request.path);
    if (!handler) return false;
    const body = request.method === "GET" || request.method === "HEAD"
      ? undefined
      : request.bodyStream();
    const fetchRequest = new Request(new URL(request.target, "http://collector.invalid"), {
      method: request.method,
      headers: [...request.headers],
      body,
      // @ts-ignore: Deno's RequestInit takes duplex for a streamed body (the DOM types lag).
      duplex: "half",
    });
    // The framework answers every failure of the call itself, a body that ends early (the
    // client went away) included, with an error response: a rejection here is a bug, and goes
    // to the collector's report rather than being taken for a client gone away.
    const response = await handler(fetchRequest);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding") headers[name] = value;
    });
    return { status: response.status, headers, body: bytes };
  };
}

/** The router's handlers as fetch handlers, by request path. */
function handlersByPath(
  router: ReturnType<typeof createConnectRouter>,
  routes: (router: ReturnType<typeof createConnectRouter>) => void,
): Map<string, (request: Request) => Promise<Response>> {
  routes(router);
  const paths = new Map<string, (request: Request) => Promise<Response>>();
  for (const handler of router.handlers) {
    paths.set(handler.requestPath, createFetchHandler(handler, { httpVersion: "1.1" }));
  }
  return paths;
}

/** Whether an RPC's content type names a JSON codec (`application/json`, `...+json`). */
function isJsonRpc(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.-]+\+)?json\b/i.test(contentType);
}
