#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and etcd from the Go module in
# this folder into $SMI_CACHE/controlplane/<hash of the pins>/, once per pin set.
# Prints the bin folder on stdout. Binaries are never committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${SMI_CACHE:-$HOME/.cache/smi-operator}
hash=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -c1-16)
out="$cache/controlplane/$hash"
if [[ -x "$out/kube-apiserver" && -x "$out/etcd" && -x "$out/kube-controller-manager" ]]; then
  echo "$out"; exit 0
fi
# Several test runs may start at once: one builds, the others wait for it.
mkdir -p "$cache/controlplane"
exec 9>"$cache/controlplane/.build.lock"
if command -v flock >/dev/null; then flock 9; fi
if [[ -x "$out/kube-apiserver" && -x "$out/etcd" && -x "$out/kube-controller-manager" ]]; then
  echo "$out"; exit 0
fi
command -v go >/dev/null || { echo "build-controlplane: no 'go' on PATH; install Go >= 1.25 (the Go toolchain builds the test control plane)" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
# GOTOOLCHAIN=local turns a too-old Go into an error; say so plainly, not as a download failure.
need=$(awk '$1=="go"{print $2; exit}' "$here/go.mod")
have=$(go env GOVERSION | sed 's/^go//')
if [[ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]]; then
  echo "build-controlplane: Go $have is too old; the control-plane module needs Go >= $need" >&2; exit 1
fi
# Fail fast (not hang) when the module proxy is unreachable.
mkdir -p "$cache"
# A quick probe first (one module, 60 s), so an unreachable proxy is reported in
# seconds rather than after the full download's 15-minute limit.
if ! (cd "$here" && timeout 60 go mod download k8s.io/kubernetes && timeout 900 go mod download) >/dev/null 2>"$cache/.download.log" ; then
  echo "build-controlplane: could not download Go modules (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY)); see $cache/.download.log" >&2
  exit 1
fi
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
k8s=$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "$here/go.mod")
minor=$(echo "$k8s" | cut -d. -f2)
ld="-s -w -X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
cd "$here"
start=$(date +%s)
echo "build-controlplane: building kube-apiserver, etcd, kube-controller-manager ($k8s) into $out (cold: ~5-6 min on 2 cores; warm: ~10 s)" >&2
go build -p 2 -trimpath -ldflags "$ld" -o "$out.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -p 2 -trimpath -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3
go build -p 2 -trimpath -ldflags "$ld" -o "$out.tmp/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager
rm -rf "$out" && mv "$out.tmp" "$out"
echo "build-controlplane: done in $(( $(date +%s) - start ))s" >&2
echo "$out"
