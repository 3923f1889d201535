// The benchmark workload: "apps", each a root Service with two versions, one
// Deployment (so access has pods to select), and three SMI objects - a
// TrafficSplit, an HTTPRouteGroup and a TrafficTarget using it - the mix a
// canary plus an access policy per service produces. N SMI objects = 3 per app.

import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { getAdapter } from '../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, type MeshName } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { decorate } from '../../operator/controller/labels.js';
import { unitOfSmi } from '../../operator/controller/units.js';

export const SMI_PER_APP = 3;

export interface App {
  name: string;
  /** Services, ServiceAccounts, Deployment: what the SMI objects refer to. */
  context: KubeObject[];
  split: KubeObject;
  routes: KubeObject;
  target: KubeObject;
}

export function split(ns: string, app: string, w1: number, w2: number, matches?: string[]): KubeObject {
  const spec: Record<string, unknown> = { service: app, backends: [{ service: `${app}-v1`, weight: w1 }, { service: `${app}-v2`, weight: w2 }] };
  if (matches) spec.matches = matches.map((name) => ({ kind: 'HTTPRouteGroup', name }));
  return { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: app, namespace: ns }, spec };
}

export function routeGroup(ns: string, name: string, pathPrefix = '/api'): KubeObject {
  return {
    apiVersion: 'specs.smi-spec.io/v1alpha4',
    kind: 'HTTPRouteGroup',
    metadata: { name, namespace: ns },
    spec: { matches: [{ name: 'read', pathRegex: `${pathPrefix}/.*`, methods: ['GET', 'HEAD'] }, { name: 'write', pathRegex: `${pathPrefix}/.*`, methods: ['POST', 'PUT'] }] },
  };
}

export function target(ns: string, name: string, destSa: string, routeGroupName: string, matches = ['read']): KubeObject {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns },
    spec: {
      destination: { kind: 'ServiceAccount', name: destSa, namespace: ns },
      rules: [{ kind: 'HTTPRouteGroup', name: routeGroupName, matches }],
      sources: [{ kind: 'ServiceAccount', name: 'client', namespace: ns }],
    },
  };
}

const service = (ns: string, name: string, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  // Headless: the test control plane's Service IP range holds a few hundred addresses, and no adapter reads the IP.
  spec: { clusterIP: 'None', selector, ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }] },
});

const deployment = (ns: string, name: string, sa: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: sa, containers: [{ name: 'app', image: 'example.org/app:1' }] } } },
});

/** Objects shared by all apps of a namespace. */
export const shared = (ns: string): KubeObject[] => [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'client', namespace: ns } }];

export function app(ns: string, i: number): App {
  const name = `app-${i}`;
  return {
    name,
    context: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } },
      service(ns, name, { app: name }),
      service(ns, `${name}-v1`, { app: name, version: 'v1' }),
      service(ns, `${name}-v2`, { app: name, version: 'v2' }),
      deployment(ns, name, name, { app: name, version: 'v1' }),
    ],
    split: split(ns, name, 90, 10),
    routes: routeGroup(ns, `${name}-routes`),
    target: target(ns, name, name, `${name}-routes`),
  };
}

/** Apps for about n SMI objects (rounded up to whole apps). */
export const apps = (ns: string, nSmi: number): App[] => Array.from({ length: Math.ceil(nSmi / SMI_PER_APP) }, (_, i) => app(ns, i));

export const smiObjects = (as: App[]): KubeObject[] => as.flatMap((a) => [a.routes, a.split, a.target]);

/**
 * The native objects the operator must end up writing for these apps, exactly
 * as it writes them (adapter output + the operator's unit label/annotation/hash),
 * computed per unit like the operator does.
 */
export function expectedNative(ns: string, as: App[], mesh: MeshName = 'istio'): KubeObject[] {
  const adapter = getAdapter(mesh);
  const out: KubeObject[] = [];
  const sh = shared(ns);
  for (const a of as) {
    for (const smi of [a.split, a.target]) {
      const inputs = [...sh, ...a.context, a.routes, smi];
      const { snapshot } = buildSnapshot(inputs);
      // The split unit's snapshot holds no TrafficTarget and vice versa: filter to the unit's own outputs.
      const t = adapter.translate(snapshot, DEFAULT_MESH_OPTIONS);
      for (const o of t.objects) out.push(decorate(o, unitOfSmi(smi)));
    }
  }
  return out;
}
