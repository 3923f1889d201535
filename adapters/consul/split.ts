// TrafficSplit -> ServiceSplitter (+ ServiceRouter for A/B matches, ServiceResolver
// subsets where Consul would otherwise split twice, ServiceDefaults protocol).
//
// A split without matches becomes the root service's ServiceSplitter. A split with
// matches becomes a splitter on a virtual service plus routes on the root's
// ServiceRouter that send matching requests there; requests no route matches fall
// through to the root service itself (its own splitter if any, else its instances).

import type { KubeObject } from '../../schemas/hub.js';
import type { ResolvedSplit } from '../common/model.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { httpMatch, isEmptyMatch } from './match.js';
import { consulServiceName, virtualServiceName } from './names.js';
import { chainProtocol } from './protocol.js';
import { splitterWeights } from './weights.js';
import { approximationNotes } from '../common/weights.js';
import { addSources, type RenderSink } from './sink.js';

/** Subset (all instances) that makes a split destination terminal: Consul does not split it again. */
export const DIRECT_SUBSET = 'smi-direct';

interface Planned {
  split: ResolvedSplit;
  /** The Consul service whose ServiceSplitter carries this split. */
  splitter: string;
  /** Set for A/B splits: the root's router sends matching requests to `splitter`. */
  routed: boolean;
  /** Set when its weights cannot be expressed: no splitter, and no route to it. */
  dropped?: boolean;
}

function groupByRoot(splits: ResolvedSplit[]): ResolvedSplit[][] {
  const groups = new Map<string, ResolvedSplit[]>();
  for (const s of splits) {
    const key = `${s.namespace}/${consulServiceName(s.root)}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()];
}

/** Decides which splits can be rendered and reserves their services' protocol. */
function plan(group: ResolvedSplit[], defaults: ServiceDefaultsBook, sink: RenderSink): Planned[] {
  const out: Planned[] = [];
  let catchAll: ResolvedSplit | undefined;
  for (const s of group) {
    const root = consulServiceName(s.root);
    const routed = s.matches.length > 0;
    if (!routed && catchAll) {
      sink.note(
        s.split,
        `spec.service: TrafficSplit ${catchAll.split.metadata.name} already splits all traffic of Consul service ${root}, which has one ServiceSplitter; this split is not rendered`,
        'Conflict',
      );
      continue;
    }
    const chain = chainProtocol([s.root, ...s.backends.map((b) => b.service)]);
    if (!chain.ok) {
      sink.note(s.split, `spec: ${chain.reason}; the split is not rendered`, 'Unsupported');
      continue;
    }
    const splitter = routed ? virtualServiceName(s.root, s.split.metadata.name) : root;
    const names = [...new Set([root, splitter, ...s.backends.map((b) => consulServiceName(b.service))])];
    const clash = names.map((n) => ({ n, have: defaults.clash(s.namespace, n, chain.protocol) })).find((c) => c.have);
    if (clash) {
      sink.note(
        s.split,
        `spec: Consul service ${clash.n} already carries protocol ${clash.have} for another split, this one needs ${chain.protocol}; the split is not rendered`,
        'Conflict',
      );
      continue;
    }
    for (const n of names) defaults.setProtocol(s.namespace, n, chain.protocol, s.split);
    if (!routed) catchAll = s;
    out.push({ split: s, splitter, routed });
  }
  return out;
}

/** Backends by Consul service, weights of repeated services added (Consul rejects a repeated destination). */
function splitShares(s: ResolvedSplit): Array<{ service: string; weight: number; index: number }> {
  const shares = new Map<string, { service: string; weight: number; index: number }>();
  for (const b of s.backends) {
    const service = consulServiceName(b.service);
    const prev = shares.get(service);
    if (prev) prev.weight += b.weight;
    else shares.set(service, { service, weight: b.weight, index: b.index });
  }
  return [...shares.values()];
}

/** The splitter's `splits` weights in 0.01 % steps (weights.ts), or why they cannot be expressed. */
function splitEntries(p: Planned, sink: RenderSink): Array<{ service: string; weight: number }> | undefined {
  const shares = splitShares(p.split);
  const w = splitterWeights(shares.map((x) => x.weight));
  if (!w) {
    sink.note(p.split.split, `spec.backends: ${shares.length} Consul services cannot share 100 % in 0.01 % steps so that Consul and consul-k8s accept the ServiceSplitter; the split is not rendered`, 'Unsupported');
    return undefined;
  }
  for (const m of approximationNotes(shares, w, { mesh: 'a Consul ServiceSplitter', step: '0.01 %' })) sink.note(p.split.split, m);
  if (w.moved) {
    const [from, to] = [shares[w.moved.from]!, shares[w.moved.to]!];
    sink.note(p.split.split, `spec.backends[${to.index}].weight: one 0.01 % step moved from ${from.service} to ${to.service}, so that consul-k8s's float32 sum of the weights is exactly 100`);
  }
  return w.order.map((i) => ({ service: shares[i]!.service, weight: w.percents[i]! }));
}

export function renderSplits(splits: ResolvedSplit[], defaults: ServiceDefaultsBook, sink: RenderSink): void {
  const planned = groupByRoot(splits).map((g) => plan(g, defaults, sink));
  const weights = new Map<Planned, Array<{ service: string; weight: number }>>();
  for (const p of planned.flat()) {
    const w = splitEntries(p, sink);
    if (w) weights.set(p, w);
    else p.dropped = true;
  }
  // Consul follows a split destination into that service's own splitter; SMI splits are
  // not hierarchical, so such destinations get a subset that ends the chain there.
  const splitters = new Set(planned.flat().filter((p) => !p.dropped).map((p) => `${p.split.namespace}/${p.splitter}`));
  const resolvers = new Map<string, { namespace: string; name: string; sources: KubeObject[] }>();

  for (const group of planned) {
    for (const p of group) {
      const ns = p.split.namespace;
      const weighted = weights.get(p);
      if (!weighted) continue;
      const entries = weighted.map(({ service, weight }) => {
        const entry: Record<string, unknown> = { weight, service };
        if (service !== p.splitter && splitters.has(`${ns}/${service}`)) {
          entry.serviceSubset = DIRECT_SUBSET;
          const key = `${ns}/${service}`;
          const r = resolvers.get(key) ?? { namespace: ns, name: service, sources: [] };
          addSources(r.sources, p.split.split);
          resolvers.set(key, r);
        }
        return entry;
      });
      sink.emit('ServiceSplitter', p.splitter, ns, p.splitter, { splits: entries }, [p.split.split]);
    }
    const routed = group.filter((p) => p.routed && !p.dropped);
    const first = routed[0];
    if (!first) continue;
    const root = consulServiceName(first.split.root);
    // Consul tries routes in order and the first match wins: older splits first.
    const routes = routed.flatMap((p) =>
      p.split.matches.map((cond) => {
        const http = httpMatch(cond);
        const route: Record<string, unknown> = { destination: { service: p.splitter } };
        if (!isEmptyMatch(http)) route.match = { http };
        return route;
      }),
    );
    sink.emit('ServiceRouter', root, first.split.namespace, root, { routes }, routed.map((p) => p.split.split));
  }

  for (const r of resolvers.values()) {
    sink.emit('ServiceResolver', r.name, r.namespace, r.name, { subsets: { [DIRECT_SUBSET]: {} } }, r.sources);
  }
}
