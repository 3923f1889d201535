#!/usr/bin/env bash
# Step 5: run the SMI conformance suite against the deployed operator: the
# config level (native objects) and the traffic level (real requests through
# the mesh). Reports (JSON, JUnit) go to kind/results/<mesh>-<level>.*
#   kind/05-conformance.sh istio|linkerd|consul
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MESH="$(mesh_arg "${1:-}")"
require_cluster
need node "Node.js 24: make setup"
[[ -f "${ROOT}/dist/cli/smictl.js" ]] || die "smictl is not built: run make build"

KUBECONFIG_FILE="$(mktemp)"
trap 'rm -f "${KUBECONFIG_FILE}"' EXIT
kind get kubeconfig --name "${CLUSTER}" >"${KUBECONFIG_FILE}"
mkdir -p "${KIND_DIR}/results"

status=0
for level in config traffic; do
  log "conformance: ${MESH}, ${level} level"
  node "${ROOT}/dist/cli/smictl.js" conformance --kubeconfig "${KUBECONFIG_FILE}" --mesh "${MESH}" \
    --level "${level}" --operator external --operator-namespace smi-system --timeout 120 \
    --json "${KIND_DIR}/results/${MESH}-${level}.json" --junit "${KIND_DIR}/results/${MESH}-${level}.xml" || status=1
done
exit "${status}"
