#!/usr/bin/env bash
# Builds the macOS installer package for a system-mode (MDM) Beacon install, on macOS:
#
#   1. build_pkg_payload.sh lays out the payload and the Installer scripts;
#   2. the binary is signed (Developer ID Application, hardened runtime) when APPLE_APP_IDENTITY
#      is set, and run once to prove it still starts;
#   3. pkgbuild makes the component package, productbuild the product archive (distribution.xml),
#      signed (Developer ID Installer) when APPLE_INSTALLER_IDENTITY is set;
#   4. notarytool notarizes it and stapler staples the ticket, when notary credentials are set.
#
# Usage: build_pkg.sh --binary PATH --version X.Y.Z --out FILE.pkg [--policy PATH] [--require-signing]
#
# Environment (all optional unless --require-signing):
#   APPLE_APP_IDENTITY        "Developer ID Application: ..." (in a keychain on the search list)
#   APPLE_INSTALLER_IDENTITY  "Developer ID Installer: ..."
#   Notarization, one of:
#     APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD        (an app-specific password)
#     APPLE_API_KEY_PATH, APPLE_API_KEY_ID, APPLE_API_ISSUER (an App Store Connect API key .p8)
#
# Without identities the package is unsigned: fine to try on a test Mac, not for MDM, which
# needs a signed, notarized package. Bash 3.2 (macOS's /bin/bash) compatible.
set -euo pipefail

readonly IDENTIFIER="dev.asymptote.beacon"
readonly COMPONENT_PKG="beacon-component.pkg"
readonly INSTALLED_BINARY="opt/beacon/bin/beacon"
readonly PAYLOAD_POLICY="private/etc/beacon/policy.toml"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here

