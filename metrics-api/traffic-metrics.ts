// Builds TrafficMetrics objects from Prometheus answers: runs the five queries of
// a scope, joins the answers by the series' identity labels, and shapes one item
// per resource (or per edge, or per TrafficSplit backend).

import { fail, ok, type Result } from './errors.js';
import type { KindInfo } from './kinds.js';
import type { PrometheusClient } from './prometheus.js';
import { formatQuantity, roundCount } from './quantity.js';
import { renderQueries } from './queries/render.js';
import { METRIC_NAMES, type Direction, type LabelPair, type MeshQueries, type MetricName, type Scope, type Side } from './queries/types.js';
import { formatWindow } from './window.js';

export const API_VERSION = 'metrics.smi-spec.io/v1alpha1';
/** Latencies are reported in seconds, as in the spec document's example (`unit: seconds`, `value: 10m`). */
export const LATENCY_UNIT = 'seconds';

export interface ObjectRef {
  kind?: string;
  namespace?: string;
  name?: string;
}

export interface Metric {
  name: MetricName;
  unit?: string;
  value: string;
}

export interface TrafficMetrics {
  kind: 'TrafficMetrics';
  apiVersion: typeof API_VERSION;
  metadata: { name?: string; namespace?: string; selfLink: string; creationTimestamp: string };
  timestamp: string;
  window: string;
  resource: ObjectRef;
  edge: { direction: Direction; side: Side; resource: ObjectRef | null };
  backend?: { apex: string; name: string; weight: number };
  metrics: Metric[];
}

export interface TrafficMetricsList {
  kind: 'TrafficMetricsList';
  apiVersion: typeof API_VERSION;
  metadata: { selfLink: string };
  resource: ObjectRef;
  selector?: { matchLabels?: Record<string, string>; labelSelector?: string };
  items: TrafficMetrics[];
}

export interface QueryContext {
  mesh: MeshQueries;
  prometheus: PrometheusClient;
  windowSeconds: number;
  /** Evaluation time, ms since epoch: the end of the window. */
  time: number;
  selfLink: string;
}

interface Row {
  labels: Record<string, string>;
  values: Partial<Record<MetricName, number>>;
}

interface Collected {
  rows: Row[];
  side: Side;
  resourceLabels?: LabelPair;
  edgeLabels?: LabelPair;
}

async function collect(ctx: QueryContext, scope: Scope): Promise<Result<Collected>> {
  const sel = ctx.mesh.select(scope);
  if (!sel.ok) return sel;
  const queries = renderQueries(ctx.mesh, sel.value, ctx.windowSeconds);
  const keyLabels = [sel.value.resourceLabels, sel.value.edgeLabels].flatMap((p) => (p ? [p.name, ...(p.namespace ? [p.namespace] : [])] : []));
  const answers = await Promise.all(METRIC_NAMES.map(async (m) => [m, await ctx.prometheus.query(queries[m], ctx.time)] as const));
  const rows = new Map<string, Row>();
  for (const [metric, answer] of answers) {
    if (!answer.ok) return answer;
    for (const s of answer.value) {
      const labels = Object.fromEntries(keyLabels.map((l) => [l, s.labels[l] ?? '']));
      const key = JSON.stringify(keyLabels.map((l) => labels[l]));
      const row = rows.get(key) ?? { labels, values: {} };
      row.values[metric] = s.value;
      rows.set(key, row);
    }
  }
  return ok({ rows: [...rows.values()], side: sel.value.side, resourceLabels: sel.value.resourceLabels, edgeLabels: sel.value.edgeLabels });
}

function metricsOf(ctx: QueryContext, values: Partial<Record<MetricName, number>>): Metric[] {
  const out: Metric[] = [];
  for (const m of METRIC_NAMES) {
    const v = values[m];
    if (m === 'success_count' || m === 'failure_count') {
      // No series means no requests in the window.
      out.push({ name: m, value: formatQuantity(roundCount(v ?? 0)) ?? '0' });
    } else if (v !== undefined) {
      // histogram_quantile gives NaN when there were no requests: leave the percentile out.
      const q = formatQuantity(v * ctx.mesh.latencyToSeconds);
      if (q !== undefined) out.push({ name: m, unit: LATENCY_UNIT, value: q });
    }
  }
  return out;
}

