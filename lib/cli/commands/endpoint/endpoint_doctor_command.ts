import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import type { DoctorCheck } from "../../../endpoint/doctor/doctor_checks.ts";
import { type DoctorReport, runDoctorChecks } from "../../../endpoint/doctor/run_doctor_checks.ts";
import { describeSkippedChecks } from "../../../endpoint/skipped_check.ts";
import { stringifyTomlJson } from "../../../toml/toml_json.ts";
import { installOrRepair } from "./endpoint_install_command.ts";

const MARK: Record<DoctorCheck["status"], string> = {
  ok: "ok  ",
  fail: "FAIL",
  warn: "warn",
  skip: "skip",
};

/** `beacon endpoint doctor [--fix]`: named checks, one line each, and what --fix would do. */
export const endpointDoctorCommand: Command = {
  words: ["endpoint", "doctor"],
  summary: "Run named health checks, one line each; --fix repairs what failed",
  description:
    "Checks, for each harness the endpoint manages: its config parses, is configured as the\n" +
    "policy wants, points at Beacon, and its events arrive; then: the collector answers, accepts\n" +
    "the token, can write the runtime log, and no config layer overrides Beacon's settings.\n" +
    "A failing check says what --fix would do. --fix runs `beacon endpoint repair` when a check\n" +
    "it can fix failed (the repair plan holds only what differs), then checks again.\n\n" +
    "Run without sudo on a system endpoint, the checks that need root (the collector's token)\n" +
    "are skipped and named; they count neither way.\n\n" +
    "Exit codes: 0 every check that ran passed (warnings allowed), 3 a check failed, 1 error.",
  options: {
    ...ENDPOINT_COMMON_OPTIONS,
    fix: { type: "boolean", description: "Repair what failed (as `beacon endpoint repair`)." },
  },
  async run(args, context) {
    let report = await runChecks(args, context);
    const fixable = report.checks.filter((check) =>
      check.status === "fail" && check.fix && !check.fix.startsWith("none")
    );
    if (args.values.fix && fixable.length) {
      context.stdout(`Fixing: ${fixable.map((check) => check.name).join(", ")}\n`);
      const code = await installOrRepair(
        { ...args, values: { ...args.values, fix: undefined } },
        context,
        "repair",
      );
      if (code === EXIT.error) return code;
      context.stdout("\n");
      report = await runChecks(args, context);
    }
    const { checks, skipped } = report;
    if (args.values.json) {
      context.stdout(stringifyTomlJson({ checks, skipped }, 2) + "\n");
    } else {
      for (const check of checks) {
        context.stdout(`${MARK[check.status]} ${check.name}: ${check.detail}\n`);
        if (check.status === "fail" && check.fix) context.stdout(`       --fix: ${check.fix}\n`);
      }
      if (skipped.length) {
        context.stdout(["", ...describeSkippedChecks(skipped, report.mode)].join("\n") + "\n");
      }
    }
    return checks.some((check) => check.status === "fail") ? EXIT.attention : EXIT.ok;
  },
};

async function runChecks(
  args: Parameters<Command["run"]>[0],
  context: Parameters<Command["run"]>[1],
): Promise<DoctorReport & { mode: "user" | "system" }> {
  const setup = await endpointSetup(args, context);
  const report = await runDoctorChecks({
    system: { ...context, host: setup.host },
    loaded: setup.loaded,
    policy: setup.policy,
    mode: setup.mode,
    paths: setup.paths,
  });
  return { ...report, mode: setup.mode };
}
