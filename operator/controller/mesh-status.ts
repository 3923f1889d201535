// What the mesh itself says about a native object we applied. Ready means "in
// effect": where the mesh writes status on its objects, a rejection there makes
// the SMI object not Ready, with the mesh's own words. Pure.
//   Gateway API routes (Linkerd, GAMMA): status.parents[].conditions Accepted / ResolvedRefs
//     (https://gateway-api.sigs.k8s.io/reference/spec/#routeparentstatus)
//   consul-k8s config entries: status.conditions Synced (False when Consul refused the entry)
// No status yet is not a rejection (the mesh may not have looked, or not write status at all).

import type { KubeObject } from '../../schemas/hub.js';

interface Cond { type: string; status: string; reason?: string; message?: string; observedGeneration?: number }

const current = (c: Cond, generation: number | undefined): boolean => c.observedGeneration === undefined || generation === undefined || c.observedGeneration >= generation;

/** The mesh's rejection of `live`, in words; undefined when it accepted it or said nothing. */
export function meshRejection(live: KubeObject | undefined): string | undefined {
  if (!live) return undefined;
  const group = live.apiVersion.split('/')[0];
  const gen = live.metadata.generation;
  const what = `${live.kind} ${live.metadata.namespace ?? ''}/${live.metadata.name}`;
  const status = (live as { status?: { parents?: { controllerName?: string; conditions?: Cond[] }[]; conditions?: Cond[] } }).status;
  if (group === 'gateway.networking.k8s.io') {
    for (const p of status?.parents ?? []) {
      const bad = (p.conditions ?? []).find((c) => (c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False' && current(c, gen));
      if (bad) return `${what}: ${p.controllerName ?? 'the mesh'} reports ${bad.type}=False${bad.reason ? ` (${bad.reason})` : ''}${bad.message ? `: ${bad.message}` : ''}`;
    }
    return undefined;
  }
  if (group === 'consul.hashicorp.com') {
    const synced = (status?.conditions ?? []).find((c) => c.type === 'Synced' && c.status === 'False' && current(c, gen));
    if (synced) return `${what}: Consul reports Synced=False${synced.reason ? ` (${synced.reason})` : ''}${synced.message ? `: ${synced.message}` : ''}`;
  }
  return undefined;
}
