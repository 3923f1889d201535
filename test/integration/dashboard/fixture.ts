// The dashboard's test world: the sample manifests (config/samples) moved into a
// test namespace, and the Istio standard metrics their traffic would produce,
// with rates chosen so every number the page shows can be worked out by hand.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../schemas/hub.js';
import type { Family } from '../../support/prometheus/exporter.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';

/** config/samples in kustomization order, with smi-demo -> `ns` and smi-system -> `operatorNs`; Namespace objects dropped. */
export function sampleObjects(ns: string, operatorNs: string): KubeObject[] {
  const dir = join(repoRoot(), 'config', 'samples');
  // The operator's ConfigMap as config/default installs it, then the samples.
  const files = ['../manager/config.yaml', ...(yaml.load(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources];
  const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n---\n');
  return (yaml.loadAll(text.replaceAll('smi-demo', ns).replaceAll('smi-system', operatorNs)) as Array<KubeObject | null>).filter(
    (d): d is KubeObject => !!d && typeof d === 'object' && d.kind !== 'Namespace',
  );
}

/** One observed edge: requests per second by response code, and cumulative latency buckets (ms -> per second). */
interface Edge {
  from: { workload: string; namespace: string };
  to: { workload: string; service: string };
  codes: Record<string, number>;
  buckets: Array<[number, number]>;
}

/**
 * The demo's traffic, per second:
 *   ingress (istio-system) -> frontend          10   all 200
 *   frontend -> website-v1 (Service website-v1)   9   all 200                  canary stable
 *   frontend -> website-v2 (Service website-v2)   1   0.8 200 + 0.2 503        canary: 80 % success
 *   frontend -> payments-stable                   4   all 200
 *   frontend -> payments-beta                     1   all 200
 *   payments-stable -> website-v1               0.5   all 200                  no TrafficTarget allows payments -> website: DENIED
 */
export function demoEdges(ns: string): Edge[] {
  const fast: Array<[number, number]> = [[10, 0], [25, 0], [50, 0], [100, 0]];
  const scaled = (total: number, shape: number[]): Array<[number, number]> => fast.map(([le], i) => [le, total * shape[i]!]);
  return [
    { from: { workload: 'istio-ingressgateway', namespace: 'istio-system' }, to: { workload: 'frontend', service: 'frontend' }, codes: { '200': 10 }, buckets: scaled(10, [0.5, 0.9, 1, 1]) },
    { from: { workload: 'frontend', namespace: ns }, to: { workload: 'website-v1', service: 'website-v1' }, codes: { '200': 9 }, buckets: scaled(9, [0.5, 1, 1, 1]) },
    { from: { workload: 'frontend', namespace: ns }, to: { workload: 'website-v2', service: 'website-v2' }, codes: { '200': 0.8, '503': 0.2 }, buckets: scaled(1, [0, 0.2, 0.6, 1]) },
    { from: { workload: 'frontend', namespace: ns }, to: { workload: 'payments-stable', service: 'payments-stable' }, codes: { '200': 4 }, buckets: scaled(4, [0.25, 0.75, 1, 1]) },
    { from: { workload: 'frontend', namespace: ns }, to: { workload: 'payments-beta', service: 'payments-beta' }, codes: { '200': 1 }, buckets: scaled(1, [0, 1, 1, 1]) },
    { from: { workload: 'payments-stable', namespace: ns }, to: { workload: 'website-v1', service: 'website-v1' }, codes: { '200': 0.5 }, buckets: scaled(0.5, [1, 1, 1, 1]) },
  ];
}

/** Istio reports every request twice, at the client proxy (reporter=source) and at the server proxy (reporter=destination). */
export function demoFamilies(ns: string): Family[] {
  const counters: NonNullable<Family['counters']> = [];
  const histograms: NonNullable<Family['histograms']> = [];
  for (const e of demoEdges(ns)) {
    for (const reporter of ['source', 'destination']) {
      const labels = {
        reporter,
        source_workload: e.from.workload,
        source_workload_namespace: e.from.namespace,
        destination_workload: e.to.workload,
        destination_workload_namespace: ns,
        destination_service_name: e.to.service,
        destination_service_namespace: ns,
      };
      for (const [code, perSecond] of Object.entries(e.codes)) counters.push({ labels: { ...labels, response_code: code }, perSecond });
      histograms.push({ labels, buckets: e.buckets });
    }
  }
  return [
    { name: 'istio_requests_total', type: 'counter', counters },
    { name: 'istio_request_duration_milliseconds', type: 'histogram', histograms },
  ];
}
