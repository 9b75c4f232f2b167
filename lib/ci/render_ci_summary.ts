/**
 * A CI run's summary for people: plain text for the terminal and Markdown for GitHub's step
 * summary (a table a reviewer reads at a glance).
 *
 * @module
 */
import type { BeaconEventCiRun } from "../events/beacon_event.ts";
import type { CiGateDecision } from "./decide_ci_gates.ts";
import type { CiActivity, CiSummary, TokenTotals } from "./summarize_ci_events.ts";
import { harnessAdapter } from "../harness/harness_adapters.ts";

/** What both views show. */
export interface CiReport {
  summary: CiSummary;
  gates: CiGateDecision;
  /** The run, as its events' `ci` field names it (scrubbed; the actor under the policy). */
  context: BeaconEventCiRun;
  logPath: string;
  /** Problems worth a line (collector found dead, config edited, unreadable lines). */
  warnings: string[];
}

const ACTIVITY: [keyof CiActivity & keyof CiSummary, string][] = [
  ["sessions", "Sessions"],
  ["prompts", "Prompts"],
  ["commands", "Commands"],
  ["files_changed", "Files changed"],
  ["mcp_calls", "MCP calls"],
  ["approvals", "Approvals"],
  ["denials", "Denials"],
  ["failures", "Failures"],
];

/** The plain-text view: the run's counts, each harness's, tokens per model and session. */
export function renderCiSummaryText(report: CiReport): string {
  const { summary } = report;
  const lines = [`Beacon CI summary (${summary.events} events in ${report.logPath})`];
  const run = runParts(report.context);
  lines.push(`  Run: ${[...run, ...(report.context.url ? [report.context.url] : [])].join(" · ")}`);
  const width = Math.max(...ACTIVITY.map(([, label]) => label.length), "Tokens".length);
  for (const [key, label] of ACTIVITY) {
    lines.push(`  ${label.padEnd(width)}  ${summary[key]}`);
  }
  lines.push(`  ${"Tokens".padEnd(width)}  ${tokenText(summary.tokens)}`);
  for (const harness of summary.by_harness) {
    lines.push(
      `  ${harnessLabel(harness.harness)}: ${harness.events} events, ` +
        ACTIVITY.map(([key, label]) => `${harness[key]} ${label.toLowerCase()}`).join(", ") +
        `; tokens ${tokenText(harness.tokens)}`,
    );
  }
  for (const model of summary.tokens_by_model) {
    lines.push(`    ${model.harness} model ${model.model}: ${tokenText(model)}`);
  }
  for (const session of summary.tokens_by_session) {
    lines.push(`    ${session.harness} session ${session.session_id}: ${tokenText(session)}`);
  }
  for (const result of report.gates.results) {
    lines.push(
      `  ${result.passed ? "ok  " : "FAIL"} gate ${result.gate}: expected ${result.expected}, ` +
        `saw ${result.seen}`,
    );
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join("\n") + "\n";
}

/**
 * The Markdown view, for `$GITHUB_STEP_SUMMARY` and `summary.md`: one row per harness (and the
 * run's total when there are several), then tokens and cost per session and per model.
 */
export function renderCiSummaryMarkdown(report: CiReport): string {
  const { summary, context } = report;
  const names = summary.by_harness.map((harness) => harnessLabel(harness.harness));
  const who = names.length
    ? names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`
    : "the agents";
  const out: string[] = [`### Beacon: what ${escapeCell(who)} did in this run`, ""];
  out.push(`Run: ${runMarkdown(context)}`, "");
  const activityRow = (label: string, activity: CiActivity) =>
    `| ${label} | ${ACTIVITY.map(([key]) => activity[key]).join(" | ")} | ${
      number(activity.tokens.input)
    } / ${number(activity.tokens.output)} | ${cost(activity.tokens)} |`;
  out.push(
    `| Harness | ${ACTIVITY.map(([, label]) => label).join(" | ")} | Tokens (in / out) | Cost |`,
    `| --- | ${ACTIVITY.map(() => "---:").join(" | ")} | ---: | ---: |`,
    ...summary.by_harness.map((harness) =>
      activityRow(escapeCell(harnessLabel(harness.harness)), harness)
    ),
    ...(summary.by_harness.length !== 1 ? [activityRow("**All**", summary)] : []),
    "",
  );
  if (summary.tokens_by_session.length) {
    out.push(
      "| Harness | Session | Model | Responses | Input | Cached | Output | Reasoning | Cost |",
      "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...summary.tokens_by_session.map((row) =>
        `| ${escapeCell(harnessLabel(row.harness))} | \`${escapeCell(row.session_id)}\` | ${
          escapeCell(row.model ?? "")
        } | ${row.responses} | ${number(row.input)} | ${number(row.cached)} | ${
          number(row.output)
        } | ${number(row.reasoning)} | ${cost(row)} |`
      ),
      "",
    );
  }
  if (summary.tokens_by_model.length > 1) {
    out.push(
      "| Harness | Model | Responses | Input | Cached | Output | Reasoning | Cost |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...summary.tokens_by_model.map((row) =>
        `| ${escapeCell(harnessLabel(row.harness))} | ${
          escapeCell(row.model)
        } | ${row.responses} | ${number(row.input)} | ${number(row.cached)} | ${
          number(row.output)
        } | ${number(row.reasoning)} | ${cost(row)} |`
      ),
      "",
    );
  }
  if (report.gates.results.length) {
    out.push("| Gate | Expected | Seen | |", "| --- | --- | ---: | --- |");
    for (const result of report.gates.results) {
      out.push(
        `| ${escapeCell(result.gate)} | ${escapeCell(result.expected)} | ${
          escapeCell(result.seen)
        } | ${result.passed ? "✅" : report.gates.fails_run ? "❌" : "⚠️ (warning only)"} |`,
      );
    }
    out.push("");
  }
  for (const warning of report.warnings) out.push(`> ⚠️ ${escapeCell(warning)}`, "");
  out.push(`${summary.events} events in \`${escapeCell(report.logPath)}\`.`, "");
  return out.join("\n");
}

