/**
 * Starts `scripted_grpc_gateway_child.ts`: an OTLP/gRPC Logs server scripted with the status
 * codes a real gateway does not give on demand, in its own Deno process (its HTTP/2 server may
 * abort the process it runs in: denoland/deno#36788).
 *
 * @module
 */
import { fromBinary } from "@bufbuild/protobuf";
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from "../../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { readLines } from "../../support/read_lines.ts";

const CHILD = new URL("./scripted_grpc_gateway_child.ts", import.meta.url);
const CONFIG = new URL("../../../deno.json", import.meta.url);

/** One answer of the script: a gRPC status code, 0 for success. */
export interface GatewayAnswer {
  code: number;
  /** A `google.rpc.RetryInfo` with this delay, in the status details. */
  retryDelayMs?: number;
  /** On success, a partial success rejecting this many records. */
  rejected?: number;
}

/** A request as the child reports it. */
export interface GatewayRequest {
  /** The ExportLogsServiceRequest, protobuf, base64. */
  body: string;
  /** The call's metadata, each value as text. */
  metadata: Record<string, string[]>;
}

/** A running scripted gateway. */
export interface ScriptedGrpcGateway {
  /** `http://127.0.0.1:PORT`, a destination's endpoint. */
  url: string;
  /** Every request received so far, in order, decoded. */
  requests(): Promise<
    Array<{ body: ExportLogsServiceRequest; metadata: Record<string, string[]> }>
  >;
  /** SIGTERM; fails, with the child's stderr, if it had died or does not exit 0. */
  stop(): Promise<void>;
}

/** Starts a gateway answering with `script` in turn (the last answer repeats). */
export async function startScriptedGrpcGateway(
  script: GatewayAnswer[],
): Promise<ScriptedGrpcGateway> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${CONFIG.pathname}`,
      "--allow-net=127.0.0.1",
      "--allow-env",
      "--allow-read",
      CHILD.pathname,
      JSON.stringify(script),
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let exited = false;
  const status = child.status.then((status) => {
    exited = true;
    return status;
  });
  const stderr = new Response(child.stderr).text();
  const lines = readLines(child.stdout);
  const first = await lines.next();
  const drained = (async () => {
    for await (const _ of lines);
  })();
  const died = async (what: string) => {
    const final = await status;
    await drained;
    return new Error(
      `the scripted gRPC gateway ${what} (exit ${final.code}${
        final.signal ? `, ${final.signal}` : ""
      }):\n${await stderr}`,
    );
  };
  if (first.done) throw await died("exited before listening");
  const { port, control } = JSON.parse(first.value) as { port: number; control: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async requests() {
      let received: GatewayRequest[];
      try {
        received = await (await fetch(`http://127.0.0.1:${control}/requests`)).json();
      } catch (error) {
        if (exited) throw await died("died");
        throw error;
      }
      return received.map(({ body, metadata }) => ({
        body: fromBinary(
          ExportLogsServiceRequestSchema,
          Uint8Array.from(atob(body), (c) => c.charCodeAt(0)),
        ),
        metadata,
      }));
    },
    async stop() {
      if (exited) throw await died("died during the test");
      child.kill("SIGTERM");
      const final = await status;
      await drained;
      if (final.code !== 0) throw await died("did not stop cleanly");
    },
  };
}
