#!/usr/bin/env bash
# Installs Prometheus (Debian's `prometheus` package) for the traffic-metrics
# integration tests. Idempotent and instant when it is already there. The tests
# start their own prometheus process; the packaged systemd service is not used.
set -euo pipefail
if command -v prometheus >/dev/null 2>&1; then exit 0; fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
command -v apt-get >/dev/null || { echo "install-prometheus: no apt-get; install Prometheus >= 2.x and put it on PATH (or set SMI_PROMETHEUS_BIN)" >&2; exit 1; }
echo "install-prometheus: apt-get install prometheus" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends prometheus >&2
command -v prometheus >/dev/null
