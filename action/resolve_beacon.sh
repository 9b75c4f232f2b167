#!/usr/bin/env bash
# Step 1 of the Action: decides where Beacon comes from, without downloading anything.
#
# In (environment): INPUT_BINARY_PATH, INPUT_VERSION, ACTION_REF (github.action_ref),
#   GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE or RUNNER_TEMP.
# Out ($GITHUB_OUTPUT):
#   source      "path" (binary-path given), "release" (a published binary) or "source" (Deno)
#   version     the release tag, for "release"
#   target      the release target (release_names.sh target), for "release"
#   cache-path  the folder that holds the verified binary (restored by actions/cache), and
#   cache-key   its cache key, for "release"
#
# version: "" means the Action's own ref (`uses: owner/beacon@v1.2.3` gives v1.2.3). A ref that
# names no release (a branch, a commit SHA, a local `uses: ./`), "source", and a runner with no
# published binary all run Beacon from the Action's own source with Deno.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/github_files.sh
source "$here/github_files.sh"

output() { github_file_append "$GITHUB_OUTPUT" "$1" "$2"; }

if [[ -n "${INPUT_BINARY_PATH:-}" ]]; then
  if [[ ! -f "$INPUT_BINARY_PATH" || ! -x "$INPUT_BINARY_PATH" ]]; then
    echo "::error::binary-path \"$INPUT_BINARY_PATH\" is not an executable file: give the path of a beacon binary, or leave binary-path empty to download the release"
    exit 1
  fi
  output source path
  exit 0
fi

version=${INPUT_VERSION:-}
if [[ -z "$version" ]]; then
  version=${ACTION_REF:-}
  # The runner leaves github.action_ref empty in some composite-action contexts; the Action's
  # folder is .../_actions/OWNER/REPO/REF then.
  if [[ -z "$version" && "${GITHUB_ACTION_PATH:-}" == */_actions/*/*/* ]]; then
    version=$(basename "$GITHUB_ACTION_PATH")
  fi
fi

if [[ "$version" == source ]]; then
  output source source
  exit 0
fi
if [[ ! "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  if [[ -n "${INPUT_VERSION:-}" ]]; then
    echo "::error::version \"$INPUT_VERSION\" is not a release tag: use one such as v0.1.0, or \"source\" to run Beacon from the Action's source"
    exit 1
  fi
  echo "::notice::the Action's ref \"${version:-(none)}\" names no release: running Beacon from the Action's source with Deno (set version: to a release tag such as v0.1.0 to download its binary)"
  output source source
  exit 0
fi

if ! target=$("$here/release_names.sh" target "${RUNNER_OS:-}" "${RUNNER_ARCH:-}"); then
  echo "::notice::no Beacon binary is published for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}: running Beacon $version from the Action's source with Deno"
  output source source
  exit 0
fi

cache_root=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:?RUNNER_TEMP is not set}}
output source release
output version "$version"
output target "$target"
output cache-path "$cache_root/beacon/$version/$target"
output cache-key "beacon-$version-$target"
