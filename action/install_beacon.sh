#!/usr/bin/env bash
# Step 2 of the Action: makes Beacon runnable and writes its path to $GITHUB_OUTPUT as `beacon`.
#
# In (environment): BEACON_SOURCE, BEACON_VERSION, BEACON_TARGET, BEACON_CACHE_PATH (the outputs
#   of resolve_beacon.sh), INPUT_BINARY_PATH, GITHUB_ACTION_PATH, ACTION_REPOSITORY
#   (github.action_repository), GITHUB_SERVER_URL, RUNNER_TEMP; BEACON_RELEASE_URL, when set, is
#   the folder the release files are fetched from instead of
#   $GITHUB_SERVER_URL/ACTION_REPOSITORY/releases/download/VERSION (a mirror, GitHub Enterprise).
#
# release: when the cache folder has no binary yet, downloads the archive and the checksum file
#   named by release_names.sh, refuses an archive whose SHA-256 is not the one the checksum file
#   gives, and only then puts `beacon` in the cache folder (actions/cache saves it at job end).
# source: installs Deno from npm in the Action's folder (npm ci --prefix tools, pinned by
#   tools/package-lock.json) and writes a wrapper that runs main.ts with the binary's permission
#   flags (the `compile` task's in deno.json), so it behaves as the compiled binary does.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=action/github_files.sh
source "$here/github_files.sh"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

install_release() {
  local archive checksums base cache=$BEACON_CACHE_PATH
  if [[ -x "$cache/beacon" ]]; then
    echo "Beacon $BEACON_VERSION ($BEACON_TARGET) from the cache: $cache/beacon"
    beacon=$cache/beacon
    return
  fi
  archive=$("$here/release_names.sh" archive "$BEACON_TARGET")
  checksums=$("$here/release_names.sh" checksums)
  if [[ -n "${BEACON_RELEASE_URL:-}" ]]; then
    base=${BEACON_RELEASE_URL%/}
  else
    if [[ -z "${ACTION_REPOSITORY:-}" ]]; then
      echo "::error::cannot tell which repository publishes Beacon (github.action_repository is empty): set version: source, or binary-path"
      exit 1
    fi
    base="${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY/releases/download/$BEACON_VERSION"
  fi
  work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/beacon-download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "Downloading Beacon $BEACON_VERSION for $BEACON_TARGET from $base"
  for file in "$archive" "$checksums"; do
    if ! curl -fsSL --retry 3 --proto '=https,file' -o "$work/$file" "$base/$file"; then
      echo "::error::could not download $base/$file: is $BEACON_VERSION a published Beacon release? (version: source runs Beacon from source)"
      exit 1
    fi
  done
  local expected actual
  # sha256sum's format: HASH, two characters (space and ' ' or '*'), the file name.
  expected=$(awk -v name="$archive" '{ file = substr($0, 67) } file == name { print $1 }' \
    "$work/$checksums" | head -n 1)
  if [[ ! "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    echo "::error::$checksums of Beacon $BEACON_VERSION has no SHA-256 for $archive: refusing to run an unverified binary"
    exit 1
  fi
  actual=$(sha256_of "$work/$archive")
  if [[ "$actual" != "$expected" ]]; then
    echo "::error::$archive does not match $checksums of Beacon $BEACON_VERSION (expected SHA-256 $expected, got $actual): refusing to run it; the download was corrupted or tampered with"
    exit 1
  fi
  echo "SHA-256 verified: $actual  $archive"
  mkdir -p "$work/unpacked"
  if ! tar -xzf "$work/$archive" -C "$work/unpacked" beacon || [[ ! -f "$work/unpacked/beacon" ]]; then
    echo "::error::$archive holds no file named beacon"
    exit 1
  fi
  chmod 0755 "$work/unpacked/beacon"
  mkdir -p "$cache"
  mv -f "$work/unpacked/beacon" "$cache/beacon.partial"
  mv -f "$cache/beacon.partial" "$cache/beacon"
  beacon=$cache/beacon
}

install_source() {
  local action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set} deno flags wrapper
  deno=$action/tools/node_modules/.bin/deno
  if [[ ! -x "$deno" ]]; then
    echo "Installing Deno from npm (npm ci --prefix tools in the Action's folder)"
    npm ci --prefix "$action/tools" --no-audit --no-fund
  fi
  flags=$(node -p "require(process.argv[1]).tasks.compile.split(/\s+/).filter(w => w.startsWith('--allow-') || w.startsWith('--deny-') || w.startsWith('--v8-flags=')).join(' ')" "$action/deno.json")
  wrapper=$(mktemp -d "${RUNNER_TEMP:-/tmp}/beacon-source.XXXXXX")/beacon
  {
    echo '#!/usr/bin/env bash'
    echo "# Beacon from source: $action"
    printf 'exec %q run --quiet --no-prompt --frozen --config %q' "$deno" "$action/deno.json"
    # shellcheck disable=SC2086 # $flags is a list of flags without spaces inside them
    printf ' %q' $flags "$action/main.ts"
    printf ' "$@"\n'
  } >"$wrapper"
  chmod 0755 "$wrapper"
  beacon=$wrapper
}

beacon=""
case "${BEACON_SOURCE:-}" in
  path) beacon=$(cd "$(dirname "$INPUT_BINARY_PATH")" && pwd)/$(basename "$INPUT_BINARY_PATH") ;;
  release) install_release ;;
  source) install_source ;;
  *)
    echo "::error::unknown Beacon source \"${BEACON_SOURCE:-}\" (expected path, release or source)"
    exit 1
    ;;
esac

if ! version_line=$("$beacon" --version); then
  echo "::error::$beacon --version failed: this Beacon cannot run on ${RUNNER_OS:-this runner}/${RUNNER_ARCH:-}"
  exit 1
fi
echo "$version_line"
github_file_append "$GITHUB_OUTPUT" beacon "$beacon"
