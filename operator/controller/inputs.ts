// Reads for one unit: its SMI members, the objects its snapshot is built from,
// the native objects it owns, each from the cache through the dependency
// indexes (nothing scans all objects). SMI objects are validated once per
// resourceVersion.

import { validateSmiObject } from '../../schemas/validate.js';
import type { Problem } from '../../schemas/problem.js';
import type { KubeObject, SmiObject } from '../../schemas/hub.js';
import { commonLabels } from '../../adapters/common/selector.js';
import { isWorkloadKind } from './kinds.js';
import { inputKey, routeRefs, selects, serviceRefs, serviceSelector, type DependencyIndex, type Unit, type WorkloadRef } from './units.js';

/** What the controller reads of the cache (ClusterCache; a map in unit tests). */
export interface CacheReader {
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(kind: string): KubeObject[];
}

/**
 * The verdict on one resourceVersion of an SMI object. Not its hub form: a second copy of every
 * SMI object cost ~12 MiB at 10,000 objects; a translation re-derives it (hub()), ~30 µs each.
 */
export interface Validated {
  rv: string | undefined;
  ok: boolean;
  problems: Problem[];
}

const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

/**
 * A valid object without problems whose resourceVersion is a decimal integer (as the API server's
 * are) is remembered as that number, which costs nothing besides the map entry: the verdict object
 * and the version string were ~1 MiB at 10,000 SMI objects.
 */
const rvNumber = (rv: string | undefined): number | undefined => {
  if (rv === undefined || !/^[1-9][0-9]{0,14}$/.test(rv)) return undefined;
  return Number(rv);
};

export class Inputs {
  private readonly validated = new Map<string, number | Validated>();

  constructor(
    private readonly cache: CacheReader,
    private readonly index: DependencyIndex,
    /** Told the thread CPU usage from before each validation that ran (its cost to the event loop). */
    private readonly onValidated?: (start: NodeJS.CpuUsage) => void,
  ) {}

  validate(o: KubeObject): Validated {
    const k = inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name);
    const rv = o.metadata.resourceVersion;
    const c = this.validated.get(k);
    if (typeof c === 'number' && c === rvNumber(rv)) return { rv, ok: true, problems: NO_PROBLEMS };
    if (typeof c === 'object' && c.rv === rv && rv !== undefined) return c;
    const { hub, problems } = this.run(o);
    // One shared empty list: at 10,000 objects an empty array each is ~0.5 MiB.
    const v: Validated = { rv, ok: !!hub, problems: problems.length > 0 ? problems : NO_PROBLEMS };
    const n = v.ok && v.problems === NO_PROBLEMS ? rvNumber(rv) : undefined;
    this.validated.set(k, n ?? v);
    return v;
  }

  /** The verdict and, for a valid object, its hub form (fresh: the caller may keep it). */
  withHub(o: KubeObject): { hub?: SmiObject; problems: Problem[] } {
    const v = this.validate(o);
    if (!v.ok) return { problems: v.problems };
    const { hub } = this.run(o);
    return hub ? { hub, problems: v.problems } : { problems: v.problems };
  }

  private run(o: KubeObject): { hub?: SmiObject; problems: Problem[] } {
    const start = process.threadCpuUsage();
    try {
      return validateSmiObject(o);
    } finally {
      this.onValidated?.(start);
    }
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
    const valid = members.filter((m) => !m.metadata.deletionTimestamp && this.validate(m).ok);
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
      const destSa = `${ns}/${unit.name}`;
      // Services read once per gather: a candidate's selector is checked, then the Service is an input.
      const services = new Map<string, KubeObject | undefined>();
      const service = (sns: string, name: string): KubeObject | undefined => {
        const k = `${sns}/${name}`;
        if (!services.has(k)) services.set(k, cache.get('Service', sns, name));
        return services.get(k);
      };
      const selecting = (sns: string, labels: Record<string, string>): string[] => index.servicesSelecting(sns, labels, (n) => {
        const svc = service(sns, n);
        return svc && serviceSelector(svc);
      });
      const workloadsOf = (sa: string): WorkloadRef[] => [...index.workloadsBySA.get(sa)].map((k) => index.workload(k)).filter((w) => !!w);
      // Workloads read: the destination's and each source's, and the other pods a selector built
      // from them may also pick. Not the whole namespace: a pod a selector picks carries all of
      // its labels, so the rarest label of each selector finds them (at 10,000 objects reading
      // every workload of the namespace made each access unit cost O(namespace)).
      const wanted = new Set<string>(index.workloadsBySA.get(destSa));
      const alsoSelected = (sns: string, selector: Record<string, string> | undefined): void => {
        for (const k of index.workloadCandidates(sns, selector)) wanted.add(k);
      };
      const workloads = workloadsOf(destSa);
      // The selectors the renderers build for the destination's pods (adapters/common/selector.ts):
      // the labels all its workloads share, or, when they share none, those of each workload.
      const common = commonLabels(workloads);
      for (const sel of Object.keys(common).length > 0 ? [common] : workloads.map((w) => commonLabels([w]))) alsoSelected(ns, sel);
      // Services selecting those pods, found through the selector index (no scan of the namespace).
      const candidates = new Set(workloads.flatMap((w) => selecting(ns, w.podLabels)));
      for (const svcName of [...candidates].sort()) {
        const svc = service(ns, svcName);
        if (svc && workloads.some((w) => selects(serviceSelector(svc), w.podLabels))) inputs.push(svc);
      }
      // Sources are resolved like the destination (adapters/common/access.ts): the Services in a
      // source's namespace selecting its pods, and whom else those Services select (Consul names
      // identities by those Services).
      for (const sa of [...sas].sort()) {
        if (sa === destSa) continue;
        const sns = sa.slice(0, sa.indexOf('/'));
        for (const k of index.workloadsBySA.get(sa)) wanted.add(k);
        const own = workloadsOf(sa);
        for (const svcName of [...new Set(own.flatMap((w) => selecting(sns, w.podLabels)))].sort()) {
          const svc = service(sns, svcName);
          if (svc && own.some((w) => selects(serviceSelector(svc), w.podLabels))) {
            inputs.push(svc);
            alsoSelected(sns, serviceSelector(svc));
          }
        }
      }
      // A pod's controller, when watched, stands for it in the snapshot (buildSnapshot drops pods of a
      // controller it has): read it too, so the snapshot is the same as with the whole namespace.
      for (const k of [...wanted]) {
        const o = k.startsWith('Pod/') ? this.byKey(k) : undefined;
        const owner = o?.metadata.ownerReferences?.find((r) => r.controller);
        if (owner && isWorkloadKind(owner.kind) && cache.get(owner.kind, o!.metadata.namespace, owner.name)) wanted.add(inputKey(owner.kind, o!.metadata.namespace ?? ns, owner.name));
      }
      for (const k of [...wanted].sort()) add(this.byKey(k));
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
    // The pods the Service selects carry its rarest label: no scan of the namespace.
    for (const k of index.workloadCandidates(ns, sel)) {
      const w = index.workload(k);
      if (w && selects(sel, w.podLabels)) sas.add(w.serviceAccount);
    }
    const seen = new Set(have.map((o) => inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name)));
    const out: KubeObject[] = [];
    for (const sa of [...sas].sort()) {
      if (index.targetsByDest.count(`${ns}/${sa}`) === 0) continue;
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
    for (const [cacheKey, ns, name] of this.index.ownedBy(unit)) {
      const o = this.cache.get(cacheKey, ns, name);
      if (o) out.push(o);
    }
    return out;
  }
}
