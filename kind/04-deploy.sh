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

# The metrics API reads the Prometheus that kind/02-install-mesh.sh installed with the mesh.
case "${MESH}" in
  istio) PROMETHEUS=http://prometheus.istio-system.svc:9090 ;;
  linkerd) PROMETHEUS=http://prometheus.linkerd-viz.svc:9090 ;;
  consul) PROMETHEUS=http://prometheus-server.consul.svc:80 ;;
esac
log "metrics API: Prometheus at ${PROMETHEUS}"
kube -n "${NS}" set env deployment/smi-metrics "SMI_PROMETHEUS_URL=${PROMETHEUS}"
kube -n "${NS}" rollout status deployment/smi-metrics --timeout=300s
