// TrafficSplit v1alpha1..v1alpha3 <-> hub (v1alpha4).
// v1alpha1 weights are Quantities (see quantity.ts); v1alpha1/2 lack spec.matches,
// which rides in HUB_FIELDS_ANNOTATION while the object is seen at those versions.

import { HUB_FIELDS_ANNOTATION, V1ALPHA1_WEIGHTS_ANNOTATION } from '../annotations.js';
import type { KubeObject, TrafficSplit, TrafficSplitBackend } from '../hub.js';
import { quantitiesToWeights } from '../quantity.js';
import { asArray, asRecord, clone, envelope, setAnnotation, takeAnnotation, takeJsonAnnotation } from './meta.js';
import type { Converted, HubConverted } from './types.js';

const HUB = 'split.smi-spec.io/v1alpha4';

export function splitToHub(obj: KubeObject, version: string): HubConverted<TrafficSplit> {
  const hub = envelope(obj, HUB) as TrafficSplit;
  const spec = asRecord(obj.spec);
  const rawBackends = asArray(spec.backends).map(asRecord);
  const errors: HubConverted<TrafficSplit>['errors'] = [];
  let backends: TrafficSplitBackend[];
  if (version === 'v1alpha1') {
    const weights = quantitiesToWeights(rawBackends.map((b) => b.weight));
    backends = rawBackends.map((b, i) => {
      const w = weights[i]!;
      if ('error' in w) errors.push({ path: `spec.backends[${i}].weight`, message: w.error });
      return { service: String(b.service), weight: 'weight' in w ? w.weight : 0 };
    });
    // Keep the Quantities as written unless plain integers already say the same.
    const plain = rawBackends.every((b, i) => b.weight === backends[i]!.weight);
    if (!plain) setAnnotation(hub.metadata, V1ALPHA1_WEIGHTS_ANNOTATION, JSON.stringify(rawBackends.map((b) => b.weight)));
  } else {
    backends = rawBackends.map((b) => ({ service: String(b.service), weight: b.weight as number }));
  }
  hub.spec = { service: String(spec.service), backends };
  if ((version === 'v1alpha3' || version === 'v1alpha4') && spec.matches !== undefined) hub.spec.matches = clone(spec.matches) as TrafficSplit['spec']['matches'];
  if (version === 'v1alpha1' || version === 'v1alpha2') {
    const kept = takeJsonAnnotation(hub.metadata, HUB_FIELDS_ANNOTATION);
    if (Array.isArray(kept?.['spec.matches'])) hub.spec.matches = kept['spec.matches'] as TrafficSplit['spec']['matches'];
  }
  return { hub, errors };
}

/** The v1alpha1 weights to write: the remembered Quantities when they still mean the hub weights. */
function v1alpha1Weights(hub: TrafficSplit, remembered: string | undefined): unknown[] {
  const hubWeights = hub.spec.backends.map((b) => b.weight);
  if (remembered !== undefined) {
    try {
      const original: unknown = JSON.parse(remembered);
      if (Array.isArray(original) && original.length === hubWeights.length) {
        const scaled = quantitiesToWeights(original);
        if (scaled.every((w, i) => 'weight' in w && w.weight === hubWeights[i])) return original;
      }
    } catch {
      // A damaged annotation is ignored: the hub weights are the truth.
    }
  }
  return hubWeights;
}

export function splitFromHub(hub: TrafficSplit, version: string): Converted {
  const out = envelope(hub, `split.smi-spec.io/${version}`);
  const backends = hub.spec.backends.map((b) => ({ service: b.service, weight: b.weight as unknown }));
  if (version === 'v1alpha1') {
    const weights = v1alpha1Weights(hub, takeAnnotation(out.metadata, V1ALPHA1_WEIGHTS_ANNOTATION));
    backends.forEach((b, i) => (b.weight = weights[i]));
  }
  const spec: Record<string, unknown> = { service: hub.spec.service, backends };
  if (hub.spec.matches !== undefined) {
    if (version === 'v1alpha3' || version === 'v1alpha4') spec.matches = clone(hub.spec.matches);
    else setAnnotation(out.metadata, HUB_FIELDS_ANNOTATION, JSON.stringify({ 'spec.matches': hub.spec.matches }));
  }
  out.spec = spec;
  return { object: out };
}
