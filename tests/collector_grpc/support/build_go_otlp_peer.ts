/**
 * Builds the grpc-go OTLP client of `tests/peers/otlp_grpc_go/` (a real third-party gRPC stack,
 * as telemetrygen and the OpenTelemetry Go SDK use) with the Go toolchain of the machine.
 *
 * Modules and build cache live under `.tmp/go` and `.tmp/go-cache` in the checkout, so only the
 * first build of a clone fetches modules (pinned by the committed `go.sum`) and later ones take a
 * second or two.
 *
 * @module
 */

const ROOT = new URL("../../../", import.meta.url).pathname;
const PEER_DIR = `${ROOT}tests/peers/otlp_grpc_go`;

/** Where `go` is: on PATH, or where the official archive puts it. */
async function findGo(): Promise<string> {
  for (const candidate of ["go", "/usr/local/go/bin/go"]) {
    try {
      const { success } = await new Deno.Command(candidate, { args: ["version"] }).output();
      if (success) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  throw new Error(
    "Cannot build the grpc-go test peer: no Go toolchain on PATH or at /usr/local/go/bin/go. " +
      "Install Go (https://go.dev/doc/install) or put it on PATH.",
  );
}

let built: Promise<string> | undefined;

/** Builds the peer once per test process and returns the path of the binary. */
export function buildGoOtlpPeer(): Promise<string> {
  built ??= (async () => {
    const go = await findGo();
    const dir = await Deno.makeTempDir({ prefix: "beacon-go-peer-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const output = `${dir}/otlp_grpc_go`;
    const result = await new Deno.Command(go, {
      args: ["build", "-mod=readonly", "-buildvcs=false", "-o", output, "."],
      cwd: PEER_DIR,
      env: {
        GOPATH: `${ROOT}.tmp/go`,
        GOCACHE: `${ROOT}.tmp/go-cache`,
        // Module files writable, so `.tmp` can be deleted like any other folder.
        GOFLAGS: "-modcacherw",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!result.success) {
      const text = new TextDecoder().decode(result.stderr);
      throw new Error(`go build of ${PEER_DIR} failed:\n${text}`);
    }
    return output;
  })();
  return built;
}

/** What one run of the peer printed and returned. */
export interface GoPeerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the peer against `127.0.0.1:port`: `connections` connections one after another, `calls`
 * Logs Export calls on each, each record's `conversation.id` being `marker-<connection>-<call>`.
 */
export async function runGoOtlpPeer(
  options: { port: number; connections: number; calls: number; marker: string; token?: string },
): Promise<GoPeerRun> {
  const binary = await buildGoOtlpPeer();
  const result = await new Deno.Command(binary, {
    args: [
      `-port=${options.port}`,
      `-connections=${options.connections}`,
      `-calls=${options.calls}`,
      `-marker=${options.marker}`,
      ...(options.token ? [`-token=${options.token}`] : []),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}
