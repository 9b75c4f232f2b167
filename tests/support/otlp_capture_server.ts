/** One OTLP export a capture server received. */
export interface CapturedExport {
  method: string;
  path: string;
  contentType: string;
  bytes: number;
}

/** A minimal OTLP/HTTP sink: records every request and answers 200 with an empty body. */
export function startCaptureServer() {
  const captured: CapturedExport[] = [];
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: resolve },
    async (request) => {
      const body = new Uint8Array(await request.arrayBuffer());
      const contentType = request.headers.get("content-type") ?? "";
      captured.push({
        method: request.method,
        path: new URL(request.url).pathname,
        contentType,
        bytes: body.length,
      });
      return new Response(new Uint8Array(), { headers: { "content-type": contentType } });
    },
  );
  return listening.then((address) => ({
    port: address.port,
    captured,
    close: () => server.shutdown().then(() => server.finished),
  }));
}
