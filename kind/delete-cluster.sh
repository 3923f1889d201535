#!/usr/bin/env bash
# Remove the kind cluster.
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
kind delete cluster --name "${CLUSTER}"
