#!/usr/bin/env bash
# Builds the OpenTelemetry Collector the forwarding tests use as a gateway (OTLP receiver + the
# contrib file exporter; sources in tools/otel_gateway/, modules from the Go module proxy, pinned
# by go.sum) into .tmp/bin/beacon-otel-gateway. Skips the build when the binary is newer than
# the sources. About 80 s and 40 MB the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
out=.tmp/bin/beacon-otel-gateway
if [ -x "$out" ] && [ -z "$(find tools/otel_gateway -newer "$out" -type f)" ]; then
  exit 0
fi
mkdir -p .tmp/bin
(cd tools/otel_gateway && go build -trimpath -o "../../$out" .)
