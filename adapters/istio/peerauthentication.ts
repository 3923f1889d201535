// ResolvedDestination -> selector-scoped security.istio.io/v1 PeerAuthentication with the
// requested mTLS mode. Source principals only exist on mTLS connections, so STRICT is
// what makes the AuthorizationPolicy's identity rules complete; never namespace- or
// mesh-wide, only the pods of a destination the operator governs.

import type { KubeObject } from '../../schemas/hub.js';
import type { ResolvedDestination } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import type { MtlsMode } from '../types.js';
import { PEER_AUTHENTICATION } from './kinds.js';

export const MTLS_MODES: Record<MtlsMode, 'STRICT' | 'PERMISSIVE' | 'DISABLE'> = {
  strict: 'STRICT',
  permissive: 'PERMISSIVE',
  disabled: 'DISABLE',
};

export function renderPeerAuthentication(d: ResolvedDestination, matchLabels: Record<string, string>, mode: MtlsMode, name = nativeName('smi-mtls', d.serviceAccount)): KubeObject {
  return {
    apiVersion: PEER_AUTHENTICATION.apiVersion,
    kind: PEER_AUTHENTICATION.kind,
    metadata: managedMetadata(name, d.namespace, 'istio', d.targets),
    spec: { selector: { matchLabels }, mtls: { mode: MTLS_MODES[mode] } },
  };
}
