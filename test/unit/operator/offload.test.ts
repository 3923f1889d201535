// The offload worker (issue 18.7): what it takes off the event loop, that an ordinary
// route group never starts it, that its translations equal the inline ones, that an
// unchanged object crosses once, and that a crash or an idle period ends it cleanly.
// Work is asserted by counting (compiles on this thread, objects sent, workers started).

import { expect } from 'chai';
import { buildSnapshot } from '../../../adapters/common/snapshot.js';
import { getAdapter } from '../../../adapters/index.js';
import { DEFAULT_MESH_OPTIONS } from '../../../adapters/types.js';
import { isLarge, Offload } from '../../../operator/offload/offload.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { isCompiled, routeGroupRegexes, slowToCompile } from '../../../schemas/regex.js';
import { validateSmiObject } from '../../../schemas/validate.js';
import { countCompiles } from '../schemas/compiles.js';
import { deployment, fresh, referenceGroup, routeGroupOf, service, serviceAccount, target } from '../fuzz/hostile-corpus.js';

const NS = 'shop';
const withRv = <T extends KubeObject>(o: T, rv = '1'): T => ({ ...o, metadata: { ...o.metadata, resourceVersion: rv } });
const slowGroup = (name: string): KubeObject => withRv(routeGroupOf(NS, name, { matches: 2, headers: 1, bytes: 200 }, (b, t) => `(?i)[${'\\x{100}-\\x{10FFFF}'.repeat(Math.floor((b - t.length - 6) / 17))}]${t}`));
const plainGroup = (name: string): KubeObject => withRv({ apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name, namespace: NS }, spec: { matches: [{ name: 'read', pathRegex: `/read/${fresh()}/.*`, headers: { 'x-a': `v${fresh()}` } }] } });

async function until(what: string, fn: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('offload worker', function () {
  this.timeout(60_000);
  const opened: Offload[] = [];
  const offload = (o: ConstructorParameters<typeof Offload>[0] = {}): Offload => {
    const x = new Offload(o);
    opened.push(x);
    return x;
  };
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  // The schema's own patterns compile with the validator, once per process: not part of any count.
  before(() => validateSmiObject(plainGroup('warm-up')));

  it('slowToCompile flags Unicode classes and case folding only, in one pass', () => {
    for (const p of ['\\pL', 'a[\\p{Greek}]', '\\PN', '(?i)abc', 'x(?mi:y)', '(?i']) expect(slowToCompile(p), p).to.equal(true);
    for (const p of ['\\\\p', '(?:a|b)', '(?P<id>x)', '(?s).*', '/api/v[0-9]+/.*', '(?m)^$', '']) expect(slowToCompile(p), p).to.equal(false);
    // Linear: a long run of `(?` without a closing `:` or `)` is read once.
    expect(slowToCompile(`${'(?'.repeat(50_000)}m`)).to.equal(false);
  });

  it('compiles an ordinary group here, without starting the worker', async () => {
    const off = offload();
    const g = plainGroup('plain');
    await off.warm([g]);
    expect(off.started).to.equal(0);
    expect(routeGroupRegexes(g).every(isCompiled)).to.equal(true);
  });

  it('stops compiling here after a few milliseconds of counted repetitions, and leaves the rest to the worker', async () => {
    const off = offload();
    const g = withRv(routeGroupOf(NS, 'counted', { matches: 40, headers: 0, bytes: 40 }, (_b, t) => `a{1000}b{1000}${t}`));
    let warming: Promise<void> | undefined;
    const compiles = countCompiles(() => (warming = off.warm([g])));
    expect(compiles, 'compiled here before handing over').to.be.below(40);
    await warming;
    expect(off.started).to.equal(1);
  });

  it('compiles a group of slow regexes in the worker; validating it here then compiles nothing', async () => {
    const off = offload();
    const g = slowGroup('slow');
    await off.warm([g]);
    expect(off.started).to.equal(1);
    let verdict: ReturnType<typeof validateSmiObject> | undefined;
    expect(countCompiles(() => (verdict = validateSmiObject(g)))).to.equal(0);
    expect(verdict!.problems).to.deep.equal([]);
    // Once per object version: asking again does not go back to the worker.
    await off.warm([g]);
    expect(off.started).to.equal(1);
  });

  it('translates in the worker exactly as inline, and sends an unchanged object once', async () => {
    const off = offload();
    const groups = [0, 1].map((i) => withRv(referenceGroup(NS, `g${i}`, { matches: 128, headers: 4, bytes: 100 })));
    const objs = [
      ...[serviceAccount(NS, 'api'), serviceAccount(NS, 'client'), service(NS, 'api', { app: 'api' }), deployment(NS, 'api', 'api', { app: 'api' })].map((o) => withRv(o)),
      ...groups,
      withRv(target(NS, 'tt', 'api', ['client'], groups.map((g) => ({ kind: 'HTTPRouteGroup', name: g.metadata.name, matches: ['m0', 'm1'] })))),
    ];
    expect(isLarge(objs), 'large by its regexes').to.equal(true);
    const inline = getAdapter('istio').translate(buildSnapshot(objs).snapshot, DEFAULT_MESH_OPTIONS);
    expect(await off.translate('istio', DEFAULT_MESH_OPTIONS, objs)).to.deep.equal(inline);
    expect(off.sent).to.equal(objs.length);
    expect(await off.translate('istio', DEFAULT_MESH_OPTIONS, objs)).to.deep.equal(inline);
    expect(off.sent, 'nothing changed, nothing sent').to.equal(objs.length);
    const changed = { ...groups[0]!, metadata: { ...groups[0]!.metadata, resourceVersion: '2' } };
    await off.translate('istio', DEFAULT_MESH_OPTIONS, objs.map((o) => (o === groups[0] ? changed : o)));
    expect(off.sent, 'only the new version').to.equal(objs.length + 1);
  });

  it('a worker that dies fails the calls in flight with the reason, and the next call starts another', async () => {
    const off = offload({ workerUrl: new URL('./exiting-worker.js', import.meta.url) });
    const err = await off.warm([slowGroup('crash')]).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).to.match(/offload worker exited \(code 3\)/);
    await off.warm([slowGroup('crash-again')]).catch(() => undefined);
    expect(off.started).to.equal(2);
  });

  it('stops the worker when idle', async () => {
    const off = offload({ idleMs: 50 });
    await off.warm([slowGroup('idle')]);
    expect(off.running).to.equal(true);
    await until('the idle worker stops', () => !off.running);
  });
});
