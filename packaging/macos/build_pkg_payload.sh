#!/usr/bin/env bash
# Lays out what the macOS installer package for a system-mode (MDM) install contains: the payload
# (DIR/root, installed at /) and the Installer scripts (DIR/scripts). Runs on macOS and Linux, so
# the layout is tested anywhere; build_pkg.sh turns it into a signed .pkg on macOS.
#
# Usage: build_pkg_payload.sh --binary PATH --version X.Y.Z --out DIR [--policy PATH]
#
#   DIR/root/opt/beacon/bin/beacon                                     0755  the binary
#   DIR/root/Library/LaunchDaemons/dev.asymptote.beacon.collector.plist 0644  the collector daemon
#   DIR/root/private/etc/beacon/policy.toml                            0644  with --policy only
#   DIR/scripts/preinstall, DIR/scripts/postinstall                    0755
#
# The policy goes under private/etc because /etc is a symlink to private/etc on macOS: a payload
# holding a real etc folder would not land in /etc. It is read back as /etc/beacon/policy.toml.
# pkgbuild --ownership recommended makes every payload item root:wheel.
#
# Bash 3.2 (macOS's /bin/bash) compatible. Sourcing this file defines its functions without
# running it (the tests use that to check xml_escape).
set -euo pipefail

readonly LABEL="dev.asymptote.beacon.collector"
readonly INSTALLED_BINARY="/opt/beacon/bin/beacon"
readonly INSTALLED_POLICY="/etc/beacon/policy.toml"
readonly PAYLOAD_POLICY="private/etc/beacon/policy.toml"
readonly COLLECTOR_LOG="/var/log/beacon-agent/collector.log"
# Release versions as in deno.json: X.Y.Z, optionally -prerelease or +build (dots, letters, digits).
readonly VERSION_PATTERN='^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$'

usage() {
  cat <<'USAGE'
Usage: build_pkg_payload.sh --binary PATH --version X.Y.Z --out DIR [--policy PATH]

Lays out the macOS package payload (DIR/root) and Installer scripts (DIR/scripts) for a
system-mode Beacon install. DIR/root and DIR/scripts must not exist yet.

  --binary PATH   the compiled beacon binary (universal or one architecture)
  --version X.Y.Z the package version (deno.json's version)
  --out DIR       where to write root/ and scripts/
  --policy PATH   a policy to install as /etc/beacon/policy.toml (optional)
USAGE
}

# A usage mistake: say what is wrong and how to call the script; exit 2.
usage_error() {
  printf 'build_pkg_payload.sh: %s\n' "$1" >&2
  printf 'Run build_pkg_payload.sh --help for usage.\n' >&2
  exit 2
}

# Anything else that stops the build; exit 1.
die() {
  printf 'build_pkg_payload.sh: %s\n' "$1" >&2
  exit 1
}

# Text escaped for an XML element or attribute value. Refuses control characters, which a
# property list cannot hold (XML 1.0 forbids most of them; launchd would not get the value back).
xml_escape() {
  case "$1" in
  *[[:cntrl:]]*)
    printf 'build_pkg_payload.sh: cannot write %q into a property list: it holds a control character\n' "$1" >&2
    return 1
    ;;
  esac
  # sed, not ${var//}: bash 5.2 gives "&" in a replacement a special meaning, bash 3.2 does not.
  printf '%s\n' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' \
    -e 's/"/\&quot;/g' -e "s/'/\&apos;/g"
}

# <string>value</string>, escaped.
plist_string() {
  local escaped
  escaped=$(xml_escape "$1") || return 1
  printf '<string>%s</string>' "$escaped"
}

