import type { FileSystem } from "../../reconcile/file_system.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../exit_codes.ts";
import { VERSION } from "../version.ts";
import { loadPolicy } from "../../policy/load_policy.ts";
import { withCodexSpans } from "../../policy/with_codex_spans.ts";
import { adminGroupId } from "../../endpoint/admin_group_id.ts";
import { runtimeLogPathOf } from "../../endpoint/endpoint_paths.ts";
import { openRuntimeLog, RUNTIME_LOG_MODES } from "../../runtime_log/open_runtime_log.ts";
import { RuntimeLogUnavailableError } from "../../runtime_log/runtime_log_unavailable_error.ts";
import { startCollector } from "../../collector/start_collector.ts";
import { parseListenAddress } from "../../collector/parse_listen_address.ts";
import { harnessClassifier } from "../../collector/harness_classifier.ts";
import type { BeaconEventCiRun } from "../../events/beacon_event.ts";
import { parseCiContextFile } from "../../ci/parse_ci_context_file.ts";
import { eventCiRun } from "../../ci/event_ci_run.ts";
import { loadNodeRequire } from "../../host/load_node_require.ts";

/** `beacon collector run`: the long-running OTLP receiver the harnesses send their telemetry to. */
export const collectorRunCommand: Command = {
  words: ["collector", "run"],
  summary: "Run the local OTLP collector that writes Beacon's runtime log (until stopped)",
  description:
    "Listens on the policy's collector.listen address (default 127.0.0.1:4318) for OTLP/HTTP\n" +
    "(protobuf or JSON, plain or gzip), Connect and gRPC-Web, and on collector.grpc_listen for\n" +
    "OTLP/gRPC when collector.grpc = true. Keeps the semantic events each managed harness\n" +
    "(Codex, Claude Code) sends, applies the policy's content rules, and appends one JSON event\n" +
    "per line to the runtime log, answering each request only once its events are synced to\n" +
    'disk. Other services\' telemetry is dropped and counted (collector.other_services = "record"\n' +
    "keeps their log records by name only). Past collector.memory_limit_mib of memory, or\n" +
    "collector.max_buffered_bytes of request bodies in flight, requests get 503 with\n" +
    "Retry-After; past collector.max_connections, an idle connection makes room or the\n" +
    "newcomer is closed. GET /healthz describes the collector. SIGTERM or SIGINT: stop\n" +
    "accepting, finish in-flight requests, sync, exit 0.\n\n" +
    "Exit codes: 0 stopped by a signal, 1 could not start (address in use, log not writable).",
  options: {
    policy: { type: "string", valueName: "PATH", description: "Policy file to use." },
    system: {
      type: "boolean",
      description: 'Run as the machine-wide collector (as mode = "system" in the policy).',
    },
    "include-codex-spans": {
      type: "boolean",
      description: "Keep Codex's raw spans whatever the policy says (troubleshooting only).",
    },
    "token-file": {
      type: "string",
      valueName: "PATH",
      description: "Require the token in this file instead of the policy's collector.token.",
    },
    "ci-context": {
      type: "string",
      valueName: "PATH",
      description: "Stamp every event with this CI run (the ci_context.json `beacon ci start` " +
        "writes).",
    },
  },
  async run({ values }, context) {
    const loaded = await loadPolicy(context, values.policy as string | undefined, {
      system: values.system === true,
    });
    const policy = values["include-codex-spans"] ? withCodexSpans(loaded.policy) : loaded.policy;
    if (typeof values["token-file"] === "string") {
      policy.collector.token = await readTokenFile(context.fs, values["token-file"]);
    }
    // The run's context, under this policy's content rules, once: every event gets the same.
    const ci = typeof values["ci-context"] === "string"
      ? await readCiRun(context.fs, values["ci-context"], policy.content)
      : undefined;
    const mode = values.system ? "system" : policy.endpoint.mode;
    const logPath = runtimeLogPathOf(policy, mode, context.host);
    const stamp = () => new Date().toISOString();
    // Forwarding to gateways ([[destinations]]): cursors load before the log opens, so that
    // rotation keeps the archives a destination has not delivered yet. Its code (HTTP, TLS,
    // gRPC clients) is loaded only when the policy names a destination.
    const forwarder = policy.destinations.length
      ? await (await loadForwarder()).createForwarder({
        logPath,
        destinations: policy.destinations,
        forwarding: policy.forwarding,
        archives: policy.runtime_log.archives,
        resource: { hostName: Deno.hostname(), version: VERSION },
        fileMode: RUNTIME_LOG_MODES[mode].fileMode,
        onLog: (line) => context.stderr(`${stamp()} ${line}\n`),
      })
      : null;
    let log;
    try {
      log = await openRuntimeLog({
        retention: forwarder?.retention,
        path: logPath,
        maxBytes: policy.runtime_log.max_bytes,
        archives: policy.runtime_log.archives,
        ...RUNTIME_LOG_MODES[mode],
        // A system log is readable by the administrators' group (0640), by nobody else.
        ...(mode === "system" && Deno.uid() === 0 ? { gid: await adminGroupId(context.fs) } : {}),
      });
    } catch (error) {
      // At start nothing will retry: say so, rather than the running collector's "next event
      // retries".
      if (error instanceof RuntimeLogUnavailableError) {
        throw new Error(`${error.reason} The collector did not start.`, { cause: error });
      }
      throw error;
    }
    log.onIncident((error) =>
      context.stderr(
        `${stamp()} runtime log unavailable (requests get 503 until it recovers): ${error.message}\n`,
      )
    );
    log.onRecovered(() => context.stderr(`${stamp()} runtime log writable again\n`));
    if (log.repair.repairedBytes) {
      context.stderr(
        `${stamp()} repaired a torn last line (${log.repair.repairedBytes} bytes) in ${logPath}` +
          (log.repair.tornPath ? `; the fragment is kept in ${log.repair.tornPath}` : "") + "\n",
      );
    }

    // Listening for signals before the banner: a service manager (or a test) that stops the
    // collector as soon as it says it listens gets a graceful stop, not the default kill.
    const stop = Promise.withResolvers<string>();
    const signals: Deno.Signal[] = ["SIGTERM", "SIGINT"];
    const handlers = signals.map((signal) => {
      const handler = () => stop.resolve(signal);
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    });
    let collector;
    try {
      collector = await startCollector({
        http: parseListenAddress(policy.collector.listen),
        grpc: policy.collector.grpc ? parseListenAddress(policy.collector.grpc_listen) : undefined,
        token: policy.collector.token,
        maxRequestBytes: policy.collector.max_request_bytes,
        limits: {
          memoryLimitBytes: policy.collector.memory_limit_mib * 1024 * 1024,
          maxBufferedBytes: policy.collector.max_buffered_bytes,
          maxConnections: policy.collector.max_connections,
        },
        mode,
        version: VERSION,
        log,
        classify: harnessClassifier(policy),
        ci,
        onError: (message) => context.stderr(`${stamp()} ${message}\n`),
        extraHealth: forwarder
          ? () => ({ forwarding: { destinations: forwarder.status(), ...policy.forwarding } })
          : undefined,
      });
    } catch (error) {
      for (const remove of handlers) remove();
      await log.close();
      throw error;
    }
    const { hostname, port } = collector.http;
    context.stdout(
      `beacon collector ${VERSION} (${mode} mode, policy: ${loaded.source})\n` +
        `  listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port} ` +
        `(OTLP/HTTP, Connect, gRPC-Web)\n` +
        (collector.grpc
          ? `  listening on ${collector.grpc.hostname}:${collector.grpc.port} (OTLP/gRPC)\n`
          : "") +
        `  writing events to ${logPath}\n` +
        (ci ? `  stamping them with the CI run ${describeCiRun(ci)}\n` : "") +
        policy.destinations.map((d) => `  forwarding to ${d.name} (${d.endpoint}, ${d.protocol})\n`)
          .join(""),
    );
    forwarder?.start(() => log.stats().bytes);

    const signal = await stop.promise;
    context.stdout(`${signal}: finishing in-flight requests\n`);
    await collector.close();
    await forwarder?.stop();
    await log.close();
    // The listeners stay until the process exits: a second SIGTERM while it does (a service
    // manager repeating itself) finds a collector already stopped, not the default action
    // (which would end an exit 0 as 143).
    context.stdout(`stopped; ${log.stats().linesWritten} events written since start\n`);
    return EXIT.ok;
  },
};

