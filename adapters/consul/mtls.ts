// mtlsMode for the destinations TrafficTargets govern. Consul service mesh always uses
// mTLS between sidecars (strict is its default); permissive maps to ServiceDefaults
// mutualTLSMode, which only relaxes the service's own port under transparent proxy.

import type { ResolvedDestination } from '../common/model.js';
import type { MtlsMode } from '../types.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { destinationServices } from './intentions.js';
import type { RenderSink } from './sink.js';

export function renderMtls(destinations: ResolvedDestination[], mode: MtlsMode, defaults: ServiceDefaultsBook, sink: RenderSink): void {
  if (mode === 'strict') return;
  for (const dest of destinations) {
    const first = dest.targets[0];
    if (!first) continue;
    if (mode === 'disabled') {
      sink.note(first, 'spec.destination: mtlsMode disabled cannot be applied: Consul service mesh always uses mTLS between sidecars, so traffic stays mutual TLS');
      continue;
    }
    for (const service of destinationServices(dest)) {
      for (const t of dest.targets) defaults.setPermissiveMtls(dest.namespace, service, t);
    }
    sink.note(
      first,
      'spec.destination: mtlsMode permissive is rendered as ServiceDefaults mutualTLSMode permissive; Consul honours it only with transparent proxy and Mesh allowEnablingPermissiveMutualTLS=true, and intentions are not enforced on plaintext connections',
    );
  }
}
