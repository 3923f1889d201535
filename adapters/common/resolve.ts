// resolve(): Snapshot -> ResolvedModel. Every SMI semantic rule is applied here,
// once, so that the mesh renderers only translate an already-decided model.

import type { KubeObject, TrafficTarget } from '../../schemas/hub.js';
import type { MeshOptions, Snapshot } from '../types.js';
import { resolveDestinations } from './access.js';
import { SnapshotIndex } from './lookup.js';
import type { ResolvedModel } from './model.js';
import { routePorts } from './routes.js';
import { resolveSplits } from './split.js';
import { namespaceOf, ResultBook } from './status.js';

export { largestRemainder } from './percent.js';

/**
 * Annotation in which conversion keeps a pre-v1alpha3 `destination.port`. Undefined until
 * schemas/conversion exports its key; then the port restricts every rule of the target.
 */
const LEGACY_PORT_ANNOTATION: string | undefined = undefined;

function legacyPort(tt: TrafficTarget): number | undefined {
  if (!LEGACY_PORT_ANNOTATION) return undefined;
  const v = tt.metadata.annotations?.[LEGACY_PORT_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

export function resolve(snapshot: Snapshot, options: MeshOptions): ResolvedModel {
  const book = new ResultBook();
  const all: KubeObject[] = [
    ...snapshot.trafficSplits,
    ...snapshot.trafficTargets,
    ...snapshot.httpRouteGroups,
    ...snapshot.tcpRoutes,
    ...snapshot.udpRoutes,
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
  return { splits, destinations, results: book.results() };
}