/** The token in `path` (one line, 16 to 256 printable ASCII characters, as the policy's). */
async function readTokenFile(fs: FileSystem, path: string): Promise<string> {
  const text = await readTextOrExplain(fs, path, "the token file");
  const token = text.replace(/\r?\n$/, "");
  if (!/^[\x21-\x7e]{16,256}$/.test(token)) {
    throw new Error(
      `Cannot use the token file "${path}": expected one line of 16 to 256 printable ASCII ` +
        "characters.",
    );
  }
  return token;
}

/** The `ci` object to stamp, from a `--ci-context` file and the policy's content rules. */
async function readCiRun(
  fs: FileSystem,
  path: string,
  content: Parameters<typeof eventCiRun>[1],
): Promise<BeaconEventCiRun> {
  const text = await readTextOrExplain(fs, path, "the CI context file");
  return eventCiRun(parseCiContextFile(text, path), content);
}

/** The text of a file named on the command line, or an error for people naming it. */
async function readTextOrExplain(fs: FileSystem, path: string, what: string): Promise<string> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new Error(`Cannot read ${what} "${path}": ${(error as Error).message}`);
  }
  if (bytes === undefined) throw new Error(`Cannot read ${what} "${path}": no such file`);
  return new TextDecoder().decode(bytes);
}

/** `github-actions acme/app run 4242`: enough to tell runs apart in the collector's output. */
function describeCiRun(ci: BeaconEventCiRun): string {
  return [ci.provider, ci.repository, ci.run_id && `run ${ci.run_id}`].filter(Boolean).join(" ");
}

/** The forwarder, after `require` for its bundled gRPC client (grpc-js is CommonJS). */
async function loadForwarder() {
  await loadNodeRequire();
  return await import("../../forward/start_forwarder.ts");
}
