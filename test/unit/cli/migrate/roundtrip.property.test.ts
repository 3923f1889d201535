// Round trip (fast-check): for random SMI splits and route groups, the Gateway API
// output of `smictl migrate` routes the same requests, with the same shares, as the SMI
// input. SMI semantics as adapters/common/model.ts states them: pathRegex matches a
// prefix of the path (anchored at the start), header regexes the whole value, methods
// any of; a split with matches applies to requests matching any of them, the rest reach
// the root Service. Gateway API semantics: conformance/interpret/gateway.ts, under both
// documented RegularExpression precedences (Istio's and Linkerd's).
import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { planMigration } from '../../../../cli/migrate/plan.js';
import { gammaShares, type RegexOrder } from '../../../../conformance/interpret/gateway.js';
import type { HttpRequest } from '../../../../conformance/types.js';
import type { KubeObject } from '../../../../schemas/hub.js';

const NS = 'shop';
const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { ports: [{ name: 'http', port: 80 }], selector: { app: name } } }) as KubeObject;

interface Match {
  name: string;
  pathRegex?: string;
  methods?: string[];
  headers?: Record<string, string>;
}

const match = fc.record(
  {
    pathRegex: fc.constantFrom('/a', '/a/b', '^/b', '/a$', '/', '/a|/ab', '/c.*/d'),
    methods: fc.subarray(['GET', 'POST', 'PUT'], { minLength: 1 }),
    headers: fc.subarray(['x', 'x-env']).map((ks) => Object.fromEntries(ks.map((k) => [k, k === 'x' ? 'v1' : 'a|ab']))),
  },
  { requiredKeys: [] },
);

const scenario = fc.record({
  weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 4 }).filter((ws) => ws.some((w) => w > 0)),
  selfShare: fc.integer({ min: 0, max: 5 }),
  groups: fc.array(fc.array(match, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
});

const requests: HttpRequest[] = [];
for (const path of ['/', '/a', '/a/b', '/ab', '/abc', '/b', '/c/x/d', '/c']) {
  for (const method of ['GET', 'POST', 'PUT']) {
    for (const headers of [{}, { x: 'v1' }, { x: 'v2', 'x-env': 'ab' }, { x: 'v1', 'x-env': 'a' }, { 'x-env': 'abc' }] as Array<Record<string, string>>) requests.push({ path, method, headers });
  }
}

const anchored = (re: string): string => (re.startsWith('^') ? re : `^(?:${re})`);

function smiMatches(m: Match, r: HttpRequest): boolean {
  if (m.pathRegex !== undefined && !RE2JS.compile(anchored(m.pathRegex)).matcher(r.path).lookingAt()) return false;
  if (m.methods !== undefined && m.methods.length > 0 && !m.methods.includes(r.method)) return false;
  return Object.entries(m.headers ?? {}).every(([k, re]) => r.headers?.[k] !== undefined && RE2JS.matches(re, r.headers[k]!));
}

function smiShares(backends: Array<[string, number]>, groups: Match[][], r: HttpRequest): Record<string, number> {
  const gated = groups.length > 0 && !groups.some((g) => g.some((m) => smiMatches(m, r)));
  if (gated) return { web: 1 };
  const total = backends.reduce((n, [, w]) => n + w, 0);
  const out: Record<string, number> = {};
  for (const [name, w] of backends) if (w > 0) out[name] = (out[name] ?? 0) + w / total;
  return out;
}

function close(a: Record<string, number>, b: Record<string, number>, what: string): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) expect(a[k] ?? 0, `${what}: ${k}`).to.be.closeTo(b[k] ?? 0, 1e-9);
}

describe('smictl migrate round trip (property)', function () {
  this.timeout(120_000);
  it('the Gateway API routes send every request where the SMI split does, in the same shares, under Istio and Linkerd regex precedence', () => {
    fc.assert(
      fc.property(scenario, ({ weights, selfShare, groups }) => {
        const backends: Array<[string, number]> = [...weights.map((w, i) => [`v${i}`, w] as [string, number]), ['web', selfShare]];
        const rgs = groups.map((ms, gi) => ({
          apiVersion: 'specs.smi-spec.io/v1alpha4',
          kind: 'HTTPRouteGroup',
          metadata: { name: `g${gi}`, namespace: NS },
          spec: { matches: ms.map((m, mi) => ({ ...m, name: `m${mi}` })) },
        })) as KubeObject[];
        const split = {
          apiVersion: 'split.smi-spec.io/v1alpha4',
          kind: 'TrafficSplit',
          metadata: { name: 'web-split', namespace: NS },
          spec: { service: 'web', backends: backends.map(([service, weight]) => ({ service, weight })), ...(rgs.length > 0 ? { matches: rgs.map((g) => ({ kind: 'HTTPRouteGroup', name: g.metadata.name })) } : {}) },
        } as unknown as KubeObject;
        const plan = planMigration([svc('web'), ...weights.map((_, i) => svc(`v${i}`)), ...rgs, split]);
        const verdict = plan.report.find((r) => r.object === `TrafficSplit ${NS}/web-split`)!;
        expect(verdict.verdict, verdict.reasons.join('; ')).to.not.equal('not migrated');
        const objects = plan.objects.map((m) => m.object);
        const groupsAsMatches = groups.map((ms) => ms as Match[]);
        for (const order of ['istio', 'linkerd'] as RegexOrder[]) {
          for (const r of requests) close(gammaShares(objects, NS, 'web', 80, r, order), smiShares(backends, groupsAsMatches, r), `${order} ${JSON.stringify(r)}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
