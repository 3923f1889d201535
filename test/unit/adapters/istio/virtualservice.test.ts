import { expect } from 'chai';
import { httpMatchRequest, matchRequestProblem, renderSplit } from '../../../../adapters/istio/virtualservice.js';
import { MANAGED_BY_LABEL, MESH_LABEL, SOURCE_LABEL } from '../../../../adapters/types.js';
import { cond, OPTIONS, resolvedSplit, service, tsObject } from './model.js';

const web = service('web', [{ port: 80, name: 'http' }]);
const v1 = service('web-v1');
const v2 = service('web-v2');
const host = (s: string) => `${s}.shop.svc.cluster.local`;

describe('istio VirtualService: splits', () => {
  it('emits one VirtualService on the root FQDN with the model percentages', () => {
    const { objects, notes } = renderSplit(resolvedSplit(web, [[v1, 67], [v2, 33]]), OPTIONS);
    expect(notes).to.deep.equal([]);
    expect(objects).to.have.length(1);
    const vs = objects[0]!;
    expect(vs.apiVersion).to.equal('networking.istio.io/v1');
    expect(vs.kind).to.equal('VirtualService');
    expect(vs.metadata.namespace).to.equal('shop');
    expect(vs.spec).to.deep.equal({
      hosts: [host('web')],
      http: [{ name: 'smi-split', route: [{ destination: { host: host('web-v1') }, weight: 67 }, { destination: { host: host('web-v2') }, weight: 33 }] }],
    });
  });

  it('uses the cluster domain option for every host', () => {
    const { objects } = renderSplit(resolvedSplit(web, [[v1, 100]]), { ...OPTIONS, clusterDomain: 'corp.example' });
    const spec = objects[0]!.spec as { hosts: string[]; http: Array<{ route: Array<{ destination: { host: string } }> }> };
    expect(spec.hosts).to.deep.equal(['web.shop.svc.corp.example']);
    expect(spec.http[0]!.route[0]!.destination.host).to.equal('web-v1.shop.svc.corp.example');
  });

  it('gives destinations no port, so each request keeps the port it was sent to', () => {
    const multi = service('web', [{ port: 80, name: 'http' }, { port: 8080, name: 'http-admin' }]);
    const { objects } = renderSplit(resolvedSplit(multi, [[v1, 50], [v2, 50]]), OPTIONS);
    expect(JSON.stringify(objects[0]!.spec)).not.to.contain('"port"');
  });

  it('with matches: one route per condition (OR), then a default route to the root', () => {
    const a = cond('ab/mobile', { headers: [{ name: 'user-agent', regex: 'Android' }] });
    const b = cond('ab/api', { pathRegex: '^/api', methods: ['GET', 'POST'] });
    const { objects } = renderSplit(resolvedSplit(web, [[v1, 10], [v2, 90]], [a, b]), OPTIONS);
    const weighted = [{ destination: { host: host('web-v1') }, weight: 10 }, { destination: { host: host('web-v2') }, weight: 90 }];
    expect(objects[0]!.spec).to.deep.equal({
      hosts: [host('web')],
      http: [
        { name: 'ab/mobile', match: [{ headers: { 'user-agent': { regex: 'Android' } } }], route: weighted },
        { name: 'ab/api', match: [{ uri: { regex: '^/api.*' }, method: { regex: 'GET|POST' } }], route: weighted },
        { name: 'smi-default', route: [{ destination: { host: host('web') } }] },
      ],
    });
  });

  it('a condition that matches every request makes the split unconditional', () => {
    const { objects } = renderSplit(resolvedSplit(web, [[v1, 50], [v2, 50]], [cond('g/all'), cond('g/api', { pathRegex: '^/api' })]), OPTIONS);
    const http = (objects[0]!.spec as { http: unknown[] }).http;
    expect(http).to.have.length(1);
    expect(http[0]).to.not.have.property('match');
  });

  it('keeps route names unique when two conditions share an origin', () => {
    const { objects } = renderSplit(resolvedSplit(web, [[v1, 100]], [cond('g/m', { methods: ['GET'] }), cond('g/m', { methods: ['PUT'] })]), OPTIONS);
    const names = (objects[0]!.spec as { http: Array<{ name: string }> }).http.map((r) => r.name);
    expect(names).to.deep.equal(['g/m', 'g/m#2', 'smi-default']);
  });

  it('leaves out (and reports) a condition whose rewritten regex is over Istio\'s 1024 bytes; the others are split', () => {
    // 1,020 bytes as written (admission allows up to 1,024); a top-level `|` makes the full-match form `(?:R).*`.
    const long = `^/a|/${'b'.repeat(1015)}`;
    expect(Buffer.byteLength(long)).to.equal(1020);
    const { objects, notes } = renderSplit(resolvedSplit(web, [[v1, 50], [v2, 50]], [cond('g/long', { pathRegex: long }), cond('g/api', { pathRegex: '^/api' })]), OPTIONS);
    const http = (objects[0]!.spec as { http: Array<{ name: string }> }).http;
    expect(http.map((r) => r.name)).to.deep.equal(['g/api', 'smi-default']);
    expect(notes).to.deep.equal([{ object: 'TrafficSplit shop/canary', status: 'Unsupported', message: 'spec.matches: g/long is not split: the uri regex would be 1026 bytes, over the 1024 Istio accepts' }]);
    // Only such conditions: nothing is split, nothing emitted.
    const none = renderSplit(resolvedSplit(web, [[v1, 50], [v2, 50]], [cond('g/long', { pathRegex: long })]), OPTIONS);
    expect(none.objects).to.deep.equal([]);
    expect(none.notes.map((n) => n.status)).to.deep.equal(['Unsupported', 'Unsupported']);
  });

  it('never emits an empty regex (istiod rejects one)', () => {
    expect(matchRequestProblem({ headers: { 'x-debug': { regex: '' } } })).to.equal('the header x-debug regex would be empty, which Istio rejects');
    expect(matchRequestProblem({ uri: { regex: '^/a.*' }, method: { exact: 'GET' } })).to.equal(undefined);
  });

  it('TCP-only root: a weighted tcp route and no http route', () => {
    const db = service('db', [{ port: 5432, name: 'tcp-pg' }]);
    const { objects } = renderSplit(resolvedSplit(db, [[service('db-a'), 75], [service('db-b'), 25]]), OPTIONS);
    expect(objects[0]!.spec).to.deep.equal({
      hosts: [host('db')],
      tcp: [{ route: [{ destination: { host: host('db-a') }, weight: 75 }, { destination: { host: host('db-b') }, weight: 25 }] }],
    });
  });

  it('ports Istio sniffs get both http and tcp routes', () => {
    const { objects } = renderSplit(resolvedSplit(service('web', [8080]), [[v1, 100]]), OPTIONS);
    expect(objects[0]!.spec).to.have.all.keys('hosts', 'http', 'tcp');
  });

  it('TLS ports: a tls route on SNI = root FQDN, reported as approximated', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('web', [{ port: 443, name: 'https' }]), [[v1, 100]]), OPTIONS);
    expect((objects[0]!.spec as { tls: unknown }).tls).to.deep.equal([{ match: [{ port: 443, sniHosts: [host('web')] }], route: [{ destination: { host: host('web-v1') }, weight: 100 }] }]);
    expect(notes).to.have.length(1);
    expect(notes[0]!.message).to.contain('SNI');
  });

  it('with matches, a root without HTTP ports cannot be split: no object, Unsupported', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('db', [{ port: 5432, name: 'tcp' }]), [[v1, 100]], [cond('g/m', { methods: ['GET'] })]), OPTIONS);
    expect(objects).to.deep.equal([]);
    expect(notes).to.have.length(1);
    expect(notes[0]).to.include({ object: 'TrafficSplit shop/canary', status: 'Unsupported' });
  });

  it('UDP ports are reported as not split', () => {
    const { objects, notes } = renderSplit(resolvedSplit(service('dns', [{ port: 53, name: 'dns', protocol: 'UDP' }, { port: 53, name: 'dns-tcp', protocol: 'TCP' }]), [[v1, 100]]), OPTIONS);
    expect(objects).to.have.length(1);
    expect(notes.map((n) => n.message)).to.deep.equal(['spec.service: port 53/UDP of Service shop/dns is not proxied by Istio; traffic to it is not split']);
  });

  it('metadata: deterministic name, labels, owner reference to the TrafficSplit', () => {
    const split = tsObject('canary', 'shop', 'uid-1');
    const { objects } = renderSplit(resolvedSplit(web, [[v1, 100]], [], split), OPTIONS);
    const meta = objects[0]!.metadata;
    expect(meta.name).to.equal('smi-split-canary');
    expect(meta.labels).to.deep.equal({ [MANAGED_BY_LABEL]: 'smi-operator', [MESH_LABEL]: 'istio', [SOURCE_LABEL]: 'trafficsplit.canary' });
    expect(meta.ownerReferences).to.deep.equal([{ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', name: 'canary', uid: 'uid-1' }]);
  });
});

describe('istio VirtualService: HTTPMatchRequest', () => {
  it('one method is an exact match; several are one anchored alternation', () => {
    expect(httpMatchRequest(cond('g/m', { methods: ['GET'] }))).to.deep.equal({ method: { exact: 'GET' } });
    expect(httpMatchRequest(cond('g/m', { methods: ['DELETE', 'GET', 'PUT'] }))).to.deep.equal({ method: { regex: 'DELETE|GET|PUT' } });
  });
  it('ANDs path, methods and every header in one match request', () => {
    const m = httpMatchRequest(cond('g/m', { pathRegex: '^/a$', methods: ['GET'], headers: [{ name: 'x-a', regex: '^1$' }, { name: 'x-b', regex: 'b' }] }));
    expect(m).to.deep.equal({ uri: { regex: '^/a$' }, method: { exact: 'GET' }, headers: { 'x-a': { regex: '^1$' }, 'x-b': { regex: 'b' } } });
    // Istio rejects an empty header regex; '^$' full-matches exactly what '' does (the empty value).
    expect(httpMatchRequest(cond('g/m', { headers: [{ name: 'x-a', regex: '' }] })).headers).to.deep.equal({ 'x-a': { regex: '^$' } });
  });
});
