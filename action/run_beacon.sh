#!/usr/bin/env bash
# Step 3 of the Action: runs `beacon ci start`, `ci finish` or `ci exec` as the mode input says.
#
# In (environment): BEACON (the path install_beacon.sh gave), INPUT_MODE, INPUT_COMMAND,
#   INPUT_POLICY, INPUT_HARNESS, INPUT_INHERIT_CONFIG, INPUT_INHERIT_CODEX_CONFIG,
#   INPUT_MIN_EVENTS, INPUT_REQUIRE, INPUT_REQUIRE_TELEMETRY; for finish, what start left in the
#   job's environment (BEACON_CI_STATE, CODEX_HOME, CLAUDE_CONFIG_DIR, BEACON_ACTION_LOG_PATH).
# Out: Beacon itself appends codex-home, claude-config-dir, log-path, state-path, collector-url
#   (start; and the run token's ::add-mask:: on stdout) and
#   summary-path (finish) to $GITHUB_OUTPUT; this script adds BEACON_ACTION_LOG_PATH to $GITHUB_ENV
#   at start, so that finish can report and upload the log. Exits with Beacon's exit code (for
#   exec: the command's, unless it succeeded and a gate failed).
#
# exec runs the command input with `bash --noprofile --norc -eo pipefail -c "$INPUT_COMMAND"`,
# as a workflow's own `run:` step would: the text is the workflow's code, run on purpose, and is
# never pasted into this script.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/github_files.sh
source "$here/github_files.sh"

: "${BEACON:?BEACON is not set: the install step did not run}"

start_flags=()
if [[ -n "${INPUT_POLICY:-}" ]]; then start_flags+=(--policy "$INPUT_POLICY"); fi
# Beacon checks the names (and says which exist); here they are only passed on as one word.
if [[ -n "${INPUT_HARNESS:-}" ]]; then start_flags+=(--harness "$INPUT_HARNESS"); fi
if [[ -n "${INPUT_INHERIT_CONFIG:-}" ]]; then start_flags+=(--inherit-config "$INPUT_INHERIT_CONFIG"); fi
case "${INPUT_INHERIT_CODEX_CONFIG:-false}" in
  true) start_flags+=(--inherit-codex-config) ;;
  false | "") ;;
  *)
    echo "::error::inherit-codex-config must be true or false, not \"$INPUT_INHERIT_CODEX_CONFIG\""
    exit 1
    ;;
esac

gate_flags=()
if [[ -n "${INPUT_MIN_EVENTS:-}" ]]; then
  if [[ ! "$INPUT_MIN_EVENTS" =~ ^[0-9]+$ ]]; then
    echo "::error::min-events must be a whole number, not \"$INPUT_MIN_EVENTS\""
    exit 1
  fi
  gate_flags+=(--min-events "$INPUT_MIN_EVENTS")
fi
if [[ -n "${INPUT_REQUIRE:-}" ]]; then gate_flags+=(--require "$INPUT_REQUIRE"); fi
case "${INPUT_REQUIRE_TELEMETRY:-}" in
  false) gate_flags+=(--require-telemetry=false) ;;
  true | "") ;;
  *)
    echo "::error::require-telemetry must be true or false, not \"$INPUT_REQUIRE_TELEMETRY\""
    exit 1
    ;;
esac

# Beacon's outputs that finish does not write itself, from what start left in the environment.
repeat_start_outputs() {
  if [[ -n "${CODEX_HOME:-}" ]]; then github_file_append "$GITHUB_OUTPUT" codex-home "$CODEX_HOME"; fi
  if [[ -n "${CLAUDE_CONFIG_DIR:-}" ]]; then
    github_file_append "$GITHUB_OUTPUT" claude-config-dir "$CLAUDE_CONFIG_DIR"
  fi
  if [[ -n "${BEACON_CI_STATE:-}" ]]; then github_file_append "$GITHUB_OUTPUT" state-path "$BEACON_CI_STATE"; fi
  if [[ -n "${BEACON_ACTION_LOG_PATH:-}" ]]; then
    github_file_append "$GITHUB_OUTPUT" log-path "$BEACON_ACTION_LOG_PATH"
  fi
}

status=0
case "${INPUT_MODE:-}" in
  start)
    "$BEACON" ci start ${start_flags[@]+"${start_flags[@]}"} || status=$?
    if [[ "$status" -eq 0 ]]; then
      if log_path=$(github_file_value "$GITHUB_OUTPUT" log-path); then
        github_file_append "$GITHUB_ENV" BEACON_ACTION_LOG_PATH "$log_path"
      else
        echo "::warning::beacon ci start gave no log-path output: finish will not upload the log"
      fi
    fi
    ;;
  finish)
    repeat_start_outputs
    "$BEACON" ci finish ${gate_flags[@]+"${gate_flags[@]}"} || status=$?
    ;;
  exec)
    if [[ -z "${INPUT_COMMAND:-}" ]]; then
      echo "::error::mode exec needs the command input: the shell command to run with Beacon watching"
      exit 1
    fi
    "$BEACON" ci exec ${start_flags[@]+"${start_flags[@]}"} ${gate_flags[@]+"${gate_flags[@]}"} -- \
      bash --noprofile --norc -eo pipefail -c "$INPUT_COMMAND" || status=$?
    ;;
  *)
    echo "::error::mode must be start, finish or exec, not \"${INPUT_MODE:-}\""
    exit 1
    ;;
esac
exit "$status"
