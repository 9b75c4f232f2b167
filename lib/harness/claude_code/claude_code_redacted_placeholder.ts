/**
 * What Claude Code sends instead of a prompt or an answer it was not asked to log
 * (`OTEL_LOG_USER_PROMPTS` / `OTEL_LOG_ASSISTANT_RESPONSES` off). The text never reached
 * Beacon, so the placeholder must not be hashed or counted as if it were the text.
 */
export const CLAUDE_CODE_REDACTED_PLACEHOLDER = "<REDACTED>";
