# shellcheck shell=bash
# Shared by the kind/ scripts: fail fast, with a message saying what to do.

set -euo pipefail

KIND_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${KIND_DIR}/.." && pwd)"
CLUSTER="${CLUSTER:-smi}"
IMG="${IMG:-smi-operator:0.1.0}"
export KIND_DIR ROOT CLUSTER IMG

die() {
  echo "error: $*" >&2
  exit 1
}

log() {
  echo "==> $*" >&2
}

# need <command> <how to get it>
need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required but not on PATH ($2)"
}

need_docker() {
  need docker "https://docs.docker.com/get-docker/"
  docker info >/dev/null 2>&1 || die "docker is installed but the engine is not reachable (is the daemon running? are you in the docker group?)"
}

# mesh_arg <arg>: validates and prints the mesh name.
mesh_arg() {
  case "${1:-}" in
    istio | linkerd | consul) echo "$1" ;;
    "") die "missing mesh argument: one of istio, linkerd, consul" ;;
    *) die "unknown mesh '$1': one of istio, linkerd, consul" ;;
  esac
}

# The kubeconfig context of the kind cluster; every kubectl call names it.
context() {
  echo "kind-${CLUSTER}"
}

kube() {
  kubectl --context "$(context)" "$@"
}

require_cluster() {
  need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
  need kubectl "https://kubernetes.io/docs/tasks/tools/"
  kind get clusters 2>/dev/null | grep -qx "${CLUSTER}" || die "kind cluster '${CLUSTER}' does not exist: run kind/01-create-cluster.sh first"
}
