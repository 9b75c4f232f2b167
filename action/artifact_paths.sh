#!/usr/bin/env bash
# Step 4 of the Action (finish and exec, when upload-artifact is true, whatever happened before):
# lists the files actions/upload-artifact uploads: the run's runtime log with its archives (and a
# torn tail, if one was set aside) and the summary (summary.md, summary.json). Never CODEX_HOME,
# which may hold credentials.
#
# In (environment): LOG_PATH, SUMMARY_PATH, STATE_PATH (the beacon step's outputs; LOG_PATH falls
#   back to BEACON_ACTION_LOG_PATH, left by start), INPUT_ARTIFACT_NAME, GITHUB_JOB.
# Out ($GITHUB_OUTPUT): `paths` (one a line; empty when there is nothing to upload) and `name`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/github_files.sh
source "$here/github_files.sh"

log=${LOG_PATH:-${BEACON_ACTION_LOG_PATH:-}}
paths=()
if [[ -n "$log" ]]; then
  for file in "$log" "$log".*; do
    [[ -f "$file" ]] && paths+=("$file")
  done
fi
if [[ -n "${SUMMARY_PATH:-}" ]]; then
  summary_dir=$(dirname "$SUMMARY_PATH")
  for file in "$SUMMARY_PATH" "$summary_dir/summary.md" "$summary_dir/summary.json"; do
    [[ -f "$file" ]] || continue
    already=false
    for seen in ${paths[@]+"${paths[@]}"}; do [[ "$seen" == "$file" ]] && already=true; done
    [[ "$already" == true ]] || paths+=("$file")
  done
fi
if [[ ${#paths[@]} -eq 0 ]]; then
  echo "::warning::no Beacon log or summary to upload (did beacon ci start run in this job?)"
fi

name=${INPUT_ARTIFACT_NAME:-}
if [[ -z "$name" ]]; then
  # Unique within the workflow run, as upload-artifact@v4 requires: the job, plus the name of
  # the run's own folder, which holds its state file (matrix jobs share a job id).
  name="beacon-${GITHUB_JOB:-job}"
  if [[ -n "${STATE_PATH:-}" ]]; then name+="-$(basename "$(dirname "$STATE_PATH")")"; fi
fi
github_file_append "$GITHUB_OUTPUT" name "$name"
github_file_append "$GITHUB_OUTPUT" paths "$(printf '%s\n' ${paths[@]+"${paths[@]}"})"