function item(ctx: QueryContext, resource: ObjectRef, edge: TrafficMetrics['edge'], values: Row['values']): TrafficMetrics {
  const ts = new Date(ctx.time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    kind: 'TrafficMetrics',
    apiVersion: API_VERSION,
    metadata: { name: resource.name, namespace: resource.namespace, selfLink: ctx.selfLink, creationTimestamp: ts },
    timestamp: ts,
    window: formatWindow(ctx.windowSeconds),
    resource,
    edge,
    metrics: metricsOf(ctx, values),
  };
}

const refFrom = (kind: KindInfo, labels: Record<string, string>, pair: LabelPair | undefined, fallbackNs?: string): ObjectRef => {
  const name = pair ? labels[pair.name] : undefined;
  const namespace = kind.namespaced ? (pair?.namespace ? labels[pair.namespace] : fallbackNs) : undefined;
  return { kind: kind.kind, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
};

/** Metrics of one resource (`name` set) or of every resource of a kind with traffic. */
export async function resourceMetrics(ctx: QueryContext, kind: KindInfo, namespace: string | undefined, name: string | undefined): Promise<Result<TrafficMetrics[]>> {
  const scopeNs = kind.namespaced ? namespace : undefined;
  const scopeName = kind.namespaced ? name : (name ?? undefined);
  const got = await collect(ctx, { type: 'resource', plural: kind.plural, namespace: scopeNs, name: scopeName });
  if (!got.ok) return got;
  const edge = { direction: 'from' as const, side: got.value.side, resource: null };
  if (name !== undefined) {
    const values = got.value.rows[0]?.values ?? {};
    const resource: ObjectRef = { kind: kind.kind, ...(scopeNs ? { namespace: scopeNs } : {}), name };
    return ok([item(ctx, resource, edge, values)]);
  }
  const items = got.value.rows
    .map((r) => item(ctx, refFrom(kind, r.labels, got.value.resourceLabels, scopeNs), edge, r.values))
    .sort((a, b) => (a.resource.name ?? '').localeCompare(b.resource.name ?? '') || (a.resource.namespace ?? '').localeCompare(b.resource.namespace ?? ''));
  return ok(items);
}

/** The edges of one resource: peers it received traffic from, then peers it sent traffic to. */
export async function edgeMetrics(ctx: QueryContext, kind: KindInfo, namespace: string | undefined, name: string): Promise<Result<TrafficMetrics[]>> {
  const resource: ObjectRef = { kind: kind.kind, ...(kind.namespaced && namespace ? { namespace } : {}), name };
  const items: TrafficMetrics[] = [];
  for (const direction of ['from', 'to'] as const) {
    const got = await collect(ctx, { type: 'edges', plural: kind.plural, namespace: kind.namespaced ? namespace : undefined, name, direction });
    if (!got.ok) return got;
    const peers = got.value.rows
      .map((r) => item(ctx, resource, { direction, side: got.value.side, resource: refFrom(kind, r.labels, got.value.edgeLabels) }, r.values))
      .sort((a, b) => (a.edge.resource?.name ?? '').localeCompare(b.edge.resource?.name ?? ''));
    items.push(...peers);
  }
  return ok(items);
}

export interface SplitRef {
  namespace: string;
  name: string;
  apex: string;
  backends: Array<{ service: string; weight: number }>;
}

/** One item per TrafficSplit backend: requests sent to that leaf service, measured at the clients. */
export async function splitMetrics(ctx: QueryContext, kind: KindInfo, split: SplitRef): Promise<Result<TrafficMetrics[]>> {
  const resource: ObjectRef = { kind: kind.kind, namespace: split.namespace, name: split.name };
  const items: TrafficMetrics[] = [];
  for (const b of split.backends) {
    const got = await collect(ctx, { type: 'backend', namespace: split.namespace, service: b.service });
    if (!got.ok) return got;
    const values = got.value.rows[0]?.values ?? {};
    const it = item(ctx, resource, { direction: 'from', side: got.value.side, resource: null }, values);
    it.backend = { apex: split.apex, name: b.service, weight: b.weight };
    items.push(it);
  }
  if (items.length === 0) return fail('NotFound', `trafficsplit ${split.namespace}/${split.name} has no backends`);
  return ok(items);
}

export function list(ctx: QueryContext, resource: ObjectRef, items: TrafficMetrics[], labelSelector?: string): TrafficMetricsList {
  return {
    kind: 'TrafficMetricsList',
    apiVersion: API_VERSION,
    metadata: { selfLink: ctx.selfLink },
    resource,
    ...(labelSelector ? { selector: { labelSelector } } : {}),
    items,
  };
}
