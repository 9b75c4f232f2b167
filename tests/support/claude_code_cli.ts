/**
 * Runs the real Claude Code CLI (`@anthropic-ai/claude-code`, pinned in tools/package.json)
 * offline against the mock Messages API, with a clean environment and its own HOME.
 *
 * @module
 */
/** A run is killed after this long. A healthy run takes about a second. */
export const CLAUDE_CODE_TIMEOUT_MS = 60_000;

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
export interface ClaudeCodeRunResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs `claude -p PROMPT [args]` with stdin closed and only PATH, HOME, LANG, TERM, the mock's
 * URL, a fake API key, no auto-update and no nonessential traffic (no lookups of
 * api.anthropic.com) plus `env`: telemetry settings come from `~/.claude/settings.json` (or
 * `env`). Claude Code flushes its telemetry at exit, so when this resolves every export it made
 * has been answered or given up.
 */
export async function runClaudeCode(options: RunClaudeCodeOptions): Promise<ClaudeCodeRunResult> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: options.home,
    LANG: "C.UTF-8",
    TERM: "dumb",
    NO_COLOR: "1",
    ANTHROPIC_BASE_URL: options.baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-fake-000",
    DISABLE_AUTOUPDATER: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    ...options.env,
  };
  const child = new Deno.Command(claudeCodeBinary(), {
    args: ["-p", options.prompt, ...(options.args ?? [])],
    cwd: options.cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? CLAUDE_CODE_TIMEOUT_MS);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}
