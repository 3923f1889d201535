// What the mesh itself says about a native object we applied. Ready means "in
// effect": where the mesh writes status on its objects, a rejection there makes
// the SMI object not Ready, with the mesh's own words. Pure.
//   Gateway API routes (Linkerd, GAMMA): status.parents[].conditions Accepted / ResolvedRefs
//     (https://gateway-api.sigs.k8s.io/reference/spec/#routeparentstatus)
//   consul-k8s config entries: status.conditions Synced (False when Consul refused the entry)
//   Linkerd HTTPLocalRateLimitPolicy: status.conditions Accepted (False: NoMatchingTarget,
//     RateLimitReasonAlreadyExists) with status.targetRef, the Server it was decided for; the
//     policy controller writes no observedGeneration (policy-controller/k8s/status/src/index.rs)
//   Istio (*.istio.io): status.validationMessages from istiod's analysis (an ERROR one is a
//     rejection), and with PILOT_ENABLE_STATUS the Reconciled condition (False while not every
//     proxy has the current generation). Shapes: istio.io/api meta/v1alpha1 IstioStatus,
//     analysis/v1alpha1 AnalysisMessageBase; docs/adapters/istio.md "Status". istiod writes the
//     messages only for the generation it analysed and sets status.observedGeneration to it
//     (pilot/pkg/status/resourcelock.go), so an ERROR with an older observedGeneration is stale.
// No status yet is not a rejection (the mesh may not have looked, or not write status at all).

import type { KubeObject } from '../../schemas/hub.js';

interface Cond { type: string; status: string; reason?: string; message?: string; observedGeneration?: number | string }

/** Istio's AnalysisMessageBase as istiod writes it (jsonpb: the level by name; a number is accepted too). */
interface IstioMessage { type?: { name?: string; code?: string }; level?: string | number; documentationUrl?: string }

/** A policy.linkerd.io LocalTargetRef (group defaults to policy.linkerd.io, kind to Server). */
interface TargetRef { group?: string; kind?: string; name?: string }

interface MeshStatus {
  parents?: { controllerName?: string; conditions?: Cond[] }[];
  /** Linkerd HTTPLocalRateLimitPolicy: the target the conditions were decided for. */
  targetRef?: TargetRef;
  conditions?: Cond[];
  validationMessages?: IstioMessage[];
  /** Istio: the generation the Reconciled condition refers to (int64, a string in jsonpb). */
  observedGeneration?: number | string;
}

/** The mesh did not accept what was applied (`rejected`), or has not put it in effect yet (`pending`). */
export interface MeshVerdict {
  kind: 'rejected' | 'pending';
  message: string;
}

const num = (v: number | string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));
const current = (observed: number | string | undefined, generation: number | undefined): boolean => {
  const o = num(observed);
  return o === undefined || Number.isNaN(o) || generation === undefined || o >= generation;
};
const words = (c: Cond): string => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;

/** AnalysisMessageBase.Level ERROR (3 in the proto enum). */
const isError = (m: IstioMessage): boolean => (typeof m.level === 'string' ? m.level.toUpperCase() === 'ERROR' : m.level === 3);

function istioVerdict(what: string, s: MeshStatus | undefined, gen: number | undefined): MeshVerdict | undefined {
  const errors = (s?.validationMessages ?? []).filter(isError);
  if (errors.length > 0) {
    // istiod writes the code and a documentation link, not the message text (AnalysisMessageBase()).
    const list = errors.map((m) => {
      const code = m.type?.code ?? 'unknown code';
      const name = m.type?.name ? ` ${m.type.name}` : '';
      return `${code}${name}${m.documentationUrl ? ` (${m.documentationUrl})` : ''}`;
    });
    const observed = num(s?.observedGeneration);
    // Written for an older generation: istiod has not analysed what is applied now (it writes
    // messages only for the generation it analysed, with that observedGeneration).
    if (observed !== undefined && !Number.isNaN(observed) && gen !== undefined && observed < gen) {
      return { kind: 'pending', message: `${what}: Istio has not re-analysed generation ${gen} yet (its analysis of generation ${observed} reported error ${list.join(', ')})` };
    }
    return { kind: 'rejected', message: `${what}: Istio's analysis reports error ${list.join(', ')}; \`istioctl analyze\` prints the message` };
  }
  const reconciled = (s?.conditions ?? []).find((c) => c.type === 'Reconciled');
  if (reconciled?.status === 'False' && current(reconciled.observedGeneration ?? s?.observedGeneration, gen)) return { kind: 'pending', message: `${what}: Istio reports ${words(reconciled)}` };
  return undefined;
}

