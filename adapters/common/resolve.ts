// resolve(): Snapshot -> ResolvedModel. Every SMI semantic rule is applied here,
// once, so that the mesh renderers only translate an already-decided model.

import { DESTINATION_PORT_ANNOTATION } from '../../schemas/conversion.js';
import type { KubeObject, TrafficTarget } from '../../schemas/hub.js';
import type { MeshOptions, Snapshot } from '../types.js';
import { resolveDestinations } from './access.js';
import { SnapshotIndex } from './lookup.js';
import type { ResolvedModel } from './model.js';
import { routePorts } from './routes.js';
import { resolveSplits } from './split.js';
import { resolvePolicies } from './policy.js';
import { namespaceOf, ResultBook } from './status.js';

/** A pre-v1alpha3 `destination.port`, kept by conversion in an annotation; it restricts every rule. */
function legacyPort(tt: TrafficTarget): number | undefined {
  const v = tt.metadata.annotations?.[DESTINATION_PORT_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : Number.NaN; // NaN: unreadable, allow nothing
}

export function resolve(snapshot: Snapshot, options: MeshOptions): ResolvedModel {
  const book = new ResultBook();
  const all: KubeObject[] = [
    ...snapshot.trafficSplits,
    ...snapshot.trafficTargets,
    ...snapshot.httpRouteGroups,
    ...snapshot.tcpRoutes,
    ...snapshot.udpRoutes,
    ...(snapshot.policies ?? []),
  ];
  for (const o of all) book.add(o);

  const idx = new SnapshotIndex(snapshot);
  for (const g of snapshot.httpRouteGroups) {
    for (const e of idx.routeGroup(namespaceOf(g), g.metadata.name)?.errors ?? []) book.note(g, e, 'Invalid');
  }
  for (const r of [...snapshot.tcpRoutes, ...snapshot.udpRoutes]) {
    for (const e of routePorts(r).errors) book.note(r, e, 'Invalid');
  }

  const splits = resolveSplits(snapshot.trafficSplits, idx, book);
  const destinations = resolveDestinations(snapshot.trafficTargets, idx, book, { accessMode: options.accessMode, legacyPort });
  const policies = resolvePolicies(snapshot.policies ?? [], idx, book);
  const model: ResolvedModel = { splits, destinations, policies, results: book.results() };
  if (snapshot.contextTrafficTargets?.length) {
    // Their results belong to the unit that renders them: a book of their own, thrown away.
    const context = new ResultBook();
    for (const t of snapshot.contextTrafficTargets) context.add(t);
    model.contextDestinations = resolveDestinations(snapshot.contextTrafficTargets, idx, context, { accessMode: options.accessMode, legacyPort });
  }
  return model;
}
