#!/usr/bin/env bash
# Step 4: deploy smi-operator and select the mesh.
#   kind/04-deploy.sh istio|linkerd|consul [kustomize|bundle]
# kustomize (default): kubectl apply -k config/default, operator-managed certificates.
# bundle: OLM (operator-sdk olm install) + operator-sdk run bundle $BUNDLE_IMG; the
# bundle image must be pullable by the cluster (push it to a registry first).
# shellcheck source=kind/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MESH="$(mesh_arg "${1:-}")"
METHOD="${2:-kustomize}"
require_cluster

case "${METHOD}" in
  kustomize)
    log "applying config/default"
    kube apply --server-side -k "${ROOT}/config/default"
    NS=smi-system
    ;;
  bundle)
    need operator-sdk "https://sdk.operatorframework.io/docs/installation/"
    [[ -n "${BUNDLE_IMG:-}" ]] || die "BUNDLE_IMG is not set: make bundle-image BUNDLE_IMG=<registry>/smi-operator-bundle:0.1.0 and push it"
    kube get crd clusterserviceversions.operators.coreos.com >/dev/null 2>&1 || operator-sdk olm install --timeout 5m
    NS=smi-system
    kube create namespace "${NS}" --dry-run=client -o yaml | kube apply -f -
    operator-sdk run bundle "${BUNDLE_IMG}" --namespace "${NS}" --install-mode AllNamespaces --timeout 5m
    ;;
  *) die "unknown deploy method '${METHOD}': kustomize or bundle" ;;
esac

log "selecting mesh ${MESH}"
kube -n "${NS}" patch configmap smi-operator-config --type merge -p "{\"data\":{\"mesh\":\"${MESH}\"}}"
kube -n "${NS}" rollout status deployment/smi-operator --timeout=300s

# The metrics API reads the Prometheus that kind/02-install-mesh.sh installed with the mesh (kind/README.md):
#   istio: Istio's samples/addons/prometheus.yaml, Service istio-system/prometheus port 9090
#   linkerd: linkerd viz, Service linkerd-viz/prometheus port 9090
#   consul: the consul chart's prometheus.enabled (charts/consul/templates/prometheus.yaml in hashicorp/consul-k8s),
#           Service prometheus-server port 80 in the release namespace (consul)
# <MESH>_PROMETHEUS_URL points it at another Prometheus.
case "${MESH}" in
  istio) PROMETHEUS="${ISTIO_PROMETHEUS_URL:-http://prometheus.istio-system.svc:9090}" ;;
  linkerd) PROMETHEUS="${LINKERD_PROMETHEUS_URL:-http://prometheus.linkerd-viz.svc:9090}" ;;
  consul) PROMETHEUS="${CONSUL_PROMETHEUS_URL:-http://prometheus-server.consul.svc:80}" ;;
esac
log "metrics API: Prometheus at ${PROMETHEUS}"
kube -n "${NS}" set env deployment/smi-metrics "SMI_PROMETHEUS_URL=${PROMETHEUS}"
kube -n "${NS}" rollout status deployment/smi-metrics --timeout=300s
