#!/usr/bin/env bash
# Installs Chromium (Debian's `chromium` package) for the dashboard's browser
# tests, which drive it headless with playwright-core. Idempotent and instant
# when it is already there; SMI_CHROMIUM_BIN points the tests at another binary.
set -euo pipefail
bin="${SMI_CHROMIUM_BIN:-/usr/bin/chromium}"
if [[ -x "$bin" ]]; then exit 0; fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get; install Chromium and set SMI_CHROMIUM_BIN to its binary" >&2; exit 1; }
echo "install-chromium: apt-get install chromium" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2
test -x "$bin"
