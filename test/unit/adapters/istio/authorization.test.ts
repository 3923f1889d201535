import { expect } from 'chai';
import { renderAuthorizationPolicy, translateCondition } from '../../../../adapters/istio/authorization.js';
import { MANAGED_BY_LABEL, MESH_LABEL, SOURCE_LABEL } from '../../../../adapters/types.js';
import { cond, destination, OPTIONS, rule, service, ttObject } from './model.js';

const tt = ttObject('allow-web', 'shop', 'uid-tt');
const sel = { app: 'api' };
const spec = (d: Parameters<typeof renderAuthorizationPolicy>[0], o = OPTIONS) => renderAuthorizationPolicy(d, sel, o).policy.spec as Record<string, unknown>;

describe('istio AuthorizationPolicy', () => {
  it('ALLOW policy on the selector; sources become SPIFFE principals in the trust domain', () => {
    const d = destination('api', [rule(tt, [['shop', 'web'], ['ops', 'probe'], ['shop', 'web']])]);
    expect(spec(d, { ...OPTIONS, trustDomain: 'td.example' })).to.deep.equal({
      selector: { matchLabels: { app: 'api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['td.example/ns/ops/sa/probe', 'td.example/ns/shop/sa/web'] } }] }],
    });
  });

  it('no rules at all: a policy without rules, which allows nothing (deny all)', () => {
    const s = spec(destination('api', [], { targets: [tt] }));
    expect(s).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' });
  });

  it('TCP rule ports are the destination pod ports, used as they are (strings), never mapped through a Service', () => {
    const d = destination('api', [rule(tt, [['shop', 'web']], { ports: [8080, 9090] }), rule(tt, [['shop', 'ops']], { ports: [80] })], {
      services: [service('api', [{ port: 80, name: 'http', targetPort: 8080 }, { port: 9090, name: 'metrics' }])],
    });
    expect(spec(d).rules).to.deep.equal([
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { ports: ['8080', '9090'] } }] },
      // Service port 80 is not pod port 8080: the rule allows pod port 80 only (nothing listens there).
      { from: [{ source: { principals: ['cluster.local/ns/shop/sa/ops'] } }], to: [{ operation: { ports: ['80'] } }] },
    ]);
  });

  it('HTTP rule: one policy rule per condition, paths/methods in `to`, headers in `when`', () => {
    const d = destination('api', [
      rule(tt, [['shop', 'web']], {
        http: [cond('g/read', { pathRegex: '^/items', methods: ['GET'] }), cond('g/beta', { headers: [{ name: 'x-beta', regex: '^on$' }] })],
      }),
    ]);
    const from = [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }];
    expect(spec(d).rules).to.deep.equal([
      { from, to: [{ operation: { paths: ['/items*'], methods: ['GET'] } }] },
      { from, when: [{ key: 'request.headers[x-beta]', values: ['on'] }] },
    ]);
  });

  it('an HTTP condition matching every request still only allows HTTP (paths ["*"])', () => {
    const d = destination('api', [rule(tt, [['shop', 'web']], { http: [cond('g/all')] })]);
    expect(spec(d).rules).to.deep.equal([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { paths: ['*'] } }] }]);
  });

  it('a regex path with no exact form is dropped (narrower) and reported Unsupported', () => {
    const d = destination('api', [rule(tt, [['shop', 'web']], { http: [cond('g/id', { pathRegex: '^/users/[0-9]+' }), cond('g/ok', { pathRegex: '^/ok$' })] })]);
    const out = renderAuthorizationPolicy(d, sel, OPTIONS);
    expect((out.policy.spec as { rules: unknown[] }).rules).to.deep.equal([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { paths: ['/ok'] } }] }]);
    expect(out.notes).to.have.length(1);
    expect(out.notes[0]).to.include({ object: 'TrafficTarget shop/allow-web', status: 'Unsupported' });
    expect(out.notes[0]!.message).to.match(/^spec\.rules\[0\]: HTTPRouteGroup match g\/id: pathRegex .*allows nothing$/);
  });

  it('when every condition is dropped the policy allows nothing, never more', () => {
    // "contains" has no AuthorizationPolicy form.
    const d = destination('api', [rule(tt, [['shop', 'web']], { http: [cond('g/ua', { headers: [{ name: 'user-agent', regex: '.*Android.*' }] })] })]);
    expect(spec(d)).to.not.have.property('rules');
  });

  it('identical rules from several TrafficTargets appear once', () => {
    const other = ttObject('again');
    const d = destination('api', [rule(tt, [['shop', 'web']]), rule(other, [['shop', 'web']])]);
    expect(spec(d).rules).to.have.length(1);
  });

  it('metadata: destination namespace, labels, owner references to every contributing TrafficTarget', () => {
    const other = ttObject('second', 'shop', 'uid-2');
    const p = renderAuthorizationPolicy(destination('api', [rule(tt, [['shop', 'web']]), rule(other, [['shop', 'x']])]), sel, OPTIONS).policy;
    expect(p.metadata.name).to.equal('smi-access-api');
    expect(p.metadata.namespace).to.equal('shop');
    expect(p.metadata.labels).to.deep.equal({ [MANAGED_BY_LABEL]: 'smi-operator', [MESH_LABEL]: 'istio', [SOURCE_LABEL]: 'traffictarget.allow-web' });
    expect(p.metadata.ownerReferences?.map((o) => o.uid)).to.deep.equal(['uid-tt', 'uid-2']);
  });
});

describe('istio AuthorizationPolicy: helpers', () => {
  it('translateCondition: suffix paths, header alternatives, presence reported as narrowed', () => {
    const t = translateCondition(cond('g/m', { pathRegex: '^.*\\.json$', headers: [{ name: 'x-env', regex: '^(dev|qa)$' }, { name: 'x-any', regex: '.*' }] }));
    expect(t).to.deep.equal({
      ok: true,
      operation: { paths: ['*.json'] },
      when: [{ key: 'request.headers[x-env]', values: ['dev', 'qa'] }, { key: 'request.headers[x-any]', values: ['*'] }],
      narrowed: ['header x-any: an empty value is not matched (Istio\'s "*" needs a non-empty value)'],
    });
  });
  it('translateCondition: header regexes match the whole value, paths a prefix of the path', () => {
    const t = translateCondition(cond('g/m', { pathRegex: '^/a|/b$', headers: [{ name: 'user-agent', regex: 'Android' }, { name: 'x-env', regex: '^qa' }] }));
    expect(t).to.deep.equal({
      ok: true,
      operation: { paths: ['/a*', '/b'] },
      when: [{ key: 'request.headers[user-agent]', values: ['Android'] }, { key: 'request.headers[x-env]', values: ['qa'] }],
      narrowed: [],
    });
  });
});
