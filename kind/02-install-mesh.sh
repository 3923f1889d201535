#!/usr/bin/env bash
# Step 2: install a mesh with its own tooling.
#   kind/02-install-mesh.sh istio|linkerd|consul
# istio: istioctl (minimal profile) + Istio's Prometheus addon. linkerd: Gateway
# API CRDs, then the linkerd CLI (crds, control plane, viz for Prometheus, check).
# consul: the hashicorp/consul Helm chart (kind/consul-values.yaml, with Prometheus).
# Prometheus is for TrafficMetrics (the metrics-split conformance scenario).
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MESH="$(mesh_arg "${1:-}")"
require_cluster
GATEWAY_API_VERSION="${GATEWAY_API_VERSION:-v1.2.1}"
ISTIO_ADDONS_RELEASE="${ISTIO_ADDONS_RELEASE:-1.24}"

case "${MESH}" in
  istio)
    need istioctl "https://istio.io/latest/docs/setup/getting-started/#download"
    log "installing Istio (profile minimal)"
    istioctl install --context "$(context)" --set profile=minimal -y
    kube -n istio-system rollout status deployment/istiod --timeout=300s
    log "installing Istio's Prometheus addon (release-${ISTIO_ADDONS_RELEASE})"
    kube apply -f "https://raw.githubusercontent.com/istio/istio/release-${ISTIO_ADDONS_RELEASE}/samples/addons/prometheus.yaml"
    kube -n istio-system rollout status deployment/prometheus --timeout=300s
    ;;
  linkerd)
    need linkerd "https://linkerd.io/2/getting-started/#step-1-install-the-cli"
    log "installing Gateway API ${GATEWAY_API_VERSION} (Linkerd reads HTTPRoute from it)"
    kube apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml"
    log "installing Linkerd"
    linkerd --context "$(context)" install --crds | kube apply --server-side -f -
    linkerd --context "$(context)" install | kube apply --server-side -f -
    linkerd --context "$(context)" check --wait 300s
    log "installing Linkerd viz (Prometheus)"
    linkerd --context "$(context)" viz install | kube apply --server-side -f -
    linkerd --context "$(context)" viz check --wait 300s
    ;;
  consul)
    need helm "https://helm.sh/docs/intro/install/"
    log "installing Consul (hashicorp/consul chart)"
    helm repo add hashicorp https://helm.releases.hashicorp.com >/dev/null 2>&1 || true
    helm repo update hashicorp >/dev/null
    helm upgrade --install consul hashicorp/consul --kube-context "$(context)" \
      --namespace consul --create-namespace --values "${KIND_DIR}/consul-values.yaml" --wait --timeout 10m
    ;;
esac
log "${MESH} is installed"
