import type { FlatValue } from "../../otlp/flatten_any_value.ts";

/**
 * Whether a resource's `service.name` is Claude Code's: it sets `claude-code` on logs, metrics
 * and spans alike. Any other service sent to the same collector is not Claude Code, whatever its
 * records are named.
 *
 * @example
 * ```ts
 * import { isClaudeCodeService } from "./is_claude_code_service.ts";
 * isClaudeCodeService("claude-code"); // true
 * isClaudeCodeService("codex_exec"); // false
 * ```
 */
export function isClaudeCodeService(serviceName: FlatValue | undefined): boolean {
  return typeof serviceName === "string" && serviceName.trim().toLowerCase() === "claude-code";
}
