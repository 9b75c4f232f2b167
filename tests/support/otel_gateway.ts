/**
 * A real OpenTelemetry Collector (OTLP receiver + file exporter, tools/otel_gateway) as the
 * gateway of forwarding tests, built once by tools/build_otel_gateway.sh into .tmp/bin.
 */
import { reservePort } from "./reserve_port.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const BINARY = `${ROOT}.tmp/bin/beacon-otel-gateway`;

let built: Promise<string> | undefined;

/** Builds the gateway (skipped when up to date) and returns its path. */
export function otelGatewayBinary(): Promise<string> {
  built ??= (async () => {
    const result = await new Deno.Command("bash", {
      args: [`${ROOT}tools/build_otel_gateway.sh`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      throw new Error(
        "Cannot build the OpenTelemetry Collector gateway (tools/build_otel_gateway.sh needs Go " +
          `and the Go module proxy):\n${new TextDecoder().decode(result.stderr)}`,
      );
    }
    return BINARY;
  })();
  return built;
}

/**
 * A gateway process writing what it receives to `outputPath` (one OTLP/JSON line per batch). Its
 * ports are reserved (tests/support/reserve_port.ts) until it is disposed (`await using`) or the
 * test process ends.
 */
export interface OtelGateway extends AsyncDisposable {
  /** OTLP/HTTP. */
  port: number;
  /** OTLP/gRPC. */
  grpcPort: number;
  outputPath: string;
  start(): Promise<void>;
  stop(signal?: Deno.Signal): Promise<void>;
  /** Every log record received so far: its attributes and its resource's. */
  records(): Array<{ attributes: Record<string, unknown>; resource: Record<string, unknown> }>;
}

/** Prepares a gateway on a fixed port in `dir` (start it with `start()`; restartable). */
export async function otelGateway(dir: string): Promise<OtelGateway> {
  const binary = await otelGatewayBinary();
  const httpReservation = reservePort();
  const grpcReservation = reservePort();
  const port = httpReservation.port;
  const grpcPort = grpcReservation.port;
  const outputPath = `${dir}/gateway-out.jsonl`;
  const config = `${dir}/gateway.yaml`;
  await Deno.writeTextFile(
    config,
    `receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${port}
      grpc:
        endpoint: 127.0.0.1:${grpcPort}
exporters:
  file:
    path: ${outputPath}
    append: true
    flush_interval: 50ms
service:
  telemetry:
    logs:
      level: warn
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [file]
`,
  );
  let child: Deno.ChildProcess | null = null;
  const gateway: OtelGateway = {
    port,
    grpcPort,
    outputPath,
    async start() {
      child = new Deno.Command(binary, {
        args: ["--config", config],
        stdout: "null",
        stderr: "null",
      }).spawn();
      for (const wanted of [port, grpcPort]) {
        let listening = false;
        for (let i = 0; i < 400 && !listening; i++) {
          try {
            (await Deno.connect({ hostname: "127.0.0.1", port: wanted })).close();
            listening = true;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }
        if (!listening) throw new Error(`the gateway did not listen on ${wanted}`);
      }
    },
    async stop(signal: Deno.Signal = "SIGTERM") {
      if (!child) return;
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      await child.status;
      child = null;
    },
    records() {
      let text = "";
      try {
        text = Deno.readTextFileSync(outputPath);
      } catch {
        return [];
      }
      const out = [];
      // The file exporter may be in the middle of writing its last line: read complete lines only.
      const complete = text.slice(0, text.lastIndexOf("\n") + 1);
      for (const line of complete.split("\n")) {
        if (!line.trim()) continue;
        for (const resourceLogs of JSON.parse(line).resourceLogs ?? []) {
          const resource = attributeMap(resourceLogs.resource?.attributes);
          for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
            for (const record of scopeLogs.logRecords ?? []) {
              out.push({ attributes: attributeMap(record.attributes), resource });
            }
          }
        }
      }
      return out;
    },
    async [Symbol.asyncDispose]() {
      await gateway.stop();
      httpReservation.release();
      grpcReservation.release();
    },
  };
  return gateway;
}

function attributeMap(list: Array<{ key: string; value: Record<string, unknown> }> = []) {
  return Object.fromEntries(list.map((a) => [a.key, Object.values(a.value ?? {})[0]]));
}
