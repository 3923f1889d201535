// Property, through Istio's own control plane: for random TrafficTargets, every request the Envoy configuration
// istiod generates from the Istio adapter's output lets through is one SMI allows (never broader). The adapter's
// objects are applied to the API server, istiod turns them into Envoy configuration for fake sidecars, and the
// evaluator (conformance/envoy) answers each request of a grid.

import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import type { HttpRequest } from '../../conformance/types.js';
import { access } from '../../conformance/xds/observe.js';
import { OracleNamespace } from './harness.js';
import { SAS, rule, targets, type GenRule } from './smi-gen.js';

const RUNS = Number(process.env.SMI_ORACLE_PROPERTY_RUNS ?? 40);

/** SMI: a TCPRoute rule admits its sources on its ports (all when none); an HTTPRouteGroup rule admits HTTP requests one of its matches accepts (path regex anchored at the start, header regexes on the whole value). */
function smiAllows(rules: GenRule[], source: string, port: number, req?: HttpRequest): boolean {
  return rules.some((r) => {
    if (!r.sources.includes(source)) return false;
    if (r.kind === 'TCPRoute') return r.ports.length === 0 || r.ports.includes(port);
    if (!req) return false;
    return r.matches.some(
      (m) =>
        (m.pathRegex === undefined || RE2JS.compile(m.pathRegex).matcher(req.path).lookingAt()) &&
        (m.methods === undefined || m.methods.includes('*') || m.methods.includes(req.method)) &&
        Object.entries(m.headers ?? {}).every(([h, re]) => req.headers?.[h] !== undefined && RE2JS.compile(re).matcher(req.headers[h]!).matches()),
    );
  });
}

const REQUESTS: HttpRequest[] = [];
for (const path of ['/', '/api', '/api/v1', '/apix', '/metrics', '/items/12', '/a.b', '/v1/items', '/b']) {
  for (const method of ['GET', 'POST']) {
    const variants: Array<Record<string, string>> = [{}, { 'x-canary': 'true' }, { 'user-agent': 'qa-Android' }, { 'x-canary': '' }];
    for (const headers of variants) REQUESTS.push({ method, path, headers });
  }
}

describe('Istio adapter access through istiod and Envoy (property)', function () {
  this.timeout(600_000);
  let h: OracleNamespace;
  before(async () => (h = await OracleNamespace.start('oracle-access')));
  after(async () => h?.stop());

  it(`never allows a request SMI denies (${RUNS} random rule sets, each through istiod)`, async () => {
    const allowedFrom = new Map<string, number>();
    let denied = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { maxLength: 3 }), async (rules) => {
        const { world } = await h.translateAndObserve(targets('api', rules));
        const api = world.services.find((s) => s.name === 'api')!;
        for (const source of SAS) {
          const from = { ns: h.ns, sa: source };
          const check = (port: number, req?: HttpRequest) => {
            const v = access(world, from, api, api.ports.find((p) => p.port === port)!, req, false);
            const smi = smiAllows(rules, source, port, req);
            const what = `${source} -> api:${port} ${req ? `${req.method} ${req.path} ${JSON.stringify(req.headers)}` : 'TCP'}: envoy ${v.verdict} (${v.why}); SMI ${smi ? 'allows' : 'denies'}; rules ${JSON.stringify(rules)}`;
            // Governed destination: the mesh default never applies.
            if (rules.length > 0) expect(v.verdict, what).not.to.equal('default');
            if (v.verdict === 'allow') expect(smi, what).to.equal(true);
            if (v.verdict === 'allow') allowedFrom.set(source, (allowedFrom.get(source) ?? 0) + 1);
            else denied++;
          };
          for (const req of REQUESTS) check(8080, req);
          check(7070);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.SMI_ORACLE_SEED ?? 7) },
    );
    // Not vacuous: both answers occurred, and every source (also the ServiceAccount with dots) was let through.
    expect([...allowedFrom.keys()].sort()).to.deep.equal([...SAS].sort());
    expect(denied).to.be.greaterThan(0);
  });
});