# The collector's LaunchDaemon, in the form `plutil -convert xml1` writes (keys sorted, tabs), so
# the file on disk is already canonical. $1: "yes" when a policy ships with the package.
render_collector_plist() {
  local with_policy="$1"
  # Escaped into variables first: a failing $(...) inside printf's arguments would go unnoticed.
  local label background binary collector run log policy
  label=$(plist_string "$LABEL")
  background=$(plist_string Standard)
  binary=$(plist_string "$INSTALLED_BINARY")
  collector=$(plist_string collector)
  run=$(plist_string run)
  log=$(plist_string "$COLLECTOR_LOG")
  policy=$(plist_string "$INSTALLED_POLICY")

  printf '%s\n' \
    '<?xml version="1.0" encoding="UTF-8"?>' \
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">' \
    '<plist version="1.0">' \
    '<dict>'
  if [[ "$with_policy" == yes ]]; then
    printf '\t<key>EnvironmentVariables</key>\n\t<dict>\n'
    printf '\t\t<key>BEACON_POLICY</key>\n\t\t%s\n' "$policy"
    printf '\t</dict>\n'
  fi
  printf '\t<key>KeepAlive</key>\n\t<dict>\n\t\t<key>SuccessfulExit</key>\n\t\t<false/>\n\t</dict>\n'
  printf '\t<key>Label</key>\n\t%s\n' "$label"
  printf '\t<key>ProcessType</key>\n\t%s\n' "$background"
  printf '\t<key>ProgramArguments</key>\n\t<array>\n\t\t%s\n\t\t%s\n\t\t%s\n\t</array>\n' \
    "$binary" "$collector" "$run"
  printf '\t<key>RunAtLoad</key>\n\t<true/>\n'
  printf '\t<key>StandardErrorPath</key>\n\t%s\n' "$log"
  printf '\t<key>StandardOutPath</key>\n\t%s\n' "$log"
  printf '%s\n' '</dict>' '</plist>'
}

# Copies an Installer script from packaging/macos/scripts, stamping the package version in.
install_script() {
  local name="$1" version="$2" scripts_dir="$3"
  local source_dir
  source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/scripts"
  [[ -f "$source_dir/$name" ]] || die "cannot find the Installer script template $source_dir/$name"
  sed -e "s/@BEACON_VERSION@/$version/g" "$source_dir/$name" >"$scripts_dir/$name"
  chmod 0755 "$scripts_dir/$name"
}

main() {
  local binary="" version="" out="" policy=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
    --binary | --version | --out | --policy)
      [[ $# -ge 2 && -n "${2:-}" ]] || usage_error "$1 needs a value"
      case "$1" in
      --binary) binary="$2" ;;
      --version) version="$2" ;;
      --out) out="$2" ;;
      --policy) policy="$2" ;;
      esac
      shift 2
      ;;
    -h | --help)
      usage
      return 0
      ;;
    *) usage_error "unknown argument \"$1\"" ;;
    esac
  done
  [[ -n "$binary" ]] || usage_error "missing --binary PATH"
  [[ -n "$version" ]] || usage_error "missing --version X.Y.Z"
  [[ -n "$out" ]] || usage_error "missing --out DIR"
  [[ "$version" =~ $VERSION_PATTERN ]] ||
    usage_error "--version \"$version\" is not a release version like 1.2.3 or 1.2.3-rc.1"

  [[ -f "$binary" ]] || die "--binary \"$binary\": no such file"
  [[ -s "$binary" ]] || die "--binary \"$binary\" is empty"
  if [[ -n "$policy" ]]; then
    [[ -f "$policy" ]] || die "--policy \"$policy\": no such file"
    [[ -r "$policy" ]] || die "--policy \"$policy\" is not readable"
  fi
  local root="$out/root" scripts="$out/scripts"
  local existing
  for existing in "$root" "$scripts"; do
    if [[ -e "$existing" || -L "$existing" ]]; then
      die "\"$existing\" already exists; remove it or choose another --out, so nothing from an earlier build ends up in the package"
    fi
  done

  umask 022
  mkdir -p "$root/opt/beacon/bin" "$root/Library/LaunchDaemons" "$scripts"

  cp -- "$binary" "$root$INSTALLED_BINARY"
  chmod 0755 "$root$INSTALLED_BINARY"

  local with_policy=no
  if [[ -n "$policy" ]]; then
    mkdir -p "$root/$(dirname "$PAYLOAD_POLICY")"
    cp -- "$policy" "$root/$PAYLOAD_POLICY"
    chmod 0644 "$root/$PAYLOAD_POLICY"
    with_policy=yes
  fi

  local plist="$root/Library/LaunchDaemons/$LABEL.plist"
  render_collector_plist "$with_policy" >"$plist"
  chmod 0644 "$plist"

  install_script preinstall "$version" "$scripts"
  install_script postinstall "$version" "$scripts"

  # Installer applies a payload folder's mode to the existing folder (/Library, /opt): keep the
  # standard 0755 whatever the umask or the checkout said.
  find "$root" "$scripts" -type d -exec chmod 0755 {} +

  printf 'Laid out Beacon %s for a macOS package in %s:\n' "$version" "$out"
  (cd "$out" && find root scripts -type f | LC_ALL=C sort | sed 's/^/  /')
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
