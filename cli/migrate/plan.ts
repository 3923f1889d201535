// `smictl migrate --to gateway-api`, the pure part: SMI objects -> standard-channel
// Gateway API routes (the gamma adapter's output, adapters/gamma/) plus, with --mesh,
// that mesh's own authorization objects for TrafficTargets, and one verdict per SMI
// object: exact, approximated (narrower, with the reasons) or not migrated (why).
// Nothing is dropped silently: every SMI object in the input gets a verdict.

import { getAdapter } from '../../adapters/index.js';
import { compareObjects } from '../../adapters/common/meta.js';
import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { MANAGED_BY_LABEL, MESH_LABEL, SOURCE_LABEL, DEFAULT_MESH_OPTIONS, type ObjectResult, type MeshName } from '../../adapters/types.js';
import { problemLine } from '../../adapters/common/report.js';
import type { KubeObject } from '../../schemas/hub.js';
import { objectRef } from '../../schemas/hub.js';

export type Verdict = 'exact' | 'approximated' | 'not migrated';

export interface ObjectReport {
  /** `Kind ns/name` of the SMI object. */
  object: string;
  verdict: Verdict;
  reasons: string[];
}

export interface MigratedObject {
  object: KubeObject;
  /** `Kind ns/name` of the SMI objects it comes from. */
  sources: string[];
}

export interface MigrationPlan {
  objects: MigratedObject[];
  report: ObjectReport[];
  /** Input the adapters never saw (failed validation). */
  problems: string[];
}

/** Annotation naming the SMI object an output object was migrated from. */
export const MIGRATED_FROM = 'smi-operator.io/migrated-from';

export const REGEX_HEADER_NOTE =
  'headers: SMI header regexes match the whole value; Gateway API RegularExpression header matching is implementation-specific: Istio (RE2) and Linkerd (Rust regex) honour the full-match form written here (docs/adapters/gamma.md)';

export const REGEX_PATH_NOTE =
  'pathRegex: SMI matches it as a prefix regex; Gateway API RegularExpression path matching (and its precedence) is implementation-specific: Istio (RE2) and Linkerd (Rust regex) honour it as written here; on a mesh that does not, the route is rejected and the split not applied (docs/adapters/gamma.md)';

const ACCESS_LEFT =
  'Gateway API has no authorization standard; this TrafficTarget is left as it is (keep it with smi-operator, or rerun with --mesh istio|linkerd|consul for that mesh\'s own authorization objects)';

/**
 * Output objects are the user's to own: no smi-operator labels (the operator would prune
 * them) and no ownerReferences (deleting the SMI object would delete them); an
 * annotation names the source instead.
 */
function handOver(o: KubeObject, sources: string[]): KubeObject {
  const labels = { ...(o.metadata.labels ?? {}) };
  for (const k of [MANAGED_BY_LABEL, MESH_LABEL, SOURCE_LABEL]) delete labels[k];
  const metadata: KubeObject['metadata'] = { name: o.metadata.name, namespace: o.metadata.namespace };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  metadata.annotations = { ...(o.metadata.annotations ?? {}), [MIGRATED_FROM]: sources.join(', ') };
  return { ...o, metadata };
}

/** The SMI objects an emitted object came from: its owners (same namespace), else its source label. */
function sourcesOf(o: KubeObject, byLabel: Map<string, string>): string[] {
  const ns = o.metadata.namespace ?? 'default';
  const owners = (o.metadata.ownerReferences ?? []).map((r) => `${r.kind} ${ns}/${r.name}`);
  if (owners.length > 0) return [...new Set(owners)].sort();
  const l = byLabel.get(`${ns}|${o.metadata.labels?.[SOURCE_LABEL]}`);
  return l ? [l] : [];
}

const verdictOf = (r: ObjectResult): Verdict => (r.status === 'Accepted' ? (r.messages.length === 0 ? 'exact' : 'approximated') : 'not migrated');

