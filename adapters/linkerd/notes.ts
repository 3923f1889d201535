// Mode remarks: what accessMode permissive and mtlsMode mean on Linkerd.

import { objectRef } from '../../schemas/hub.js';
import type { RenderNote, ResolvedDestination } from '../common/model.js';
import type { MeshOptions } from '../types.js';

export function modeNotes(destinations: readonly ResolvedDestination[], options: MeshOptions): RenderNote[] {
  const notes: RenderNote[] = [];
  for (const d of destinations) {
    for (const t of d.targets) {
      const object = objectRef(t);
      if (options.accessMode === 'permissive') {
        notes.push({ object, message: 'access mode permissive: no Linkerd Server or AuthorizationPolicy is created, so the pods keep their default inbound policy (all-unauthenticated unless configured otherwise)' });
      }
      if (options.mtlsMode === 'disabled') {
        notes.push({ object, message: 'mtlsMode disabled: Linkerd always uses mTLS between meshed pods and cannot turn it off; the policy created here requires the mTLS identity of each source' });
      } else if (options.mtlsMode === 'permissive') {
        notes.push({
          object,
          message:
            options.accessMode === 'enforce'
              ? 'mtlsMode permissive: Linkerd accepts plaintext only where policy allows it; the policy created here requires the mTLS identity of each source, so plaintext clients are denied (as with strict)'
              : 'mtlsMode permissive: Linkerd uses mTLS between meshed pods and accepts plaintext from unmeshed clients under the default inbound policy',
        });
      }
    }
  }
  return notes;
}