/**
 * What names the run, in reading order: provider, repository, workflow, job, run number and
 * attempt, pull request, ref, commit (12 characters).
 */
function runParts(run: BeaconEventCiRun): string[] {
  return [
    run.provider,
    run.repository,
    run.workflow,
    run.job,
    run.run_id && `run ${run.run_id}${run.run_attempt ? `, attempt ${run.run_attempt}` : ""}`,
    run.pr && `PR #${run.pr}`,
    run.ref,
    run.sha?.slice(0, 12),
  ].filter((part): part is string => Boolean(part));
}

/** {@link runParts} in Markdown, the run number linked to the run's page when it has one. */
function runMarkdown(run: BeaconEventCiRun): string {
  const linkable = run.url && /^https?:\/\/[^\s()<>\[\]`|]+$/.test(run.url) ? run.url : undefined;
  return runParts(run).map((part) =>
    linkable && run.run_id && part.startsWith(`run ${run.run_id}`)
      ? `[${escapeText(part)}](${linkable})`
      : escapeText(part)
  ).join(" · ");
}

/** {@link escapeCell}, and nothing a value could turn into a link or emphasis. */
function escapeText(text: string): string {
  return escapeCell(text.replaceAll("\\", "\\\\")).replace(/[[\]*_~]/g, (c) => `\\${c}`);
}

function tokenText(totals: TokenTotals): string {
  return `${number(totals.input)} in (${number(totals.cached)} cached${
    totals.cache_write !== undefined ? `, ${number(totals.cache_write)} cache writes` : ""
  }), ${number(totals.output)} out, ${number(totals.reasoning)} reasoning, ${totals.responses} ` +
    `responses${totals.cost_usd !== undefined ? `, ${cost(totals)}` : ""}`;
}

/** `$0.0236`, or a dash when the harness reports no cost (Codex). */
function cost(totals: TokenTotals): string {
  return totals.cost_usd === undefined ? "—" : `$${totals.cost_usd.toFixed(4)}`;
}

/** A harness's name for people (`Claude Code`), its own value when Beacon does not know it. */
function harnessLabel(name: string): string {
  return harnessAdapter(name)?.displayName ?? name;
}

function number(value: number): string {
  return value.toLocaleString("en-US");
}

/** Text safe inside a Markdown table cell: no pipes, newlines or HTML. */
function escapeCell(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replaceAll("|", "\\|").replaceAll("<", "&lt;")
    .replaceAll("`", "'");
}
