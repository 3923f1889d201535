// Reads for one unit: its SMI members, the objects its snapshot is built from,
// the native objects it owns, each from the cache through the dependency
// indexes (nothing scans all objects). SMI objects are validated once per
// resourceVersion.

import { validateSmiObject } from '../../schemas/validate.js';
import type { Problem } from '../../schemas/problem.js';
import type { KubeObject, SmiObject } from '../../schemas/hub.js';
import { inputKey, routeRefs, selects, serviceRefs, serviceSelector, type DependencyIndex, type Unit } from './units.js';

/** What the controller reads of the cache (ClusterCache; a map in unit tests). */
export interface CacheReader {
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(kind: string): KubeObject[];
}

export interface Validated {
  rv: string | undefined;
  hub?: SmiObject;
  problems: Problem[];
}

export class Inputs {
  private readonly validated = new Map<string, Validated>();

  constructor(
    private readonly cache: CacheReader,
    private readonly index: DependencyIndex,
    /** Told the thread CPU usage from before each validation that ran (its cost to the event loop). */
    private readonly onValidated?: (start: NodeJS.CpuUsage) => void,
  ) {}

  validate(o: KubeObject): Validated {
    const k = inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name);
    const c = this.validated.get(k);
    if (c && c.rv === o.metadata.resourceVersion && c.rv !== undefined) return c;
    const start = process.threadCpuUsage();
    const { hub, problems } = validateSmiObject(o);
    this.onValidated?.(start);
    const v: Validated = { rv: o.metadata.resourceVersion, problems };
    if (hub) v.hub = hub;
    this.validated.set(k, v);
    return v;
  }

  forget(o: KubeObject): void {
    this.validated.delete(inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name));
  }

  private byKey(key: string): KubeObject | undefined {
    const [kind, ns, ...rest] = key.split('/');
    return this.cache.get(kind as string, ns, rest.join('/'));
  }

  /** SMI objects whose status this unit writes, and the objects its snapshot is built from. */
  gather(unit: Unit): { members: KubeObject[]; inputs: KubeObject[] } {
    const { index, cache } = this;
    const ns = unit.namespace;
    if (unit.type === 'route') {
      const r = cache.get(unit.kind, ns, unit.name);
      return { members: r ? [r] : [], inputs: [] };
    }
    const memberKeys = unit.type === 'split' ? index.splitsByRoot.get(`${ns}/${unit.name}`) : index.targetsByDest.get(`${ns}/${unit.name}`);
    const members = [...memberKeys].map((k) => this.byKey(k)).filter((o): o is KubeObject => !!o);
    // Objects being deleted (finalizers pending) no longer contribute.
    const valid = members.filter((m) => !m.metadata.deletionTimestamp && this.validate(m).hub);
    const inputs: KubeObject[] = [...valid];
    const add = (o: KubeObject | undefined): void => {
      if (o) inputs.push(o);
    };
    for (const m of valid) for (const r of routeRefs(m)) add(this.byKey(r));
    if (unit.type === 'split') {
      const names = new Set<string>([unit.name]);
      for (const m of valid) for (const n of serviceRefs(m)) if (n) names.add(n);
      for (const n of names) add(cache.get('Service', ns, n));
      if (valid.some((m) => m.kind === 'RateLimitPolicy')) inputs.push(...this.accessContext(ns, cache.get('Service', ns, unit.name), inputs));
    } else {
      const sas = new Set<string>([`${ns}/${unit.name}`]);
      for (const m of valid) for (const s of ((m as { spec?: { sources?: Array<{ name?: string; namespace?: string }> } }).spec?.sources ?? [])) sas.add(`${s.namespace ?? ns}/${s.name ?? ''}`);
      for (const sa of sas) {
        const [sns, sname] = sa.split('/') as [string, string];
        add(cache.get('ServiceAccount', sns, sname));
      }
      const workloads = [...index.workloadsBySA.get(`${ns}/${unit.name}`)].map((k) => index.workloads.get(k)).filter((w) => !!w);
      // Every workload of the namespace, not only this ServiceAccount's: the renderers must see
      // any other pods a label selector for this destination would also pick.
      for (const k of [...index.workloadsByNs.get(ns)].sort()) add(this.byKey(k));
      // Services selecting those pods, found through the selector index (no scan of the namespace).
      const candidates = new Set(workloads.flatMap((w) => index.servicesSelecting(ns, w.podLabels)));
      for (const svcName of [...candidates].sort()) {
        const svc = cache.get('Service', ns, svcName);
        if (svc && workloads.some((w) => selects(serviceSelector(svc), w.podLabels))) inputs.push(svc);
      }
      // Sources are resolved like the destination (adapters/common/access.ts): the Services in a
      // source's namespace selecting its pods, and every pod of that namespace (to see whom else
      // those Services select). Consul names identities by those Services.
      const sourceNamespaces = new Set<string>();
      for (const sa of [...sas].sort()) {
        if (sa === `${ns}/${unit.name}`) continue;
        const sns = sa.slice(0, sa.indexOf('/'));
        if (sns !== ns && !sourceNamespaces.has(sns)) {
          sourceNamespaces.add(sns);
          for (const k of [...index.workloadsByNs.get(sns)].sort()) add(this.byKey(k));
        }
        const own = [...index.workloadsBySA.get(sa)].map((k) => index.workloads.get(k)).filter((w) => !!w);
        for (const svcName of [...new Set(own.flatMap((w) => index.servicesSelecting(sns, w.podLabels)))].sort()) {
          const svc = cache.get('Service', sns, svcName);
          if (svc && own.some((w) => selects(serviceSelector(svc), w.podLabels))) inputs.push(svc);
        }
      }
    }
    return { members, inputs };
  }

  /**
   * A rate limit on Linkerd attaches to the Servers of the access units whose pods the Service
   * selects: their inputs, read here as context (the split unit's snapshot renders none of them).
   */
  private accessContext(ns: string, svc: KubeObject | undefined, have: readonly KubeObject[]): KubeObject[] {
    if (!svc) return [];
    const { index } = this;
    const sel = serviceSelector(svc);
    const sas = new Set<string>();
    for (const k of index.workloadsByNs.get(ns)) {
      const w = index.workloads.get(k);
      if (w && selects(sel, w.podLabels)) sas.add(w.serviceAccount);
    }
    const seen = new Set(have.map((o) => inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name)));
    const out: KubeObject[] = [];
    for (const sa of [...sas].sort()) {
      if (index.targetsByDest.get(`${ns}/${sa}`).size === 0) continue;
      for (const o of this.gather({ type: 'access', namespace: ns, name: sa }).inputs) {
        const k = inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(o);
      }
    }
    return out;
  }

  /** The managed native object the cache holds for a native key (group/Kind/ns/name). */
  observed(key: string): KubeObject | undefined {
    const [group, kind, ns, ...rest] = key.split('/');
    return this.cache.get(`${group}/${kind}`, ns || undefined, rest.join('/'));
  }

  /** Managed native objects whose unit annotation names this unit. */
  owned(unit: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const e of this.index.managedByUnit.get(unit)) {
      const [cacheKey, ns, name] = e.split('|') as [string, string, string];
      const o = this.cache.get(cacheKey, ns, name);
      if (o) out.push(o);
    }
    return out;
  }
}
