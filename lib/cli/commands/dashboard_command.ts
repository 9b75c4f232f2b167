import { endpointCollectorToken } from "../../endpoint/collector_token.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../exit_codes.ts";
import { UsageError } from "../usage_error.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../endpoint_setup.ts";
import { runtimeLogPathOf } from "../../endpoint/endpoint_paths.ts";
import { collectorUrlOf } from "../../endpoint/plan_endpoint.ts";
import { checkRuntimeLogSource } from "../../dashboard/check_runtime_log_source.ts";
import {
  DEFAULT_DASHBOARD_LISTEN,
  type ListenAddress,
  parseListenAddress,
} from "../../dashboard/parse_listen_address.ts";
import { serveDashboard } from "../../dashboard/serve_dashboard.ts";
import { resolve } from "../../host/file_path.ts";

/** `beacon dashboard`: a local, read-only page over the runtime log. */
export const dashboardCommand: Command = {
  words: ["dashboard"],
  summary: "Serve a local, read-only dashboard of the runtime log",
  description:
    "Serves the runtime log as a page on loopback: an overview, sessions, each session's\n" +
    "timeline (content exactly as the policy kept it) and search, updated live. The log is the\n" +
    "installed endpoint's (as `beacon endpoint status` resolves it) unless --log names another.\n" +
    "An index is kept beside the log (runtime.jsonl.index.sqlite; in ~/.cache/beacon/dashboard\n" +
    "when that folder is not writable) and rebuilt by itself when missing, stale or corrupt.\n\n" +
    "Each start prints a URL with a new token; the first visit exchanges it for a cookie.\n" +
    "Only loopback addresses are accepted.\n\n" +
    "Exit codes: 0 stopped by a signal, 1 could not start, 2 usage error (such as a\n" +
    "non-loopback --listen).",
  options: {
    listen: {
      type: "string",
      valueName: "HOST:PORT",
      description: `Loopback address to serve on (default ${DEFAULT_DASHBOARD_LISTEN}).`,
    },
    open: { type: "boolean", description: "Open the page in the default browser." },
    log: { type: "string", valueName: "PATH", description: "Show this runtime log instead." },
    policy: ENDPOINT_COMMON_OPTIONS.policy,
    system: ENDPOINT_COMMON_OPTIONS.system,
  },
  async run(args, context) {
    let listen: ListenAddress;
    try {
      listen = parseListenAddress(
        (args.values.listen as string | undefined) ?? DEFAULT_DASHBOARD_LISTEN,
      );
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const setup = await endpointSetup(args, context);
    const given = args.values.log as string | undefined;
    const logPath = given
      ? resolve(context.host.cwd, given)
      : runtimeLogPathOf(setup.policy, setup.mode, setup.host);
    const checkSource = checkRuntimeLogSource({
      collectorUrl: collectorUrlOf(setup.policy),
      // The token the endpoint's collector requires (the policy's, else the machine's).
      token: await endpointCollectorToken(setup.policy, context.fs, setup.paths).catch(() =>
        setup.policy.collector.token
      ),
      logPath,
      readingMode: given ? undefined : setup.mode,
    });
    const home = context.host.env.XDG_CACHE_HOME || `${context.host.home}/.cache`;

    const stop = Promise.withResolvers<string>();
    const signals: Deno.Signal[] = ["SIGTERM", "SIGINT"];
    const handlers = signals.map((signal) => {
      const handler = () => stop.resolve(signal);
      Deno.addSignalListener(signal, handler);
      return () => Deno.removeSignalListener(signal, handler);
    });
    let dashboard;
    try {
      dashboard = await serveDashboard({
        listen,
        logPath,
        index: { cacheFolder: `${home}/beacon/dashboard` },
        checkSource,
      });
    } catch (error) {
      for (const remove of handlers) remove();
      throw error;
    }
    const status = dashboard.index.status();
    context.stdout(
      `Beacon dashboard: ${dashboard.url}\n` +
        `  runtime log: ${logPath}\n` +
        `  index: ${status.indexPath}` +
        (status.rebuiltBecause ? ` (building it: ${status.rebuiltBecause})` : "") + "\n" +
        "  Open the URL above (it carries this start's token). Ctrl+C stops the dashboard.\n",
    );
    const warning = await checkSource().catch(() => undefined);
    if (warning) context.stderr(`warning: ${warning}\n`);
    if (args.values.open) await openBrowser(dashboard.openUrl(), context.stderr);

    const signal = await stop.promise;
    for (const remove of handlers) remove();
    await dashboard.close();
    context.stdout(`${signal}: dashboard stopped\n`);
    return EXIT.ok;
  },
};

async function openBrowser(url: string, stderr: (text: string) => void): Promise<void> {
  const opener = Deno.build.os === "darwin"
    ? "open"
    : Deno.build.os === "windows"
    ? "explorer"
    : "xdg-open";
  try {
    const child = new Deno.Command(opener, { args: [url], stdout: "null", stderr: "null" }).spawn();
    const status = await child.status;
    if (!status.success) throw new Error(`${opener} exited with ${status.code}`);
  } catch (error) {
    stderr(
      `Could not open a browser (${(error as Error).message}): open the URL above yourself.\n`,
    );
  }
}
