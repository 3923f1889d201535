#!/usr/bin/env bash
# Step 3: build the operator image (unless SKIP_BUILD=1) and load it into the
# kind nodes. IMG=<name:tag> to change it (default smi-operator:0.1.0).
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_docker
require_cluster

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building ${IMG}"
  docker build -t "${IMG}" "${ROOT}"
fi
docker image inspect "${IMG}" >/dev/null 2>&1 || die "image ${IMG} does not exist locally: build it (make image IMG=${IMG})"
log "loading ${IMG} into kind cluster ${CLUSTER}"
kind load docker-image "${IMG}" --name "${CLUSTER}"
