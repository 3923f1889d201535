// "Never less restricted than its SMI objects say": what a mesh's native objects grant
// a governed destination, read back per mesh, so two sets of objects (before and after
// hostile input that does not change the destination's own SMI objects) can be compared.
// Conservative: a grant is a whole rule (canonical JSON); "after" may drop grants, never
// add or change one, and a destination closed before (default deny, STRICT mTLS) stays so.

import { expect } from 'chai';
import type { MeshName } from '../../../adapters/types.js';
import { canonicalJson } from '../../../operator/controller/labels.js';
import type { KubeObject } from '../../../schemas/hub.js';

export interface Governed {
  namespace: string;
  /** The destination ServiceAccount (and Consul service name). */
  sa: string;
  /** Labels of its pods. */
  labels: Readonly<Record<string, string>>;
}

export interface Access {
  /** Something denies by default what is not granted (an ALLOW policy, a deny Server, a `*` deny intention). */
  closed: boolean;
  /** mTLS required (Istio PeerAuthentication STRICT); undefined where the mesh has no such object. */
  strict?: boolean;
  /** Ports with a deny-by-default object of their own (Linkerd Servers): one dropped would fall back to the cluster default. */
  covered?: Set<string>;
  grants: Set<string>;
}

type Spec = Record<string, unknown>;
const specOf = (o: KubeObject): Spec => ((o as { spec?: Spec }).spec ?? {}) as Spec;
const inNs = (objs: readonly KubeObject[], g: Governed, kind: string): KubeObject[] => objs.filter((o) => o.kind === kind && (o.metadata.namespace ?? g.namespace) === g.namespace);

/** A label selector that picks the governed pods (matchExpressions: assumed to, which only makes "closed" easier to keep). */
function selects(sel: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (sel === undefined || sel === null) return true;
  const ml = ((sel as { matchLabels?: Record<string, string> }).matchLabels ?? {}) as Record<string, string>;
  return Object.entries(ml).every(([k, v]) => labels[k] === v);
}

function istio(objs: readonly KubeObject[], g: Governed): Access {
  const aps = inNs(objs, g, 'AuthorizationPolicy').filter((o) => selects(specOf(o).selector, g.labels));
  const allow = aps.filter((o) => (specOf(o).action ?? 'ALLOW') === 'ALLOW');
  const grants = new Set(allow.flatMap((o) => ((specOf(o).rules ?? []) as unknown[]).map(canonicalJson)));
  const pas = inNs(objs, g, 'PeerAuthentication').filter((o) => selects(specOf(o).selector, g.labels));
  const modes = pas.map((o) => (specOf(o).mtls as { mode?: string } | undefined)?.mode ?? 'UNSET');
  return { closed: allow.length > 0, strict: modes.length > 0 && modes.every((m) => m === 'STRICT'), grants };
}

function linkerd(objs: readonly KubeObject[], g: Governed): Access {
  const servers = inNs(objs, g, 'Server').filter((o) => selects(specOf(o).podSelector, g.labels));
  const serverNames = new Set(servers.map((s) => s.metadata.name));
  const portOf = new Map(servers.map((s) => [s.metadata.name, String(specOf(s).port)]));
  const routes = new Map<string, { port: string; rules: string }>();
  for (const r of inNs(objs, g, 'HTTPRoute')) {
    for (const p of (specOf(r).parentRefs ?? []) as Array<{ kind?: string; name?: string }>) {
      if (p.kind === 'Server' && p.name && serverNames.has(p.name)) routes.set(r.metadata.name, { port: portOf.get(p.name)!, rules: canonicalJson(specOf(r).rules ?? []) });
    }
  }
  const authn = new Map<string, string>();
  for (const kind of ['MeshTLSAuthentication', 'NetworkAuthentication']) for (const a of inNs(objs, g, kind)) authn.set(`${kind}/${a.metadata.name}`, canonicalJson(specOf(a)));
  const grants = new Set<string>();
  for (const ap of inNs(objs, g, 'AuthorizationPolicy')) {
    const t = specOf(ap).targetRef as { kind?: string; name?: string } | undefined;
    const scope = t?.kind === 'Server' && t.name && serverNames.has(t.name) ? `port ${portOf.get(t.name)} *` : t?.kind === 'HTTPRoute' && t.name && routes.has(t.name) ? `port ${routes.get(t.name)!.port} ${routes.get(t.name)!.rules}` : undefined;
    if (!scope) continue;
    const who = ((specOf(ap).requiredAuthenticationRefs ?? []) as Array<{ kind?: string; name?: string }>).map((r) => authn.get(`${r.kind}/${r.name}`) ?? `missing ${r.kind}/${r.name}`);
    grants.add(`${scope} by ${who.sort().join(' & ')}`);
  }
  // Every governed port denies what is not authorized.
  const closed = servers.length > 0 && servers.every((s) => (specOf(s).accessPolicy ?? 'deny') === 'deny');
  for (const s of servers) grants.add(`port ${String(specOf(s).port)} default ${String(specOf(s).accessPolicy ?? 'deny')}`);
  const covered = new Set(servers.filter((s) => (specOf(s).accessPolicy ?? 'deny') === 'deny').map((s) => String(specOf(s).port)));
  return { closed, covered, grants };
}

function consul(objs: readonly KubeObject[], g: Governed): Access {
  const si = inNs(objs, g, 'ServiceIntentions').filter((o) => (specOf(o).destination as { name?: string } | undefined)?.name === g.sa);
  const sources = si.flatMap((o) => (specOf(o).sources ?? []) as Array<{ name?: string; action?: string }>);
  return { closed: sources.some((s) => s.name === '*' && s.action === 'deny'), grants: new Set(sources.map(canonicalJson)) };
}

/** The meshes whose adapters enforce TrafficTargets (gamma reports them Unsupported: Gateway API has no authorization standard). */
export const ACCESS_MESHES: readonly MeshName[] = ['istio', 'linkerd', 'consul'];

export function accessOf(mesh: MeshName, objs: readonly KubeObject[], g: Governed): Access {
  if (mesh === 'istio') return istio(objs, g);
  if (mesh === 'linkerd') return linkerd(objs, g);
  if (mesh === 'consul') return consul(objs, g);
  throw new Error(`${mesh} does not govern access`);
}

/** `after` grants the governed destination nothing `before` did not, and keeps it closed (and STRICT) if it was. */
export function expectNotWider(mesh: MeshName, before: readonly KubeObject[], after: readonly KubeObject[], g: Governed, what = ''): void {
  const b = accessOf(mesh, before, g);
  const a = accessOf(mesh, after, g);
  const who = `${mesh} ${g.namespace}/${g.sa}${what ? ` (${what})` : ''}`;
  expect(b.closed, `${who}: the destination is not governed to begin with`).to.equal(true);
  expect(a.closed, `${who}: no longer denies by default`).to.equal(true);
  if (b.strict) expect(a.strict, `${who}: no longer requires mTLS`).to.equal(true);
  for (const port of b.covered ?? []) expect(a.covered?.has(port), `${who}: port ${port} no longer denies by default`).to.equal(true);
  const added = [...a.grants].filter((x) => !b.grants.has(x));
  expect(added, `${who}: grants what it did not before`).to.deep.equal([]);
}