/** What Linkerd's policy controller's reasons mean for an HTTPLocalRateLimitPolicy (index.rs target_ref_status). */
const LINKERD_RATELIMIT_REASONS: Record<string, string> = {
  NoMatchingTarget: 'the Server it targets does not exist (yet)',
  RateLimitReasonAlreadyExists: 'an older HTTPLocalRateLimitPolicy already targets that Server, and a Server takes only one',
};

const sameTarget = (a: TargetRef | undefined, b: TargetRef | undefined): boolean =>
  (a?.group || 'policy.linkerd.io') === (b?.group || 'policy.linkerd.io') && (a?.kind || 'Server') === (b?.kind || 'Server') && a?.name === b?.name;

/**
 * Other objects as the operator's cache holds them, by `group/Kind` (labels.ts nativeKindKey):
 * whether a verdict about a missing target is Linkerd lagging behind an object that is there.
 */
export type LiveLookup = (kindKey: string, namespace: string | undefined, name: string) => KubeObject | undefined;

function linkerdRateLimitVerdict(what: string, live: KubeObject, s: MeshStatus | undefined, gen: number | undefined, others?: LiveLookup): MeshVerdict | undefined {
  const bad = (s?.conditions ?? []).find((c) => c.type === 'Accepted' && c.status === 'False' && current(c.observedGeneration, gen));
  if (!bad) return undefined;
  // No observedGeneration: the conditions are current when decided for the Server the spec names now
  // (acceptance depends on the target alone: it exists, and this is its oldest policy).
  const spec = (live as { spec?: { targetRef?: TargetRef } }).spec;
  if (s?.targetRef && !sameTarget(s.targetRef, spec?.targetRef)) return undefined;
  const target = spec?.targetRef;
  if (bad.reason === 'NoMatchingTarget' && target?.name && others?.(`${target.group || 'policy.linkerd.io'}/${target.kind || 'Server'}`, live.metadata.namespace, target.name)) {
    // The Server is there (applied by the TrafficTarget's own reconcile, maybe after this policy):
    // the policy controller decided before it saw it, and re-decides when it does.
    return { kind: 'pending', message: `${what}: Linkerd's policy controller has not seen ${target.kind || 'Server'} ${live.metadata.namespace ?? ''}/${target.name} yet (it reports ${words(bad)})` };
  }
  const gloss = bad.reason ? LINKERD_RATELIMIT_REASONS[bad.reason] : undefined;
  return { kind: 'rejected', message: `${what}: Linkerd's policy controller reports ${words(bad)}${gloss ? ` (${gloss})` : ''}` };
}

/** The mesh's verdict on `live`, in words; undefined when it accepted it or said nothing. */
export function meshVerdict(live: KubeObject | undefined, others?: LiveLookup): MeshVerdict | undefined {
  if (!live) return undefined;
  const group = live.apiVersion.split('/')[0] ?? '';
  const gen = live.metadata.generation;
  const what = `${live.kind} ${live.metadata.namespace ?? ''}/${live.metadata.name}`;
  const status = (live as { status?: MeshStatus }).status;
  if (group === 'gateway.networking.k8s.io') {
    for (const p of status?.parents ?? []) {
      const bad = (p.conditions ?? []).find((c) => (c.type === 'Accepted' || c.type === 'ResolvedRefs') && c.status === 'False' && current(c.observedGeneration, gen));
      if (bad) return { kind: 'rejected', message: `${what}: ${p.controllerName ?? 'the mesh'} reports ${words(bad)}` };
    }
    return undefined;
  }
  if (group === 'consul.hashicorp.com') {
    const synced = (status?.conditions ?? []).find((c) => c.type === 'Synced' && c.status === 'False' && current(c.observedGeneration, gen));
    if (synced) return { kind: 'rejected', message: `${what}: Consul reports ${words(synced)}` };
    return undefined;
  }
  if (group === 'policy.linkerd.io' && live.kind === 'HTTPLocalRateLimitPolicy') return linkerdRateLimitVerdict(what, live, status, gen, others);
  // istiod writes status only on its own groups (pilot/pkg/status: "we don't write status for objects we don't own").
  if (group.endsWith('istio.io')) return istioVerdict(what, status, gen);
  return undefined;
}
