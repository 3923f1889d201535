// SMI fields that name Kubernetes objects must hold Kubernetes names (fuzzing finding:
// a TrafficTarget destination `*` became Consul intentions on the wildcard service).
import { expect } from 'chai';
import type { KubeObject } from '../../../schemas/hub.js';
import { isName, nameProblem } from '../../../schemas/names.js';
import { formatProblem } from '../../../schemas/problem.js';
import { validateSmiObject } from '../../../schemas/validate.js';

const lines = (obj: KubeObject): string[] => validateSmiObject(obj).problems.map(formatProblem);

describe('Kubernetes name syntax', () => {
  it('tells the three rules apart', () => {
    expect(isName('DNS-1123 subdomain', 'web.v1')).to.equal(true);
    expect(isName('DNS-1123 label', 'web.v1')).to.equal(false);
    expect(isName('DNS-1123 label', '1web')).to.equal(true);
    expect(isName('DNS-1035 label', '1web')).to.equal(false);
    for (const bad of ['', '*', 'é', 'Web', '-web', 'web-', 'a..b', 'a'.repeat(64)]) expect(isName('DNS-1123 label', bad), bad).to.equal(false);
    expect(isName('DNS-1123 subdomain', `${'a'.repeat(63)}.${'b'.repeat(63)}`)).to.equal(true);
    expect(isName('DNS-1123 subdomain', 'a'.repeat(254))).to.equal(false);
    expect(nameProblem('DNS-1123 label', 'a'.repeat(64))).to.equal('must be a DNS-1123 label of at most 63 characters, got 64');
  });
});

describe('validateSmiObject: names of Kubernetes objects', () => {
  const target = (spec: Record<string, unknown>, apiVersion = 'access.smi-spec.io/v1alpha3'): KubeObject => ({ apiVersion, kind: 'TrafficTarget', metadata: { name: 't', namespace: 'payments' }, spec });

  it('rejects the wildcard `*` as a destination (the BENCHMARKS.md reproduction)', () => {
    expect(
      lines(target({ destination: { kind: 'ServiceAccount', name: '*' }, rules: [{ kind: 'TCPRoute', name: 'tcp' }], sources: [{ kind: 'ServiceAccount', name: 'api' }] })),
    ).to.deep.equal([
      'TrafficTarget payments/t: spec.destination.name: must be a DNS-1123 subdomain (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit), got "*"',
    ]);
  });

  it('checks every subject name and namespace, and the route each rule names', () => {
    const found = lines(
      target({
        destination: { kind: 'ServiceAccount', name: 'api.v1', namespace: 'payments' },
        rules: [{ kind: 'HTTPRouteGroup', name: 'Routes', matches: ['Any Name'] }],
        sources: [
          { kind: 'ServiceAccount', name: 'ok', namespace: 'my.ns' },
          { kind: 'ServiceAccount', name: '', namespace: 'payments' },
        ],
      }),
    );
    expect(found.map((l) => l.split(': ').slice(1, 2)[0])).to.deep.equal(['spec.sources[0].namespace', 'spec.sources[1].name', 'spec.rules[0].name']);
    expect(found[0]).to.match(/must be a DNS-1123 label .*got "my\.ns"$/);
  });

  it('names v1alpha1 fields as written', () => {
    const v1 = {
      apiVersion: 'access.smi-spec.io/v1alpha1',
      kind: 'TrafficTarget',
      metadata: { name: 't', namespace: 'payments' },
      destination: { kind: 'ServiceAccount', name: 'Api' },
      specs: [{ kind: 'HTTPRouteGroup', name: 'routes' }],
      sources: [{ kind: 'ServiceAccount', name: 'web' }],
    } as unknown as KubeObject;
    expect(lines(v1).map((l) => l.split(': ')[1])).to.deep.equal(['destination.name']);
  });

  it('requires Service names (DNS-1035 labels) in a TrafficSplit, and HTTPRouteGroup names in its matches', () => {
    const found = lines({
      apiVersion: 'split.smi-spec.io/v1alpha4',
      kind: 'TrafficSplit',
      metadata: { name: 's', namespace: 'shop' },
      spec: { service: 'web.shop', backends: [{ service: '1web', weight: 1 }, { service: 'é', weight: 1 }, { service: 'web-v2', weight: 1 }], matches: [{ kind: 'HTTPRouteGroup', name: '*' }] },
    });
    expect(found.map((l) => l.split(': ')[1])).to.deep.equal(['spec.service', 'spec.matches[0].name', 'spec.backends[0].service', 'spec.backends[1].service']);
    expect(found[0]).to.equal(
      'TrafficSplit shop/s: spec.service: must be a DNS-1035 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit), got "web.shop"',
    );
  });
});
