#!/usr/bin/env bash
# Builds the istio-oracle binary (Istio's validation, analyzers and istiod, see main.go) from the Go module in
# this folder into $SMI_CACHE/istio-oracle/<hash of the sources and pins>/, once per content.
# Prints the binary's path on stdout. Binaries are never committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SMI_CACHE:-$HOME/.cache/smi-operator}
hash=$(cd "$here" && cat go.mod go.sum *.go | sha256sum | cut -c1-16)
out="$cache/istio-oracle/$hash"
if [[ -x "$out/istio-oracle" ]]; then
  echo "$out/istio-oracle"; exit 0
fi
# Several test runs may start at once: one builds, the others wait for it.
mkdir -p "$cache/istio-oracle"
exec 9>"$cache/istio-oracle/.build.lock"
if command -v flock >/dev/null; then flock 9; fi
if [[ -x "$out/istio-oracle" ]]; then
  echo "$out/istio-oracle"; exit 0
fi
command -v go >/dev/null || { echo "build-istio-oracle: no 'go' on PATH; install Go >= 1.26 (the Go toolchain builds Istio's control plane for the oracle tests)" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
need=$(awk '$1=="go"{print $2; exit}' "$here/go.mod")
have=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]]; then
  echo "build-istio-oracle: Go $have is too old; the istio-oracle module (istio.io/istio) needs Go >= $need" >&2; exit 1
fi
istio=$(awk '$1=="require" && $2=="istio.io/istio"{print $3; exit}' "$here/go.mod")
# A quick probe first (one module, 60 s), so an unreachable proxy -- or a pin the proxy no longer serves -- is
# reported in seconds rather than after the full download's 15-minute limit.
if ! (cd "$here" && timeout 60 go mod download "istio.io/istio@$istio") >/dev/null 2>"$cache/.istio-download.log"; then
  echo "build-istio-oracle: could not download istio.io/istio@$istio (is the Go module proxy reachable, and does it still serve this pseudo-version? GOPROXY=$(go env GOPROXY)); see $cache/.istio-download.log" >&2
  exit 1
fi
if ! (cd "$here" && timeout 900 go mod download) >/dev/null 2>>"$cache/.istio-download.log"; then
  echo "build-istio-oracle: could not download Go modules (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY)); see $cache/.istio-download.log" >&2
  exit 1
fi
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
cd "$here"
start=$(date +%s)
echo "build-istio-oracle: building istio-oracle (istio.io/istio $istio) into $out (cold: ~10-15 min and ~4 GB of Go caches on 2 cores; warm: ~1 min)" >&2
go build -p 2 -trimpath -ldflags "-s -w" -o "$out.tmp/istio-oracle" .
rm -rf "$out" && mv "$out.tmp" "$out"
echo "build-istio-oracle: done in $(( $(date +%s) - start ))s" >&2
echo "$out/istio-oracle"
