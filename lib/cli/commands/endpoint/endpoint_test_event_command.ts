import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { collectorUrlOf } from "../../../endpoint/plan_endpoint.ts";
import { runtimeLogPathOf } from "../../../endpoint/endpoint_paths.ts";
import { sendTestEvent, TestEventError } from "../../../endpoint/send_test_event.ts";
import { endpointCollectorToken } from "../../../endpoint/collector_token.ts";

/** `beacon endpoint test-event`: prove the whole path from an OTLP sender to the runtime log. */
export const endpointTestEventCommand: Command = {
  words: ["endpoint", "test-event"],
  summary: "Send a synthetic event through the collector and find it in the runtime log",
  description: "Sends one Codex-shaped OTLP log record (a session start with session id\n" +
    "beacon-test-event-<uuid>) to the policy's collector address, with the collector's token (the\n" +
    "policy's, or the one endpoint install generated for this machine), and\n" +
    "waits until it appears in the runtime log. A failure names the cause: nothing listening,\n" +
    "token rejected, runtime log unwritable, or written somewhere else.\n\n" +
    "Exit codes: 0 the event arrived, 1 it did not.",
  options: ENDPOINT_COMMON_OPTIONS,
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const logPath = runtimeLogPathOf(setup.policy, setup.mode, setup.host);
    try {
      const result = await sendTestEvent(context, {
        collectorUrl: collectorUrlOf(setup.policy),
        token: await endpointCollectorToken(setup.policy, context.fs, setup.paths),
        runtimeLogPath: logPath,
      });
      context.stdout(
        args.values.json
          ? JSON.stringify({ ok: true, ...result, runtimeLogPath: logPath }) + "\n"
          : `The test event (session ${result.sessionId}) reached ${logPath} in ${result.milliseconds} ms.\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof TestEventError)) throw error;
      if (args.values.json) {
        context.stdout(
          JSON.stringify({ ok: false, error: error.message, runtimeLogPath: logPath }) + "\n",
        );
      } else {
        context.stderr(`error: ${error.message}\n`);
      }
      return EXIT.error;
    }
  },
};
