// The canary view: each TrafficSplit's configured weights next to the share of
// requests each backend really received in the window, with its success rate
// and p99 (TrafficMetrics for trafficsplits: one item per backend).

import type { Condition, KubeObject } from '../../../schemas/hub.js';
import type { TrafficMetrics } from '../../../metrics-api/traffic-metrics.js';
import { trafficOf } from './traffic.js';
import type { ConditionView, SplitBackendView, SplitView } from './types.js';

export function conditionView(o: KubeObject, type: string): ConditionView | undefined {
  const c = ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((x) => x.type === type);
  return c ? { status: c.status, reason: c.reason, message: c.message } : undefined;
}

interface SplitSpec {
  service?: string;
  backends?: Array<{ service?: string; weight?: number }>;
  matches?: Array<{ kind?: string; name?: string }>;
}

/** `metrics`: the trafficsplits items of the split's namespace (any split; matched by name and backend). */
export function buildSplits(splits: readonly KubeObject[], metrics: readonly TrafficMetrics[], windowSeconds: number): SplitView[] {
  const out: SplitView[] = [];
  for (const s of splits) {
    const spec = (s.spec ?? {}) as SplitSpec;
    const ns = s.metadata.namespace ?? '';
    const backends = (spec.backends ?? []).map((b) => ({ service: b.service ?? '', weight: typeof b.weight === 'number' ? b.weight : 0 }));
    const total = backends.reduce((a, b) => a + b.weight, 0);
    const views: SplitBackendView[] = backends.map((b) => {
      const m = metrics.find((i) => i.resource.namespace === ns && i.resource.name === s.metadata.name && i.backend?.name === b.service);
      return { service: b.service, weight: b.weight, configuredPercent: total > 0 ? (100 * b.weight) / total : 0, ...(m ? { traffic: trafficOf(m.metrics, windowSeconds) } : {}) };
    });
    const requests = views.reduce((a, v) => a + (v.traffic?.requests ?? 0), 0);
    if (requests > 0) for (const v of views) v.observedPercent = (100 * (v.traffic?.requests ?? 0)) / requests;
    out.push({
      namespace: ns,
      name: s.metadata.name,
      apex: spec.service ?? '',
      matches: (spec.matches ?? []).map((m) => `${m.kind ?? 'HTTPRouteGroup'}/${m.name ?? ''}`),
      ready: conditionView(s, 'Ready'),
      backends: views,
      requests,
    });
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
