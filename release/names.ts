// Names shared by config/ (kustomize), the certificate bootstrap and the OLM
// bundle generator; tests check config/ uses exactly these.

export const NAMESPACE = 'smi-system';
export const OPERATOR = 'smi-operator';
export const SERVICE_ACCOUNT = 'smi-operator';
export const WEBHOOK_SERVICE = 'smi-operator-webhook-service';
export const METRICS_SERVICE = 'smi-metrics';
export const SERVING_SECRET = 'smi-operator-serving-cert';
export const VALIDATING_WEBHOOK = 'smi-operator-validating-webhook';
export const APISERVICE = 'v1alpha1.metrics.smi-spec.io';
export const SMI_CRDS = [
  'trafficsplits.split.smi-spec.io',
  'traffictargets.access.smi-spec.io',
  'httproutegroups.specs.smi-spec.io',
  'tcproutes.specs.smi-spec.io',
  'udproutes.specs.smi-spec.io',
  'timeoutpolicies.policy.smi-operator.io',
  'retrypolicies.policy.smi-operator.io',
  'circuitbreakerpolicies.policy.smi-operator.io',
  'faultinjectionpolicies.policy.smi-operator.io',
  'mirrorpolicies.policy.smi-operator.io',
  'ratelimitpolicies.policy.smi-operator.io',
  'tracingpolicies.policy.smi-operator.io',
] as const;
/** Where the operator container reads the webhook serving certificate. */
export const CERT_DIR = '/tmp/k8s-webhook-server/serving-certs';
