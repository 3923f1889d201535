// Turns a scenario's assertions into questions for a mesh interpreter and
// compares the answers with what SMI says should happen.

import type { MeshName, ServiceInfo, ServicePort, WorkloadInfo } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { INTERPRETERS, type World } from './interpret/index.js';
import type { Assertion, NsMap, Outcome, RoutePolicy, Scenario } from './types.js';

/** Services and workloads of the scenario's own application objects. */
export function appModel(objects: KubeObject[]): Pick<World, 'services' | 'workloads'> {
  const services: ServiceInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  for (const o of objects) {
    const spec = (o as { spec?: Record<string, unknown> }).spec ?? {};
    if (o.kind === 'Service') {
      services.push({ namespace: o.metadata.namespace!, name: o.metadata.name, ports: (spec.ports as ServicePort[]) ?? [], selector: spec.selector as Record<string, string> });
    } else if (o.kind === 'Deployment') {
      const tpl = spec.template as { metadata?: { labels?: Record<string, string> }; spec?: { serviceAccountName?: string } };
      workloads.push({ namespace: o.metadata.namespace!, owner: `Deployment/${o.metadata.name}`, serviceAccount: tpl.spec?.serviceAccountName ?? 'default', podLabels: tpl.metadata?.labels ?? {} });
    }
  }
  return { services, workloads };
}

export interface Observation {
  ok: boolean;
  detail: string;
}

/**
 * Within 0.01 percentage points (Consul's step; the other meshes are exact), and a backend
 * expected to get traffic gets some: a 0.1 % canary at 0 % is a failure, not a rounding.
 */
const sameShares = (a: Record<string, number>, b: Record<string, number>): boolean =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => {
    const [x, y] = [a[k] ?? 0, b[k] ?? 0];
    return x > 0 === y > 0 && Math.abs(x - y) <= 0.01;
  });

const fmtShares = (s: Record<string, number>): string =>
  Object.keys(s).length === 0 ? 'no route (404)' : Object.entries(s).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k} ${v}%`).join(', ');

/** Observe one access or split assertion in the world (status assertions are checked by the runner). */
export function observe(mesh: MeshName, world: World, a: Assertion, ns: NsMap): Observation {
  const it = INTERPRETERS[mesh];
  if (a.kind === 'access') {
    const toNs = ns(a.to.ns ?? 'app');
    const service = world.services.find((s) => s.name === a.to.service && s.namespace === toNs);
    const port = service?.ports.find((p) => p.port === a.to.port);
    if (!service || !port) return { ok: false, detail: `scenario error: no Service ${a.to.service}:${a.to.port}` };
    const v = it.access(world, { from: { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa }, to: { ns: toNs, service, port }, ...(a.request ? { request: a.request } : {}), ...(a.udp ? { udp: true } : {}) });
    return { ok: v.verdict === a.expect, detail: `${v.verdict} (${v.why})${v.verdict === a.expect ? '' : `; expected ${a.expect}`}` };
  }
  if (a.kind === 'split') {
    const svcNs = ns(a.ns ?? 'app');
    const service = world.services.find((s) => s.name === a.service && s.namespace === svcNs);
    const port = service?.ports.find((p) => p.port === a.port);
    if (!service || !port) return { ok: false, detail: `scenario error: no Service ${a.service}:${a.port}` };
    const got = it.split(world, { ns: svcNs, service, port, ...(a.from ? { from: { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa } } : {}), ...(a.request ? { request: a.request } : {}) });
    const ok = sameShares(got, a.expect);
    return { ok, detail: `${fmtShares(got)}${ok ? '' : `; expected ${fmtShares(a.expect)}`}` };
  }
  if (a.kind === 'policy') {
    const svcNs = ns(a.ns ?? 'app');
    const service = world.services.find((s) => s.name === a.service && s.namespace === svcNs);
    const port = service?.ports.find((p) => p.port === a.port);
    if (!service || !port) return { ok: false, detail: `scenario error: no Service ${a.service}:${a.port}` };
    try {
      return comparePolicy(it.policy(world, { ns: svcNs, service, port, request: a.request, ...(a.from ? { from: { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa } } : {}) }), a.expect);
    } catch (e) {
      return { ok: false, detail: `interpreter: ${(e as Error).message}` };
    }
  }
  return { ok: false, detail: `${a.kind} assertions are observed through the API` };
}

/**
 * A policy observation: only the fields `expect` names are compared, but all of `got` is shown, keys sorted, so
 * two levels that observe the same thing write the same text.
 */
export function comparePolicy(got: RoutePolicy, expect: RoutePolicy): Observation {
  const wrong = (Object.keys(expect) as Array<keyof RoutePolicy>).filter((k) => got[k] !== expect[k]);
  const keys = (Object.keys(got) as Array<keyof RoutePolicy>).filter((k) => got[k] !== undefined).sort();
  const shown = keys.length ? `{${keys.map((k) => `${k}: ${String(got[k])}`).join(', ')}}` : 'no policy';
  return { ok: wrong.length === 0, detail: `${shown}${wrong.length ? `; expected ${wrong.map((k) => `${k} ${String(expect[k])}`).join(', ')}` : ''}` };
}

/** What an observation means given the scenario's declared limits for this mesh. */
export function outcomeOf(s: Scenario, mesh: MeshName, a: Assertion, ok: boolean): { outcome: Outcome; reason?: string } {
  const u = s.unsupported?.[mesh];
  if (u && u.assertions.includes(a.name)) {
    return ok ? { outcome: 'unexpectedly-passed', reason: `declared unsupported (${u.reason}) but passed: update the declaration` } : { outcome: 'expected-unsupported', reason: u.reason };
  }
  return { outcome: ok ? 'passed' : 'failed' };
}
