/**
 * A CI run's summary for people: plain text for the terminal and Markdown for GitHub's step
 * summary (a table a reviewer reads at a glance).
 *
 * @module
 */
import type { CiRunContext } from "./ci_run_context.ts";
import type { CiGateDecision } from "./decide_ci_gates.ts";
import type { CiSummary, TokenTotals } from "./summarize_ci_events.ts";

/** What both views show. */
export interface CiReport {
  summary: CiSummary;
  gates: CiGateDecision;
  context: CiRunContext;
  logPath: string;
  /** Problems worth a line (collector found dead, config edited, unreadable lines). */
  warnings: string[];
}

const ACTIVITY: [keyof CiSummary, string][] = [
  ["sessions", "Sessions"],
  ["prompts", "Prompts"],
  ["commands", "Commands"],
  ["files_changed", "Files changed"],
  ["mcp_calls", "MCP calls"],
  ["approvals", "Approvals"],
  ["denials", "Denials"],
  ["failures", "Failures"],
];

/** The plain-text view. */
export function renderCiSummaryText(report: CiReport): string {
  const { summary } = report;
  const lines = [`Beacon CI summary (${summary.events} events in ${report.logPath})`];
  const width = Math.max(...ACTIVITY.map(([, label]) => label.length), "Tokens".length);
  for (const [key, label] of ACTIVITY) {
    lines.push(`  ${label.padEnd(width)}  ${summary[key]}`);
  }
  lines.push(`  ${"Tokens".padEnd(width)}  ${tokenText(summary.tokens)}`);
  for (const model of summary.tokens_by_model) {
    lines.push(`    model ${model.model}: ${tokenText(model)}`);
  }
  for (const session of summary.tokens_by_session) {
    lines.push(`    session ${session.session_id}: ${tokenText(session)}`);
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

/** The Markdown view, for `$GITHUB_STEP_SUMMARY` and `summary.md`. */
export function renderCiSummaryMarkdown(report: CiReport): string {
  const { summary, context } = report;
  const out: string[] = ["### Beacon: what Codex did in this run", ""];
  const where = [context.repository, context.workflow, context.job].filter(Boolean).join(" · ");
  if (where) out.push(`${escapeCell(where)}`, "");
  out.push(
    `| ${ACTIVITY.map(([, label]) => label).join(" | ")} | Tokens (in / out) |`,
    `| ${ACTIVITY.map(() => "---:").join(" | ")} | ---: |`,
    `| ${ACTIVITY.map(([key]) => summary[key]).join(" | ")} | ${number(summary.tokens.input)} / ${
      number(summary.tokens.output)
    } |`,
    "",
  );
  if (summary.tokens_by_session.length) {
    out.push(
      "| Session | Model | Responses | Input | Cached | Output | Reasoning |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      ...summary.tokens_by_session.map((row) =>
        `| \`${escapeCell(row.session_id)}\` | ${
          escapeCell(row.model ?? "")
        } | ${row.responses} | ${number(row.input)} | ${number(row.cached)} | ${
          number(row.output)
        } | ${number(row.reasoning)} |`
      ),
      "",
    );
  }
  if (summary.tokens_by_model.length > 1) {
    out.push(
      "| Model | Responses | Input | Cached | Output | Reasoning |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      ...summary.tokens_by_model.map((row) =>
        `| ${escapeCell(row.model)} | ${row.responses} | ${number(row.input)} | ${
          number(row.cached)
        } | ${number(row.output)} | ${number(row.reasoning)} |`
      ),
      "",
    );
  }
  if (report.gates.results.length) {
    out.push("| Gate | Expected | Seen | |", "| --- | --- | ---: | --- |");
    for (const result of report.gates.results) {
      out.push(
        `| ${escapeCell(result.gate)} | ${escapeCell(result.expected)} | ${result.seen} | ${
          result.passed ? "✅" : report.gates.fails_run ? "❌" : "⚠️ (warning only)"
        } |`,
      );
    }
    out.push("");
  }
  for (const warning of report.warnings) out.push(`> ⚠️ ${escapeCell(warning)}`, "");
  out.push(`${summary.events} events in \`${escapeCell(report.logPath)}\`.`, "");
  return out.join("\n");
}

function tokenText(totals: TokenTotals): string {
  return `${number(totals.input)} in (${number(totals.cached)} cached), ${
    number(totals.output)
  } out, ${number(totals.reasoning)} reasoning, ${totals.responses} responses`;
}

function number(value: number): string {
  return value.toLocaleString("en-US");
}

/** Text safe inside a Markdown table cell: no pipes, newlines or HTML. */
function escapeCell(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replaceAll("|", "\\|").replaceAll("<", "&lt;")
    .replaceAll("`", "'");
}
