/**
 * Runs the real Claude Code CLI (`@anthropic-ai/claude-code`, pinned in tools/package.json)
 * offline against the mock Messages API, with a clean environment and its own HOME.
 *
 * @module
 */
import { CLI_TIMEOUT_MS, type CliRunResult, runCliProcess } from "./run_cli_process.ts";

/** A run is ended after this long. A healthy run takes about a second. */
export const CLAUDE_CODE_TIMEOUT_MS = CLI_TIMEOUT_MS;

/** The CLI's path: the native binary the npm package links over `bin/claude.exe`. */
export function claudeCodeBinary(): string {
  return new URL("../../tools/node_modules/.bin/claude", import.meta.url).pathname;
}

/** Options for {@linkcode runClaudeCode}. */
export interface RunClaudeCodeOptions {
  /** HOME for the run: `~/.claude/settings.json` and `~/.claude.json` live under it. */
  home: string;
  /** Working folder (the project). */
  cwd: string;
  /** `ANTHROPIC_BASE_URL`: the mock Messages API. */
  baseUrl: string;
  prompt: string;
  /** Extra flags before the prompt, e.g. `["--allowedTools", "Bash"]`. */
  args?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Outcome of a Claude Code process. */
export type ClaudeCodeRunResult = CliRunResult;

/**
 * Runs `claude -p PROMPT [args]` with stdin closed and only PATH, HOME, LANG, TERM, the mock's
 * URL, a fake API key, no auto-update and no nonessential traffic (no lookups of
 * api.anthropic.com) plus `env`: telemetry settings come from `~/.claude/settings.json` (or
 * `env`). Claude Code flushes its telemetry at exit, so when this resolves every export it made
 * has been answered or given up.
 */
export function runClaudeCode(options: RunClaudeCodeOptions): Promise<ClaudeCodeRunResult> {
  return runCliProcess(claudeCodeBinary(), ["-p", options.prompt, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: {
      HOME: options.home,
      TERM: "dumb",
      ANTHROPIC_BASE_URL: options.baseUrl,
      ANTHROPIC_API_KEY: "sk-ant-fake-000",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      ...options.env,
    },
    timeoutMs: options.timeoutMs ?? CLAUDE_CODE_TIMEOUT_MS,
  });
}
