// End to end: SMI manifests -> buildSnapshot -> resolve -> Consul renderer.
import { expect } from 'chai';
import yaml from 'js-yaml';
import { buildSnapshot } from '../../../../adapters/common/snapshot.js';
import { renderer } from '../../../../adapters/consul/index.js';
import { translateWith } from '../../../../adapters/translate.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { find, options, spec } from './fixtures.js';

function translate(manifests: string, opts = options()) {
  const { snapshot, problems } = buildSnapshot(yaml.loadAll(manifests) as KubeObject[]);
  expect(problems).to.deep.equal([]);
  return translateWith(renderer, snapshot, opts);
}

const services = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, uid: u-web}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v1, namespace: shop}
spec: {selector: {app: web, version: v1}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: shop}
spec: {selector: {app: web, version: v2}, ports: [{name: http, port: 80}]}
`;

describe('consul: end to end through translateWith', () => {
  it('turns relative weights into 0.01 % steps (1:2 -> 33.33/66.67)', () => {
    const out = translate(`${services}
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: canary, namespace: shop, uid: u-canary}
spec:
  service: web
  backends: [{service: web-v1, weight: 1}, {service: web-v2, weight: 2}]
`);
    expect(spec(find(out.objects, 'ServiceSplitter', 'web')).splits).to.deep.equal([
      { weight: 33.33, service: 'web-v1' },
      { weight: 66.67, service: 'web-v2' },
    ]);
    expect(find(out.objects, 'ServiceSplitter', 'web').metadata.ownerReferences?.[0]?.uid).to.equal('u-canary');
    expect(out.results.find((r) => r.object === 'TrafficSplit shop/canary')?.status).to.equal('Accepted');
  });

  it('routes an A/B split by its HTTPRouteGroup matches (ORed) through a virtual service', () => {
    const out = translate(`${services}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: beta, namespace: shop}
spec:
  matches:
  - {name: android, headers: {User-Agent: ".*Android.*"}}
  - {name: api, pathRegex: "/api", methods: ["GET"]}
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ab, namespace: shop}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: beta}]
  backends: [{service: web-v1, weight: 50}, {service: web-v2, weight: 50}]
`);
    const routes = spec(find(out.objects, 'ServiceRouter', 'web')).routes;
    expect(routes.map((r: { match: { http: unknown } }) => r.match.http)).to.have.deep.members([
      { header: [{ name: 'user-agent', regex: '.*Android.*' }] },
      { pathRegex: '^/api.*', methods: ['GET'] },
    ]);
    expect(new Set(routes.map((r: { destination: { service: string } }) => r.destination.service))).to.deep.equal(new Set(['web-smi-ab']));
    expect(spec(find(out.objects, 'ServiceSplitter', 'web-smi-ab')).splits).to.deep.equal([
      { weight: 50, service: 'web-v1' },
      { weight: 50, service: 'web-v2' },
    ]);
    expect(out.objects.filter((o) => o.kind === 'ServiceSplitter')).to.have.length(1);
  });

  it('enforces a TrafficTarget: HTTP permissions, dropped port rule reported, deny-by-default', () => {
    const out = translate(`
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 9000}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {metadata: {labels: {app: api}}, spec: {serviceAccountName: api}}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web}}, spec: {serviceAccountName: web}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ops, namespace: shop}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: reads, namespace: shop}
spec:
  matches: [{name: get, pathRegex: "/items", methods: ["GET"]}]
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: admin-port, namespace: shop}
spec: {matches: {ports: [9000]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: api-access, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules:
  - {kind: HTTPRouteGroup, name: reads}
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: ops-access, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules:
  - {kind: TCPRoute, name: admin-port}
  sources: [{kind: ServiceAccount, name: ops, namespace: shop}]
`);
    const si = spec(find(out.objects, 'ServiceIntentions', 'api'));
    expect(si.sources.map((s: { name: string }) => s.name)).to.deep.equal(['web', '*']);
    expect(si.sources[0].permissions[0]).to.deep.equal({ action: 'allow', http: { pathRegex: '^/items.*', methods: ['GET'] } });
    expect(spec(find(out.objects, 'ServiceDefaults', 'api')).protocol).to.equal('http');
    const ops = out.results.find((r) => r.object === 'TrafficTarget shop/ops-access');
    expect(ops?.status).to.equal('Unsupported');
    expect(ops?.messages.join('\n')).to.match(/ports 9000 cover only some of the pod ports of Consul service api \(8080, 9000\)/);
  });
});
