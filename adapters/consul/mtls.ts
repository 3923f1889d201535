// mtlsMode for the destinations TrafficTargets govern. Consul service mesh always uses
// mTLS between sidecars (strict is its default); permissive maps to ServiceDefaults
// mutualTLSMode, which lets plaintext connections reach the service's own port under
// transparent proxy, and Consul enforces no intention on them. Next to intentions
// (accessMode enforce) that would admit every plaintext client, so it is only emitted
// when SMI access is not enforced.

import type { ResolvedDestination } from '../common/model.js';
import type { AccessMode, MtlsMode } from '../types.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { destinationServices } from './identities.js';
import type { RenderSink } from './sink.js';

export const PERMISSIVE_MTLS_ENFORCED_NOTE =
  'spec.destination: mtlsMode permissive is not applied: Consul enforces no intention on the plaintext connections ServiceDefaults mutualTLSMode permissive admits, so under accessMode enforce it would let any plaintext client past the SMI rules; the destination stays strict (mTLS only)';

export function renderMtls(destinations: ResolvedDestination[], mode: MtlsMode, accessMode: AccessMode, defaults: ServiceDefaultsBook, sink: RenderSink): void {
  if (mode === 'strict') return;
  for (const dest of destinations) {
    const first = dest.targets[0];
    if (!first) continue;
    if (mode === 'disabled') {
      sink.note(first, 'spec.destination: mtlsMode disabled cannot be applied: Consul service mesh always uses mTLS between sidecars, so traffic stays mutual TLS');
      continue;
    }
    if (accessMode === 'enforce') {
      for (const t of dest.targets) sink.note(t, PERMISSIVE_MTLS_ENFORCED_NOTE);
      continue;
    }
    const services = destinationServices(dest);
    for (const service of services) {
      for (const t of dest.targets) defaults.setPermissiveMtls(dest.namespace, service, t);
    }
    sink.note(
      first,
      services.length > 0
        ? 'spec.destination: mtlsMode permissive is rendered as ServiceDefaults mutualTLSMode permissive; Consul honours it only with transparent proxy and Mesh allowEnablingPermissiveMutualTLS=true, and intentions are not enforced on plaintext connections'
        : `spec.destination: mtlsMode permissive is not applied: no Service selects the pods of ServiceAccount ${dest.namespace}/${dest.serviceAccount}, so they have no Consul service to configure`,
    );
  }
}
