#!/usr/bin/env bash
# Every step for one mesh: create the cluster, install the mesh, load the image,
# deploy (kustomize), run the conformance suite.
#   kind/all.sh istio|linkerd|consul
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MESH="$(mesh_arg "${1:-}")"
"${KIND_DIR}/01-create-cluster.sh"
"${KIND_DIR}/02-install-mesh.sh" "${MESH}"
"${KIND_DIR}/03-load-image.sh"
"${KIND_DIR}/04-deploy.sh" "${MESH}"
"${KIND_DIR}/05-conformance.sh" "${MESH}"