export function planMigration(input: readonly KubeObject[], mesh?: MeshName): MigrationPlan {
  const { snapshot, problems } = buildSnapshot([...input]);
  const smi = [...snapshot.trafficSplits, ...snapshot.trafficTargets, ...snapshot.httpRouteGroups, ...snapshot.tcpRoutes, ...snapshot.udpRoutes];
  const byLabel = new Map(smi.map((o) => [`${o.metadata.namespace ?? 'default'}|${o.kind.toLowerCase()}.${o.metadata.name}`, objectRef(o)]));
  const routes = getAdapter('gamma').translate(snapshot, DEFAULT_MESH_OPTIONS);
  const results = new Map(routes.results.map((r) => [r.object, r]));
  const objects: MigratedObject[] = routes.objects.map((o) => ({ object: o, sources: sourcesOf(o, byLabel) }));
  const report: ObjectReport[] = [];

  // Which route groups feed a migrated split (they live on inside its routes).
  const usedBy = new Map<string, string[]>();
  for (const s of snapshot.trafficSplits) {
    for (const m of s.spec.matches ?? []) {
      const g = `HTTPRouteGroup ${s.metadata.namespace ?? 'default'}/${m.name}`;
      usedBy.set(g, [...(usedBy.get(g) ?? []), objectRef(s)]);
    }
  }
  // Regex matches are implementation-specific in Gateway API: the group's notes.
  const regexNotes = new Map<string, string[]>();
  for (const g of snapshot.httpRouteGroups) {
    const ms = g.spec.matches ?? [];
    const notes = [...(ms.some((m) => m.pathRegex) ? [REGEX_PATH_NOTE] : []), ...(ms.some((m) => Object.keys(m.headers ?? {}).length > 0) ? [REGEX_HEADER_NOTE] : [])];
    if (notes.length > 0) regexNotes.set(objectRef(g), notes);
  }
  const groupHasRegex = new Set(regexNotes.keys());

  for (const s of snapshot.trafficSplits) {
    const r = results.get(objectRef(s))!;
    const v = verdictOf(r);
    const reasons = [...r.messages];
    const notes = [...new Set((s.spec.matches ?? []).flatMap((m) => regexNotes.get(`HTTPRouteGroup ${s.metadata.namespace ?? 'default'}/${m.name}`) ?? []))];
    const regex = notes.length > 0;
    if (v !== 'not migrated') reasons.push(...notes);
    report.push({ object: r.object, verdict: v === 'exact' && regex ? 'approximated' : v, reasons });
  }
  for (const g of snapshot.httpRouteGroups) {
    const ref = objectRef(g);
    const r = results.get(ref)!;
    const splits = usedBy.get(ref) ?? [];
    const migrated = splits.filter((s) => results.get(s)?.status === 'Accepted');
    if (r.status !== 'Accepted') report.push({ object: ref, verdict: 'not migrated', reasons: r.messages });
    else if (migrated.length > 0) {
      report.push({ object: ref, verdict: groupHasRegex.has(ref) ? 'approximated' : 'exact', reasons: [`its matches are in the routes of ${migrated.join(', ')}`, ...(regexNotes.get(ref) ?? [])] });
    } else {
      report.push({ object: ref, verdict: 'not migrated', reasons: ['no migrated TrafficSplit uses it, and Gateway API has no standalone match object (a TrafficTarget use migrates with --mesh)'] });
    }
  }

  if (mesh) {
    const native = getAdapter(mesh).translate(snapshot, DEFAULT_MESH_OPTIONS);
    const nativeResults = new Map(native.results.map((r) => [r.object, r]));
    for (const o of native.objects) {
      // Access objects only: the splits are already Gateway API routes.
      const sources = sourcesOf(o, byLabel);
      if (sources.length > 0 && sources.every((x) => !x.startsWith('TrafficSplit '))) objects.push({ object: o, sources });
    }
    for (const t of snapshot.trafficTargets) {
      const r = nativeResults.get(objectRef(t))!;
      report.push({ object: r.object, verdict: verdictOf(r), reasons: [`${mesh} authorization objects (as smictl translate --mesh ${mesh} writes them)`, ...r.messages] });
    }
  } else {
    for (const t of snapshot.trafficTargets) report.push({ object: objectRef(t), verdict: 'not migrated', reasons: [ACCESS_LEFT] });
  }
  const used = new Set(snapshot.trafficTargets.flatMap((t) => (t.spec.rules ?? []).map((x) => `${x.kind} ${t.metadata.namespace ?? 'default'}/${x.name}`)));
  for (const route of [...snapshot.tcpRoutes, ...snapshot.udpRoutes]) {
    const ref = objectRef(route);
    report.push({ object: ref, verdict: mesh && used.has(ref) ? 'exact' : 'not migrated', reasons: [mesh && used.has(ref) ? 'migrated within the TrafficTargets that use it' : 'only TrafficTargets use it (no Gateway API equivalent; see them)'] });
  }

  const seen = new Set<string>();
  const unique = objects.filter((m) => {
    const k = `${m.object.apiVersion}|${m.object.kind}|${m.object.metadata.namespace}|${m.object.metadata.name}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    objects: unique.map((m) => ({ object: handOver(m.object, m.sources), sources: m.sources })).sort((a, b) => compareObjects(a.object, b.object)),
    report: report.sort((a, b) => a.object.localeCompare(b.object)),
    problems: problems.map(problemLine),
  };
}