usage() {
  cat <<'USAGE'
Usage: build_pkg.sh --binary PATH --version X.Y.Z --out FILE.pkg [--policy PATH] [--require-signing]

Builds the Beacon system-mode installer package (macOS only: needs pkgbuild and productbuild).
Signs the binary with $APPLE_APP_IDENTITY and the package with $APPLE_INSTALLER_IDENTITY, then
notarizes with $APPLE_ID/$APPLE_TEAM_ID/$APPLE_APP_PASSWORD or
$APPLE_API_KEY_PATH/$APPLE_API_KEY_ID/$APPLE_API_ISSUER, when they are set.

  --binary PATH       the compiled beacon binary (universal: arm64 and x86_64)
  --version X.Y.Z     the package version (deno.json's version)
  --out FILE.pkg      the product archive to write
  --policy PATH       a policy to install as /etc/beacon/policy.toml (optional)
  --require-signing   fail unless the package is signed and notarized (release builds)
USAGE
}

usage_error() {
  printf 'build_pkg.sh: %s\n' "$1" >&2
  printf 'Run build_pkg.sh --help for usage.\n' >&2
  exit 2
}

die() {
  printf 'build_pkg.sh: %s\n' "$1" >&2
  exit 1
}

step() { printf '==> %s\n' "$*"; }

# The names of the variables in "$@" that are empty.
unset_variables() {
  local name missing=""
  for name in "$@"; do
    if [[ -z "${!name:-}" ]]; then missing="$missing $name"; fi
  done
  printf '%s' "${missing# }"
}

# "apple-id", "api-key" or "" (none), from the environment; a partial set is an error.
notary_method() {
  local apple_id_missing api_key_missing
  apple_id_missing=$(unset_variables APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD)
  api_key_missing=$(unset_variables APPLE_API_KEY_PATH APPLE_API_KEY_ID APPLE_API_ISSUER)
  if [[ -z "$apple_id_missing" ]]; then
    printf 'apple-id'
  elif [[ -z "$api_key_missing" ]]; then
    [[ -f "$APPLE_API_KEY_PATH" ]] || die "APPLE_API_KEY_PATH \"$APPLE_API_KEY_PATH\": no such file"
    printf 'api-key'
  elif [[ "$apple_id_missing" != "APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD" ]]; then
    die "notarization with an Apple ID needs APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD; missing: $apple_id_missing"
  elif [[ "$api_key_missing" != "APPLE_API_KEY_PATH APPLE_API_KEY_ID APPLE_API_ISSUER" ]]; then
    die "notarization with an API key needs APPLE_API_KEY_PATH, APPLE_API_KEY_ID and APPLE_API_ISSUER; missing: $api_key_missing"
  fi
}

# The binary's --version must name the package version: a stale binary is caught here, and a
# signed binary that cannot start (a missing entitlement kills V8 at launch) too.
check_binary_runs() {
  local binary="$1" version="$2" output
  output=$("$binary" --version 2>&1) ||
    die "the binary does not run on this Mac ($binary --version failed): $output"
  [[ "$output" == "beacon $version" ]] ||
    die "the binary says \"$output\", the package is version $version: build the binary from the same commit"
}

main() {
  local binary="" version="" out="" policy="" require_signing=no
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
    --require-signing)
      require_signing=yes
      shift
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
  [[ -n "$out" ]] || usage_error "missing --out FILE.pkg"
  [[ "$out" == *.pkg ]] || usage_error "--out \"$out\" must end in .pkg"

  # Tools first: on Linux this is where it stops, before anything is written.
  local tool missing_tools=""
  for tool in pkgbuild productbuild pkgutil plutil xattr; do
    command -v "$tool" >/dev/null 2>&1 || missing_tools="$missing_tools $tool"
  done
  if [[ -n "$missing_tools" ]]; then
    die "cannot build a macOS package here: missing${missing_tools} (they come with macOS). On other systems, build_pkg_payload.sh lays out the same payload for inspection."
  fi

  # Signing and notarization: decide everything before building, so a missing secret fails fast.
  local app_identity="${APPLE_APP_IDENTITY:-}" installer_identity="${APPLE_INSTALLER_IDENTITY:-}"
  local notary
  notary=$(notary_method)
  if [[ "$require_signing" == yes ]]; then
    local wanted=""
    [[ -n "$app_identity" ]] || wanted="$wanted APPLE_APP_IDENTITY"
    [[ -n "$installer_identity" ]] || wanted="$wanted APPLE_INSTALLER_IDENTITY"
    [[ -n "$notary" ]] || wanted="$wanted APPLE_ID+APPLE_TEAM_ID+APPLE_APP_PASSWORD(or APPLE_API_KEY_PATH+APPLE_API_KEY_ID+APPLE_API_ISSUER)"
    [[ -z "$wanted" ]] || die "--require-signing: not set:$wanted"
  fi
  if [[ -n "$notary" && (-z "$app_identity" || -z "$installer_identity") ]]; then
    die "notarization needs a signed binary and package: set APPLE_APP_IDENTITY and APPLE_INSTALLER_IDENTITY too"
  fi
  if [[ -n "$app_identity" ]]; then
    command -v codesign >/dev/null 2>&1 || die "APPLE_APP_IDENTITY is set but codesign is missing (xcode-select --install)"
  fi
  if [[ -n "$notary" ]]; then
    xcrun --find notarytool >/dev/null 2>&1 || die "notary credentials are set but xcrun notarytool is missing (Xcode 13 or later, or its Command Line Tools)"
    xcrun --find stapler >/dev/null 2>&1 || die "notary credentials are set but xcrun stapler is missing"
  fi

  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/beacon-pkg.XXXXXX")
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT

  step "Laying out the payload"
  local payload_args=(--binary "$binary" --version "$version" --out "$work")
  if [[ -n "$policy" ]]; then payload_args+=(--policy "$policy"); fi
  "$here/build_pkg_payload.sh" "${payload_args[@]}"
  # Quarantine and other extended attributes of a downloaded binary must not ship in the payload.
  xattr -cr "$work/root" "$work/scripts"
  plutil -lint "$work/root/Library/LaunchDaemons/"*.plist

  local payload_binary="$work/root/$INSTALLED_BINARY"
  if [[ -n "$app_identity" ]]; then
    step "Signing the binary ($app_identity, hardened runtime)"
    codesign --force --sign "$app_identity" --options runtime --timestamp \
      --identifier "$IDENTIFIER" --entitlements "$here/entitlements.plist" "$payload_binary"
    codesign --verify --strict --verbose=2 "$payload_binary"
  else
    printf 'warning: APPLE_APP_IDENTITY is not set: the binary keeps the ad-hoc signature deno compile gave it\n' >&2
  fi
  step "Checking the binary runs"
  check_binary_runs "$payload_binary" "$version"
  if [[ -n "$policy" ]]; then
    step "Validating the policy with the binary being shipped"
    "$payload_binary" policy validate "$work/root/$PAYLOAD_POLICY" ||
      die "--policy \"$policy\" is not valid for Beacon $version (see above)"
  fi

  step "Building the component package"
  pkgbuild --root "$work/root" --scripts "$work/scripts" --identifier "$IDENTIFIER" \
    --version "$version" --install-location / --ownership recommended \
    "$work/$COMPONENT_PKG"

  step "Building the product archive"
  sed -e "s/@BEACON_VERSION@/$version/g" "$here/distribution.xml" >"$work/distribution.xml"
  mkdir -p "$(dirname "$out")"
  rm -f "$out"
  if [[ -n "$installer_identity" ]]; then
    productbuild --distribution "$work/distribution.xml" --package-path "$work" \
      --sign "$installer_identity" --timestamp "$out"
    pkgutil --check-signature "$out"
  else
    productbuild --distribution "$work/distribution.xml" --package-path "$work" "$out"
    printf 'warning: APPLE_INSTALLER_IDENTITY is not set: %s is unsigned (MDM needs a signed, notarized package)\n' "$out" >&2
  fi

  if [[ -n "$notary" ]]; then
    step "Notarizing (this waits for Apple, usually a few minutes)"
    local auth_args result="$work/notary.plist" status submission
    if [[ "$notary" == apple-id ]]; then
      auth_args=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
    else
      auth_args=(--key "$APPLE_API_KEY_PATH" --key-id "$APPLE_API_KEY_ID" --issuer "$APPLE_API_ISSUER")
    fi
    # notarytool's exit code does not say "Invalid": read the status it reports.
    xcrun notarytool submit "$out" "${auth_args[@]}" --wait --timeout 2h \
      --output-format plist >"$result" || true
    status=$(/usr/libexec/PlistBuddy -c 'Print :status' "$result" 2>/dev/null || true)
    submission=$(/usr/libexec/PlistBuddy -c 'Print :id' "$result" 2>/dev/null || true)
    if [[ "$status" != Accepted ]]; then
      if [[ -n "$submission" ]]; then
        xcrun notarytool log "$submission" "${auth_args[@]}" >&2 || true
      else
        cat "$result" >&2 || true
      fi
      die "notarization of $out ended with status \"${status:-unknown}\" (submission ${submission:-none}); Apple's log is above"
    fi
    printf 'Notarized: submission %s\n' "$submission"
    step "Stapling the notarization ticket"
    xcrun stapler staple "$out"
    xcrun stapler validate "$out"
    spctl --assess --type install --verbose=2 "$out"
  else
    printf 'warning: no notary credentials: %s is not notarized\n' "$out" >&2
  fi

  step "Built $out"
  shasum -a 256 "$out"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
