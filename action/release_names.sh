#!/usr/bin/env bash
# The names of Beacon's release files: the one place that says them, used by the release workflow
# (to name what it publishes) and by the Action (to find what it downloads).
#
#   release_names.sh targets                 every target the release builds, one a line
#   release_names.sh target RUNNER_OS ARCH   the target for a runner (Linux|macOS, X64|ARM64);
#                                            exit 1 with no output when there is none
#   release_names.sh archive TARGET          the archive of that target: beacon-TARGET.tar.gz,
#                                            holding one file, `beacon`
#   release_names.sh checksums               the checksum file: SHA256SUMS (sha256sum format)
set -euo pipefail

targets=(
  x86_64-unknown-linux-gnu
  aarch64-unknown-linux-gnu
  x86_64-apple-darwin
  aarch64-apple-darwin
)

usage() {
  echo "usage: release_names.sh targets | target RUNNER_OS RUNNER_ARCH | archive TARGET | checksums" >&2
  exit 2
}

case "${1:-}" in
  targets)
    printf '%s\n' "${targets[@]}"
    ;;
  target)
    [[ $# -eq 3 ]] || usage
    case "$2/$3" in
      Linux/X64) echo x86_64-unknown-linux-gnu ;;
      Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
      macOS/X64) echo x86_64-apple-darwin ;;
      macOS/ARM64) echo aarch64-apple-darwin ;;
      *) exit 1 ;;
    esac
    ;;
  archive)
    [[ $# -eq 2 ]] || usage
    known=false
    for target in "${targets[@]}"; do [[ "$target" == "$2" ]] && known=true; done
    if [[ "$known" != true ]]; then
      echo "release_names.sh: unknown target \"$2\" (known: ${targets[*]})" >&2
      exit 1
    fi
    echo "beacon-$2.tar.gz"
    ;;
  checksums)
    echo SHA256SUMS
    ;;
  *) usage ;;
esac
