import { expect } from 'chai';
import { renderSplit } from '../../../../adapters/linkerd/splits.js';
import { MANAGED_BY_LABEL, MESH_LABEL, SOURCE_LABEL } from '../../../../adapters/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { schemaErrors } from './crd-schema.js';
import { cond, NS, resolvedSplit, service, tsObject } from './fixtures.js';

interface Rule {
  matches: Array<{ path: { type: string; value: string }; method?: string; headers?: Array<{ type: string; name: string; value: string }> }>;
  backendRefs: Array<{ group: string; kind: string; name: string; port: number; weight?: number }>;
}
const spec = (o: KubeObject) => o.spec as { parentRefs: Array<Record<string, unknown>>; rules: Rule[] };

const web = service('web', [80, 9090]);
const v1 = service('web-v1', [80, 9090]);
const v2 = service('web-v2', [80, 9090]);

describe('linkerd splits', () => {
  it('emits one HTTPRoute per root port, parented on that Service port, with the raw relative weights', () => {
    const { objects, notes } = renderSplit(resolvedSplit(web, [[v1, 9], [v2, 1]]));
    expect(notes).to.deep.equal([]);
    expect(objects.map((o) => o.metadata.name)).to.deep.equal(['ts-canary-80', 'ts-canary-9090']);
    for (const [i, port] of [80, 9090].entries()) {
      const o = objects[i]!;
      expect(o.apiVersion).to.equal('gateway.networking.k8s.io/v1');
      expect(o.kind).to.equal('HTTPRoute');
      expect(o.metadata.namespace).to.equal(NS);
      expect(spec(o).parentRefs).to.deep.equal([{ group: '', kind: 'Service', name: 'web', port }]);
      expect(spec(o).rules).to.have.length(1);
      expect(spec(o).rules[0]!.backendRefs).to.deep.equal([
        { group: '', kind: 'Service', name: 'web-v1', port, weight: 9 },
        { group: '', kind: 'Service', name: 'web-v2', port, weight: 1 },
      ]);
      expect(schemaErrors(o)).to.deep.equal([]);
    }
  });

  it('keeps shares exact beyond the weight cap by dividing by the common divisor', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('a'), 3_000_000], [service('b'), 1_000_000]]));
    expect(notes).to.deep.equal([]);
    expect(spec(objects[0]!).rules[0]!.backendRefs.map((b) => b.weight)).to.deep.equal([3, 1]);
  });

  it('scales weights that stay over the cap, within one part in a million, with a note', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('a'), 2_000_001], [service('b'), 1_000_000]]));
    const [a, b] = spec(objects[0]!).rules[0]!.backendRefs.map((r) => r.weight!) as [number, number];
    expect(a).to.be.at.most(1_000_000);
    expect(Math.abs(a / (a + b) - 2_000_001 / 3_000_001)).to.be.below(1e-6);
    expect(schemaErrors(objects[0]!)).to.deep.equal([]);
    expect(notes).to.have.length(1);
    expect(notes[0]!.status).to.equal(undefined);
    expect(notes[0]!.message).to.match(/scaled to \d+\/\d+/);
  });

  it('never drops a tiny backend: 1 in 10^12 next to the cap still gets weight 1 (was 0 as a whole percentage)', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('a'), 1_000_000_000_000], [service('b'), 1]]));
    const weights = spec(objects[0]!).rules[0]!.backendRefs.map((r) => r.weight);
    expect(weights[1]).to.equal(1);
    expect(weights[0]).to.be.at.most(1_000_000);
    expect(notes.map((n) => n.message)).to.include('spec.backends[1].weight: 1 of 1000000000001 is below one part in 999999, the smallest share this HTTPRoute can express; it gets one part in 999999, taken from the largest backend');
  });

  it('reports a split over 16 backends Unsupported instead of an HTTPRoute the schema rejects', () => {
    const backends = Array.from({ length: 17 }, (_, i) => [service(`b${i}`), 1] as [ReturnType<typeof service>, number]);
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), backends));
    expect(objects).to.deep.equal([]);
    expect(notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
  });

  it('with matches: one rule per condition to the backends, then a catch-all to the root Service', () => {
    const matches = [
      cond('ab/android', { headers: [{ name: 'user-agent', regex: '.*Android.*' }] }),
      cond('ab/api', { pathRegex: '^/api', methods: ['GET', 'POST'] }),
    ];
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('web-v2'), 1]], matches));
    expect(notes).to.deep.equal([]);
    const rules = spec(objects[0]!).rules;
    expect(rules).to.have.length(3);
    expect(rules[0]!.matches).to.deep.equal([
      { path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'user-agent', value: '^(?:.*Android.*)$' }] },
    ]);
    // Two methods: two matches, each repeating the path (AND kept, methods ORed).
    expect(rules[1]!.matches).to.deep.equal([
      { path: { type: 'RegularExpression', value: '^(?:^/api)(?s:.*)' }, method: 'GET' },
      { path: { type: 'RegularExpression', value: '^(?:^/api)(?s:.*)' }, method: 'POST' },
    ]);
    for (const r of rules.slice(0, 2)) expect(r.backendRefs.map((b) => b.name)).to.deep.equal(['web-v2']);
    // Last, and least specific: Linkerd prefers any matching condition (first rule wins ties).
    expect(rules[2]).to.deep.equal({ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }] });
    expect(schemaErrors(objects[0]!)).to.deep.equal([]);
  });

  it('a condition that constrains nothing makes the split unconditional (no catch-all to the root)', () => {
    const { objects } = renderSplit(resolvedSplit(service('web'), [[service('web-v2'), 1]], [cond('ab/x', { pathRegex: '^/x' }), cond('ab/all')]));
    const rules = spec(objects[0]!).rules;
    expect(rules).to.have.length(1);
    expect(rules[0]!.backendRefs.map((b) => b.name)).to.deep.equal(['web-v2']);
  });

  it('packs many conditions into fewer rules when one rule each would exceed 16 rules', () => {
    const matches = Array.from({ length: 20 }, (_, i) => cond(`g/m${i}`, { pathRegex: `^/p${i}` }));
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('b'), 1]], matches));
    expect(notes).to.deep.equal([]);
    const rules = spec(objects[0]!).rules;
    expect(rules.length).to.be.at.most(16);
    const conditional = rules.slice(0, -1).flatMap((r) => r.matches.map((m) => m.path.value));
    expect(conditional).to.deep.equal(matches.map((c) => `^(?:${c.pathRegex})(?s:.*)`));
    expect(schemaErrors(objects[0]!)).to.deep.equal([]);
  });

  it('refuses, as Unsupported, conditions that expand past the 128 matches of one HTTPRoute', () => {
    const all = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];
    const matches = Array.from({ length: 15 }, (_, i) => cond(`g/m${i}`, { pathRegex: `^/p${i}`, methods: all }));
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('b'), 1]], matches));
    expect(objects).to.deep.equal([]);
    expect(notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
    expect(notes[0]!.message).to.match(/135 HTTPRoute matches/);
  });

  it('refuses a split whose regex Linkerd cannot take, instead of splitting a different set of requests', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('b'), 1]], [cond('g/q', { pathRegex: '^/\\Qa+b\\E' })]));
    expect(objects).to.deep.equal([]);
    expect(notes[0]!.status).to.equal('Unsupported');
    expect(notes[0]!.message).to.match(/g\/q/);
  });

  it('refuses two regexes on one header name (a Gateway API match keys headers by name)', () => {
    const c = cond('g/h', { headers: [{ name: 'x', regex: 'a.*' }, { name: 'x', regex: '.*b' }] });
    const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('b'), 1]], [c]));
    expect(objects).to.deep.equal([]);
    expect(notes[0]!.message).to.match(/header x has two conditions/);
  });

  it('does not split UDP or non-HTTP ports, and says so; Unsupported only when no port is left', () => {
    const mixed = service('db', [{ port: 80 }, { port: 53, protocol: 'UDP' }, { port: 5432, appProtocol: 'postgresql' }]);
    const r = renderSplit(resolvedSplit(mixed, [[service('db-v2', [80, 5432]), 1]]));
    expect(r.objects.map((o) => o.metadata.name)).to.deep.equal(['ts-canary-80']);
    expect(r.notes).to.have.length(2);
    expect(r.notes.every((n) => n.status === undefined)).to.equal(true);
    expect(r.notes[0]!.message).to.match(/port 53 is UDP/);
    expect(r.notes[1]!.message).to.match(/port 5432 declares appProtocol postgresql.*TCPRoute/);

    const tcpOnly = service('db', [{ port: 5432, appProtocol: 'tcp' }]);
    const t = renderSplit(resolvedSplit(tcpOnly, [[service('db-v2', [5432]), 1]]));
    expect(t.objects).to.deep.equal([]);
    expect(t.notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
  });

  it('a root Service without ports cannot carry a split: Unsupported', () => {
    const r = renderSplit(resolvedSplit(service('web', []), [[service('b', []), 1]]));
    expect(r.objects).to.deep.equal([]);
    expect(r.notes.map((n) => n.status)).to.deep.equal(['Unsupported']);
  });

  it('treats declared HTTP app protocols as routable', () => {
    const h2 = service('grpc', [{ port: 50051, appProtocol: 'kubernetes.io/h2c' }]);
    expect(renderSplit(resolvedSplit(h2, [[service('grpc-v2', [50051]), 1]])).objects).to.have.length(1);
  });

  it('labels and owns every route by the split', () => {
    const { objects } = renderSplit(resolvedSplit(service('web'), [[service('b'), 1]], [], tsObject('canary', 'uid-1')));
    expect(objects[0]!.metadata.labels).to.deep.equal({ [MANAGED_BY_LABEL]: 'smi-operator', [MESH_LABEL]: 'linkerd', [SOURCE_LABEL]: 'trafficsplit.canary' });
    expect(objects[0]!.metadata.ownerReferences).to.deep.equal([{ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', name: 'canary', uid: 'uid-1' }]);
  });
});
