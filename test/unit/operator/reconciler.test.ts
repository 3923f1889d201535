// The reconciler against a recording fake client (issue 15): every request it
// makes is recorded, so the tests assert its decisions (apply, skip, prune,
// status), conflicts, refusals, fencing, echo suppression and fight limiting
// without an API server. The cache is a map fed through the real indexes.

import { expect } from 'chai';
import { allNativeKinds, getAdapter } from '../../../adapters/index.js';
import { restMapper } from '../../../kube/rest-mapper.js';
import type { KubeClient, KubeResult, RequestOptions, WatchHandle } from '../../../kube/client.js';
import { silentLogger } from '../../../log/log.js';
import { DEFAULT_CONFIG, type MeshConfig } from '../../../operator/config/mesh-config.js';
import type { CacheReader } from '../../../operator/controller/inputs.js';
import { userKindKey } from '../../../operator/controller/clashes.js';
import { NoInterner, transformFor } from '../../../operator/cache/transform.js';
import { nativeKey, nativeKindKey } from '../../../operator/controller/labels.js';
import { Reconciler } from '../../../operator/controller/reconciler.js';
import { DependencyIndex } from '../../../operator/controller/units.js';
import { Fence } from '../../../operator/leader/fence.js';
import { OperatorMetrics } from '../../../operator/metrics.js';
import { EventRecorder, Writer } from '../../../operator/writer.js';
import type { KubeObject } from '../../../schemas/hub.js';

interface Req {
  method: string;
  path: string;
  query?: RequestOptions['query'];
  body?: Record<string, unknown>;
}
type Responder = (r: Req) => KubeResult<unknown> | undefined;

/** Records every request; answers with `respond` first, then like an empty API server that accepts every write. */
class RecordingClient implements KubeClient {
  readonly requests: Req[] = [];
  respond: Responder = () => undefined;
  private rv = 100;

  request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<KubeResult<T>> {
    if (opts.signal?.aborted) return Promise.resolve({ ok: false, error: { status: 0, reason: 'Aborted', message: 'aborted' } });
    const body = typeof opts.body === 'string' ? (JSON.parse(opts.body) as Record<string, unknown>) : (opts.body as Record<string, unknown> | undefined);
    const req: Req = { method, path, ...(opts.query ? { query: opts.query } : {}), ...(body === undefined ? {} : { body }) };
    this.requests.push(req);
    const scripted = this.respond(req);
    if (scripted) return Promise.resolve(scripted as KubeResult<T>);
    if (method === 'GET') return Promise.resolve({ ok: false, error: { status: 404, reason: 'NotFound', message: 'not found' } });
    if (method === 'PATCH' && !path.endsWith('/status') && body) {
      const meta = body.metadata as Record<string, unknown>;
      return Promise.resolve({ ok: true, status: 200, body: { ...body, metadata: { ...meta, uid: `uid-${String(meta.name)}`, resourceVersion: String(++this.rv) } } as T });
    }
    return Promise.resolve({ ok: true, status: 200, body: {} as T });
  }

  watch(): WatchHandle {
    throw new Error('no watches in these tests');
  }

  /** Compact view: `VERB resource/name[/status]`. */
  seen(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path.split('/').slice(-2).join('/').replace(/^(.*)\/status$/, '$1/status')}`);
  }
}

/** The cache as a map by (cache key, namespace, name), fed through the real DependencyIndex like the manager does. */
class MapCache implements CacheReader {
  private readonly m = new Map<string, KubeObject>();
  constructor(readonly index: DependencyIndex) {}
  static keyOf(o: KubeObject): string {
    return o.apiVersion.includes('.') && !['apps/v1'].includes(o.apiVersion) && !o.apiVersion.includes('smi-spec.io') ? nativeKindKey(o.apiVersion, o.kind) : o.kind;
  }
  put(o: KubeObject): void {
    const k = MapCache.keyOf(o);
    const id = `${k}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
    const old = this.m.get(id);
    this.m.set(id, o);
    this.index.update(k, old, o);
  }
  /** A user object, as the manager's user watch (no label selector) holds it. */
  putUser(o: KubeObject): void {
    this.m.set(`${userKindKey(o.apiVersion, o.kind)}|${o.metadata.namespace ?? ''}|${o.metadata.name}`, o);
  }
  removeUser(o: KubeObject): void {
    this.m.delete(`${userKindKey(o.apiVersion, o.kind)}|${o.metadata.namespace ?? ''}|${o.metadata.name}`);
  }
  get(kind: string, ns: string | undefined, name: string): KubeObject | undefined {
    return this.m.get(`${kind}|${ns ?? ''}|${name}`);
  }
  list(kind: string): KubeObject[] {
    return [...this.m.entries()].filter(([k]) => k.startsWith(`${kind}|`)).map(([, v]) => v);
  }
}

const NS = 'shop';
const UNIT = `access:${NS}/api`;
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: NS, uid: `uid-${name}`, resourceVersion: '1', generation: 1, ...extra });
const target = (spec?: Record<string, unknown>): KubeObject =>
  ({
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: meta('web-to-api'),
    spec: spec ?? { destination: { kind: 'ServiceAccount', name: 'api', namespace: NS }, sources: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }], rules: [{ kind: 'TCPRoute', name: 'all' }] },
  }) as KubeObject;
const app = (): KubeObject[] =>
  [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('api') },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web') },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('api'), spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('api'), spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { serviceAccountName: 'api', containers: [{ name: 'c', image: 'x' }] } } } },
    { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: meta('all'), spec: {} },
  ] as KubeObject[];

function setup(objects: KubeObject[], mesh: MeshConfig['mesh'] = 'istio') {
  const index = new DependencyIndex();
  const cache = new MapCache(index);
  for (const o of objects) cache.put(o);
  const client = new RecordingClient();
  const fence = new Fence();
  const metrics = new OperatorMetrics(false);
  const mapper = restMapper(allNativeKinds());
  const enqueued: string[] = [];
  const blocked: string[] = [];
  let now = 1_000_000;
  const reconciler = new Reconciler({
    cache,
    index,
    writer: new Writer(client, { plural: (av, kind) => mapper.mapping(av, kind)?.plural }, metrics, fence),
    events: new EventRecorder(client, 'smi-operator', metrics, fence),
    fence,
    metrics,
    log: silentLogger(),
    config: () => ({ ...DEFAULT_CONFIG, mesh }),
    adapter: getAdapter,
    enqueue: (u) => enqueued.push(u),
    watchConflict: (u, o) => blocked.push(`${u} ${o.kind}/${o.metadata.name}`),
    now: () => new Date('2026-01-01T00:00:00Z'),
    clock: () => now,
  });
  fence.begin();
  return { cache, client, fence, reconciler, enqueued, blocked, metrics, tick: (ms: number) => (now += ms) };
}

/** Feeds what the fake API server accepted back into the cache, as the watch would. */
function echoBack(s: ReturnType<typeof setup>): void {
  for (const r of s.client.requests) {
    if (r.method !== 'PATCH' || !r.body) continue;
    if (r.path.endsWith('/status')) {
      const [plural, name] = r.path.split('/').slice(-3, -1);
      const smi = s.cache.list(plural === 'trafficsplits' ? 'TrafficSplit' : 'TrafficTarget').find((o) => o.metadata.name === name)!;
      s.cache.put({ ...smi, status: (r.body as { status: unknown }).status, metadata: { ...smi.metadata, resourceVersion: '2' } } as KubeObject);
      continue;
    }
    const m = r.body.metadata as Record<string, unknown>;
    s.cache.put({ ...(r.body as KubeObject), metadata: { ...(m as KubeObject['metadata']), uid: `uid-${String(m.name)}`, resourceVersion: '7' } });
  }
}

const conditions = (r: Req | undefined) => ((r?.body as { status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } } | undefined)?.status?.conditions ?? []);
const statusPatch = (c: RecordingClient) => c.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/status'));

describe('reconciler (recording fake client)', () => {
  it('apply: a new destination gets its AuthorizationPolicy and PeerAuthentication by server-side apply, then Ready=True and an Event', async () => {
    const s = setup([...app(), target()]);
    expect(await s.reconciler.reconcile(UNIT)).to.equal(undefined);
    expect(s.client.seen()).to.deep.equal([
      'GET authorizationpolicies/smi-access-api',
      'PATCH authorizationpolicies/smi-access-api',
      'GET peerauthentications/smi-mtls-api',
      'PATCH peerauthentications/smi-mtls-api',
      'PATCH web-to-api/status',
      'POST shop/events',
    ]);
    const ap = s.client.requests[1]!;
    expect(ap.query).to.include({ fieldManager: 'smi-operator', fieldValidation: 'Strict' });
    expect((ap.body!.metadata as { annotations: Record<string, string> }).annotations['smi-operator.io/unit']).to.equal(UNIT);
    expect(conditions(statusPatch(s.client)).map((c) => [c.type, c.status, c.reason])).to.deep.equal([
      ['Accepted', 'True', 'Accepted'],
      ['Ready', 'True', 'Applied'],
    ]);
  });

  it('skip: with the objects and the status already in place, a reconcile makes no request at all', async () => {
    const s = setup([...app(), target()]);
    await s.reconciler.reconcile(UNIT);
    echoBack(s);
    s.client.requests.length = 0;
    await s.reconciler.reconcile(UNIT);
    expect(s.client.seen()).to.deep.equal([]);
    expect((await s.metrics.writesSkipped.get()).values[0]?.value).to.equal(2);
  });

  it('prune: an object of the unit that is no longer desired is deleted with a uid precondition', async () => {
    const stale: KubeObject = {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { ...meta('smi-access-old'), uid: 'uid-stale', labels: { 'app.kubernetes.io/managed-by': 'smi-operator' }, annotations: { 'smi-operator.io/unit': UNIT } },
      spec: {},
    } as KubeObject;
    const s = setup([...app(), target(), stale]);
    await s.reconciler.reconcile(UNIT);
    const del = s.client.requests.filter((r) => r.method === 'DELETE');
    expect(del.map((r) => [r.path.split('/').pop(), r.body])).to.deep.equal([['smi-access-old', { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'uid-stale' } }]]);
    expect(s.reconciler.isEcho(stale, true), 'the watch event of our delete is an echo').to.equal(true);
  });

  it('conflict: an object of that name we do not manage is left alone, reported, watched, and re-checked in 30 s', async () => {
    const s = setup([...app(), target()]);
    s.client.respond = (r) =>
      r.method === 'GET' && r.path.endsWith('/authorizationpolicies/smi-access-api')
        ? { ok: true, status: 200, body: { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'smi-access-api', namespace: NS, resourceVersion: '5' }, spec: {} } }
        : undefined;
    expect(await s.reconciler.reconcile(UNIT)).to.deep.equal({ requeueAfterMs: 30_000 });
    expect(s.client.seen().filter((x) => x.startsWith('PATCH authorizationpolicies'))).to.deep.equal([]);
    expect(s.blocked).to.deep.equal([`${UNIT} AuthorizationPolicy/smi-access-api`]);
    const ready = conditions(statusPatch(s.client)).find((c) => c.type === 'Ready');
    expect([ready?.status, ready?.reason]).to.deep.equal(['False', 'Conflict']);
  });

  it('rejected: a refused AuthorizationPolicy update is replaced by its fail-closed form (deny-all), reported and re-checked in 60 s', async () => {
    const s = setup([...app(), target()]);
    let refused = false;
    s.client.respond = (r) => {
      if (r.method === 'PATCH' && r.path.includes('/authorizationpolicies/') && !refused) {
        refused = true;
        return { ok: false, error: { status: 422, reason: 'Invalid', message: 'spec.rules: Too many: 513: must have at most 512 items' } };
      }
      return undefined;
    };
    expect(await s.reconciler.reconcile(UNIT)).to.deep.equal({ requeueAfterMs: 60_000 });
    const aps = s.client.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/authorizationpolicies/'));
    expect(aps).to.have.length(2);
    expect(aps[1]!.body!.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' });
    expect((aps[1]!.body!.metadata as { annotations: Record<string, string> }).annotations['smi-operator.io/applied-hash']).to.equal('fail-closed');
    const ready = conditions(statusPatch(s.client)).find((c) => c.type === 'Ready');
    expect(ready?.reason).to.equal('ApplyFailed');
    expect(ready?.message).to.include('512').and.include('fail-closed');
  });

  it('linkerd: a refused AuthorizationPolicy is removed (the previous one admitted more), with a uid precondition', async () => {
    const s = setup([...app(), target()], 'linkerd');
    await s.reconciler.reconcile(UNIT);
    echoBack(s);
    // It drifted, and re-applying it is now refused (e.g. a changed CRD): the one in force is removed.
    const ap = s.cache.list(nativeKindKey('policy.linkerd.io/v1alpha1', 'AuthorizationPolicy'))[0]!;
    const spec = ap.spec as { targetRef: Record<string, string> };
    s.cache.put({ ...ap, spec: { ...spec, targetRef: { ...spec.targetRef, name: 'elsewhere' } } } as KubeObject);
    s.client.requests.length = 0;
    s.client.respond = (r) => (r.method === 'PATCH' && r.path.includes('/authorizationpolicies/') ? { ok: false, error: { status: 422, reason: 'Invalid', message: 'refused' } } : undefined);
    await s.reconciler.reconcile(UNIT);
    const del = s.client.requests.filter((r) => r.method === 'DELETE');
    expect(del.map((r) => [r.path.split('/').slice(-2).join('/'), (r.body as { preconditions: unknown }).preconditions])).to.deep.equal([[`authorizationpolicies/${ap.metadata.name}`, { uid: ap.metadata.uid }]]);
  });

  it('an invalid TrafficTarget of the destination holds every prune (fail-closed) and is reported Invalid', async () => {
    const s = setup([...app(), target()]);
    await s.reconciler.reconcile(UNIT);
    echoBack(s);
    s.client.requests.length = 0;
    // Edited into something invalid (e.g. while the webhook was down): its rules are unknown.
    s.cache.put({ ...target({ destination: { kind: 'ServiceAccount', name: 'api', namespace: NS }, sources: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }], rules: [{ kind: 'Nonsense', name: 'all' }] }), metadata: { ...meta('web-to-api'), resourceVersion: '3', generation: 2 } } as KubeObject);
    await s.reconciler.reconcile(UNIT);
    expect(s.client.requests.filter((r) => r.method === 'DELETE')).to.deep.equal([]);
    const accepted = conditions(statusPatch(s.client)).find((c) => c.type === 'Accepted');
    expect(accepted?.reason).to.equal('Invalid');
  });

  it('fencing: no request at all without a term; a term that ends mid-reconcile stops it before its next write', async () => {
    const idle = setup([...app(), target()]);
    idle.fence.end('lost leadership');
    expect(await idle.reconciler.reconcile(UNIT)).to.equal(undefined);
    expect(idle.client.requests).to.deep.equal([]);

    const s = setup([...app(), target()]);
    // The step-down happens while the first apply is on its way: that one went out, nothing after it.
    s.client.respond = (r) => {
      if (r.method === 'PATCH' && r.path.includes('/authorizationpolicies/')) s.fence.end('lost leadership');
      return undefined;
    };
    expect(await s.reconciler.reconcile(UNIT)).to.equal(undefined);
    expect(s.client.seen()).to.deep.equal(['GET authorizationpolicies/smi-access-api', 'PATCH authorizationpolicies/smi-access-api', 'GET peerauthentications/smi-mtls-api']);
    expect((await s.metrics.errors.get()).values.reduce((a, v) => a + v.value, 0), 'a fenced reconcile is no error').to.equal(0);
  });

  it('echoes: the watch event of our own apply needs no reconcile, once; another version does', async () => {
    const s = setup([...app(), target()]);
    await s.reconciler.reconcile(UNIT);
    const applied = s.client.requests.find((r) => r.method === 'PATCH' && r.path.includes('/authorizationpolicies/'))!;
    const obj = { ...(applied.body as KubeObject), metadata: { ...(applied.body!.metadata as KubeObject['metadata']), resourceVersion: '101' } } as KubeObject;
    expect(s.reconciler.isEcho({ ...obj, metadata: { ...obj.metadata, resourceVersion: '999' } }, false)).to.equal(false);
    expect(s.reconciler.isEcho(obj, false)).to.equal(true);
    expect(s.reconciler.isEcho(obj, false)).to.equal(false);
  });

  it('echoes: one the watch delivers before the write\'s answer is still ours (no second reconcile); someone else\'s change meanwhile reconciles again', async () => {
    for (const [label, watched, expectRequeue] of [
      ['our echo first', '555', false],
      ['a foreign change first', '554', true],
    ] as const) {
      const s = setup([...app(), target()]);
      const held: boolean[] = [];
      s.client.respond = (r) => {
        if (r.method !== 'PATCH' || !r.path.includes('/authorizationpolicies/') || !r.body) return undefined;
        const obj = { ...(r.body as KubeObject), metadata: { ...(r.body.metadata as KubeObject['metadata']), resourceVersion: watched } } as KubeObject;
        held.push(s.reconciler.isEcho(obj, false)); // the watch event, before the answer
        return { ok: true, status: 200, body: { metadata: { ...(r.body.metadata as object), resourceVersion: '555' } } };
      };
      await s.reconciler.reconcile(UNIT);
      expect(held, label).to.deep.equal([true]);
      expect(s.enqueued.includes(UNIT), label).to.equal(expectRequeue);
      const ap = s.client.requests.find((r) => r.method === 'PATCH' && r.path.includes('/authorizationpolicies/'))!;
      // The echo was consumed while in flight: the same version later is not taken for ours again.
      expect(s.reconciler.isEcho({ ...(ap.body as KubeObject), metadata: { ...(ap.body!.metadata as KubeObject['metadata']), resourceVersion: '555' } } as KubeObject, false), label).to.equal(expectRequeue);
    }
  });

  it('the reconcile does not wait for its Event; flushed() (what idle() waits on) does', async () => {
    const s = setup([...app(), target()]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const recordEvent = s.client.request.bind(s.client);
    s.client.request = (<T>(method: string, path: string, opts?: RequestOptions) => (path.endsWith('/events') ? gate.then(() => recordEvent<T>(method, path, opts)) : recordEvent<T>(method, path, opts))) as typeof s.client.request;
    await s.reconciler.reconcile(UNIT);
    expect(s.client.seen().some((x) => x.startsWith('PATCH') && x.endsWith('/status'))).to.equal(true);
    expect(s.client.seen().filter((x) => x.startsWith('POST'))).to.deep.equal([]);
    let flushed = false;
    const f = s.reconciler.status.flushed().then(() => (flushed = true));
    await new Promise((r) => setImmediate(r));
    expect(flushed).to.equal(false);
    release();
    await f;
    expect(s.client.seen().filter((x) => x.startsWith('POST'))).to.have.length(1);
  });

  it('fights: an object someone keeps changing back is re-applied at most 5 times a minute, then backs off', async () => {
    const s = setup([...app(), target()]);
    await s.reconciler.reconcile(UNIT);
    echoBack(s);
    // Someone else edits our AuthorizationPolicy (same applied-hash, other content): drift.
    const key = nativeKindKey('security.istio.io/v1', 'AuthorizationPolicy');
    const ap = s.cache.get(key, NS, 'smi-access-api')!;
    s.cache.put({ ...ap, spec: { ...(ap.spec as object), action: 'DENY' } } as KubeObject);
    const applies = (): number => s.client.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/authorizationpolicies/')).length;
    s.client.requests.length = 0;
    const results: unknown[] = [];
    for (let i = 0; i < 6; i++) results.push(await s.reconciler.reconcile(UNIT));
    expect(applies()).to.equal(5);
    expect(results[5]).to.deep.equal({ requeueAfterMs: 60_000 });
    s.tick(60_001);
    await s.reconciler.reconcile(UNIT);
    expect(applies(), 'after the window, it applies again').to.equal(6);
  });

  it('digested cache: unchanged needs no request; an added field is read live and skipped; a drifted one is read live and re-applied', async () => {
    const s = setup([...app(), target()]);
    await s.reconciler.reconcile(UNIT);
    echoBack(s);
    // The cache as the manager keeps our objects: digested (cache/transform.ts).
    const key = nativeKindKey('security.istio.io/v1', 'AuthorizationPolicy');
    const served = s.cache.get(key, NS, 'smi-access-api')!;
    const digest = (o: KubeObject): KubeObject => transformFor(o.apiVersion, o.kind, new NoInterner())(o);
    for (const o of [...s.cache.list(key), ...s.cache.list(nativeKindKey('security.istio.io/v1', 'PeerAuthentication'))]) s.cache.put(digest(o));
    expect(s.cache.get(key, NS, 'smi-access-api')).to.not.have.property('spec');
    s.client.requests.length = 0;
    await s.reconciler.reconcile(UNIT);
    expect(s.client.seen(), 'decided by digest').to.deep.equal([]);

    const live = (o: KubeObject): Responder => (r) => (r.method === 'GET' && r.path.endsWith('/authorizationpolicies/smi-access-api') ? { ok: true, status: 200, body: o } : undefined);
    // A field we do not set, added by someone (or a server default): plan's comparison ignores it.
    const added = { ...served, metadata: { ...served.metadata, resourceVersion: '8' }, spec: { ...(served.spec as object), provider: { name: 'ext' } } } as KubeObject;
    s.cache.put(digest(added));
    s.client.respond = live(added);
    s.client.requests.length = 0;
    await s.reconciler.reconcile(UNIT);
    expect(s.client.seen()).to.deep.equal(['GET authorizationpolicies/smi-access-api']);
    expect((await s.metrics.liveReads.get()).values[0]?.value).to.equal(1);

    // A field we set, changed by someone: drift, re-applied.
    const drifted = { ...served, metadata: { ...served.metadata, resourceVersion: '9' }, spec: { ...(served.spec as object), action: 'DENY' } } as KubeObject;
    s.cache.put(digest(drifted));
    s.client.respond = live(drifted);
    s.client.requests.length = 0;
    await s.reconciler.reconcile(UNIT);
    expect(s.client.seen()).to.deep.equal(['GET authorizationpolicies/smi-access-api', 'PATCH authorizationpolicies/smi-access-api']);
    expect(s.client.requests[1]!.query).to.include({ force: true });
  });

  it('status writer: the one writer of Events is leader-gated (nothing without a term)', async () => {
    const s = setup([...app(), target()]);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('smi-operator-config') } as KubeObject;
    await s.reconciler.status.event(cm, { type: 'Normal', reason: 'ConfigLoaded', message: 'mesh=istio' });
    s.fence.end('lost leadership');
    await s.reconciler.status.event(cm, { type: 'Normal', reason: 'ConfigLoaded', message: 'mesh=linkerd' });
    expect(s.client.requests.map((r) => (r.body as { message?: string }).message)).to.deep.equal(['mesh=istio']);
  });
});

describe('reconciler priming (issue 18.7)', () => {
  const AP_KEY = nativeKey({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { namespace: NS, name: 'smi-access-api' } });
  const units = [UNIT, `access:${NS}/web`, `access:${NS}/nobody`, `split:${NS}/api`];

  it('yields to the event loop between units, writes nothing, and records every claim at the end', async () => {
    const s = setup([...app(), target()]);
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      if (!spinning) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const primed = s.reconciler.primeClaims(units);
    // Nothing recorded while it runs: the claims are swapped in at once.
    expect(s.reconciler.claimantsOf(AP_KEY)).to.deep.equal([]);
    expect(await primed).to.equal(true);
    spinning = false;
    // It used to translate every unit in one synchronous run: no turn of the event loop in between.
    expect(turns, 'event-loop turns during priming').to.be.at.least(units.length);
    expect(s.reconciler.claimantsOf(AP_KEY)).to.deep.equal([UNIT]);
    expect(s.client.requests).to.deep.equal([]);
  });

  it('a newer priming, or the end of leadership, abandons one in progress without changing the claims', async () => {
    const s = setup([...app(), target()]);
    const first = s.reconciler.primeClaims(units);
    const second = s.reconciler.primeClaims(units);
    expect([await first, await second]).to.deep.equal([false, true]);
    expect(s.reconciler.claimantsOf(AP_KEY)).to.deep.equal([UNIT]);
    let leader = true;
    const third = s.reconciler.primeClaims([`access:${NS}/nobody`], () => leader);
    leader = false;
    expect(await third).to.equal(false);
    expect(s.reconciler.claimantsOf(AP_KEY), 'the claims of the completed priming stay').to.deep.equal([UNIT]);
  });
});

describe('reconciler: splits, through the adapter and the status writer', () => {
  const SPLIT_UNIT = `split:${NS}/web`;
  const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }] } }) as KubeObject;
  const split = (backends: Array<[string, number]>): KubeObject =>
    ({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: meta('canary'), spec: { service: 'web', backends: backends.map(([service, weight]) => ({ service, weight })) } }) as KubeObject;
  const consul = (kind: string, name: string, ns: string, spec: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'consul.hashicorp.com/v1alpha1', kind, metadata: { name, namespace: ns, uid: `uid-user-${ns}-${name}`, resourceVersion: '3', labels: { team: 'payments' } }, spec }) as KubeObject;
  const writes = (s: ReturnType<typeof setup>, what: string) => s.client.requests.filter((r) => (r.method === 'PATCH' || r.method === 'DELETE' || r.method === 'POST' || r.method === 'PUT') && r.path.includes(what) && !r.path.endsWith('/status'));
  const ready = (s: ReturnType<typeof setup>) => conditions(statusPatch(s.client)).find((c) => c.type === 'Ready');

  // Issue 17: a split with one unusable backend wrote an object sending everything to the other
  // while the status said "not translated". Each mesh applies it; the status must say exactly that.
  const applied: Record<string, { path: string; shares: (body: Record<string, unknown>) => Array<[string, number]> }> = {
    istio: { path: '/virtualservices/', shares: (b) => ((b.spec as { http: Array<{ route: Array<{ destination: { host: string }; weight?: number }> }> }).http[0]!.route.map((d) => [d.destination.host.split('.')[0]!, d.weight ?? 100])) },
    linkerd: { path: '/httproutes/', shares: (b) => ((b.spec as { rules: Array<{ backendRefs: Array<{ name: string; weight?: number }> }> }).rules[0]!.backendRefs.map((d) => [d.name, d.weight ?? 1])) },
    gamma: { path: '/httproutes/', shares: (b) => ((b.spec as { rules: Array<{ backendRefs: Array<{ name: string; weight?: number }> }> }).rules[0]!.backendRefs.map((d) => [d.name, d.weight ?? 1])) },
    consul: { path: '/servicesplitters/', shares: (b) => ((b.spec as { splits: Array<{ service: string; weight: number }> }).splits.map((d) => [d.service, d.weight])) },
  };
  for (const [mesh, how] of Object.entries(applied)) {
    it(`${mesh}: one backend missing: the applied object sends everything to the other, and Ready says exactly that (PartiallyApplied)`, async () => {
      const s = setup([svc('web'), svc('web-v1'), split([['web-v1', 90], ['web-v2', 10]])], mesh as MeshConfig['mesh']);
      await s.reconciler.reconcile(SPLIT_UNIT);
      const written = s.client.requests.filter((r) => r.method === 'PATCH' && r.path.includes(how.path));
      expect(written, `the ${how.path} object is applied`).to.have.length(1);
      const shares = how.shares(written[0]!.body!);
      expect(shares.map(([n]) => n), 'only web-v1 gets traffic').to.deep.equal(['web-v1']);
      const accepted = conditions(statusPatch(s.client)).find((c) => c.type === 'Accepted');
      expect([accepted?.status, accepted?.reason]).to.deep.equal(['False', 'InvalidReference']);
      const r = ready(s);
      expect([r?.status, r?.reason]).to.deep.equal(['False', 'PartiallyApplied']);
      expect(r?.message).to.not.contain('not translated');
      expect(r?.message).to.contain('Service shop/web-v2 not found').and.contain('applied without web-v2 (unusable, see above): 100 % to web-v1');
    });
  }

  it('both usable again: Accepted and Ready=True Applied; nothing usable: not translated, nothing applied', async () => {
    const ok = setup([svc('web'), svc('web-v1'), svc('web-v2'), split([['web-v1', 90], ['web-v2', 10]])]);
    await ok.reconciler.reconcile(SPLIT_UNIT);
    expect([ready(ok)?.status, ready(ok)?.reason]).to.deep.equal(['True', 'Applied']);
    const none = setup([svc('web'), split([['web-v1', 90], ['web-v2', 10]])]);
    await none.reconciler.reconcile(SPLIT_UNIT);
    expect(none.client.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/virtualservices/'))).to.deep.equal([]);
    expect(ready(none)?.message).to.contain('not translated for istio');
  });

  describe('Consul: the user\'s own config entries', () => {
    it('a user ServiceSplitter of the same name is never written over, and the split is Conflict naming it', async () => {
      const s = setup([svc('web'), svc('web-v1'), svc('web-v2'), split([['web-v1', 90], ['web-v2', 10]])], 'consul');
      const theirs = consul('ServiceSplitter', 'web', NS, { splits: [{ service: 'web-v1', weight: 100 }] });
      s.client.respond = (r) => (r.method === 'GET' && r.path.endsWith('/servicesplitters/web') ? { ok: true, status: 200, body: theirs } : undefined);
      expect(await s.reconciler.reconcile(SPLIT_UNIT)).to.deep.equal({ requeueAfterMs: 30_000 });
      expect(writes(s, '/servicesplitters/'), 'no write to the user\'s ServiceSplitter').to.deep.equal([]);
      expect(writes(s, '/servicedefaults/').length, 'the rest of the unit is still applied').to.be.greaterThan(0);
      expect(s.blocked).to.deep.equal([`${SPLIT_UNIT} ServiceSplitter/web`]);
      expect([ready(s)?.status, ready(s)?.reason]).to.deep.equal(['False', 'Conflict']);
      expect(ready(s)?.message).to.contain('ServiceSplitter').and.contain('not managed by smi-operator');
    });

    it('an unlabelled config entry that carries our unit annotation (e.g. copied, or the label removed) is never pruned', async () => {
      const s = setup([svc('web'), svc('web-v1'), svc('web-v2'), split([['web-v1', 90], ['web-v2', 10]])], 'consul');
      const copied = { ...consul('ServiceRouter', 'web', NS), metadata: { ...consul('ServiceRouter', 'web', NS).metadata, annotations: { 'smi-operator.io/unit': SPLIT_UNIT } } } as KubeObject;
      s.cache.put(copied);
      await s.reconciler.reconcile(SPLIT_UNIT);
      expect(s.client.requests.filter((r) => r.method === 'DELETE')).to.deep.equal([]);
    });

    const routeGroup = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: meta('beta'), spec: { matches: [{ name: 'b', headers: { 'x-beta': '1' } }] } } as KubeObject;
    for (const kind of ['ServiceSplitter', 'ServiceRouter']) {
      it(`a user ${kind} for the same Consul service in another namespace: Conflict naming it; Applied once it is gone`, async () => {
        // A split with matches is a ServiceRouter on the root; one without, a ServiceSplitter.
        const s = kind === 'ServiceRouter'
          ? setup([svc('web'), svc('web-v1'), svc('web-v2'), routeGroup, { ...split([['web-v1', 90], ['web-v2', 10]]), spec: { service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }], matches: [{ kind: 'HTTPRouteGroup', name: 'beta' }] } } as KubeObject], 'consul')
          : setup([svc('web'), svc('web-v1'), svc('web-v2'), split([['web-v1', 90], ['web-v2', 10]])], 'consul');
        const theirs = consul(kind, 'web', 'legacy');
        s.cache.putUser(theirs);
        await s.reconciler.reconcile(SPLIT_UNIT);
        expect([ready(s)?.status, ready(s)?.reason]).to.deep.equal(['False', 'Conflict']);
        expect(ready(s)?.message).to.contain(`${kind} legacy/web (not managed by smi-operator) is the Consul ${kind} config entry for service web too`);
        expect(writes(s, 'legacy'), 'nothing written in the user\'s namespace').to.deep.equal([]);
        echoBack(s);
        s.client.requests.length = 0;
        s.cache.removeUser(theirs);
        await s.reconciler.reconcile(SPLIT_UNIT);
        expect([ready(s)?.status, ready(s)?.reason]).to.deep.equal(['True', 'Applied']);
      });
    }
  });
});

describe('reconciler: an object two units share (Consul ServiceDefaults of a split root that is also a destination)', () => {
  const svc = (name: string, app = name): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' }] } }) as KubeObject;
  const world = (): KubeObject[] =>
    [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web') },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('client') },
      svc('web'),
      svc('web-v1', 'web'),
      svc('web-v2', 'web'),
      svc('client'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('client'), spec: { selector: { matchLabels: { app: 'client' } }, template: { metadata: { labels: { app: 'client' } }, spec: { serviceAccountName: 'client', containers: [{ name: 'c', image: 'x' }] } } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } } } },
      { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: meta('reads'), spec: { matches: [{ name: 'get', methods: ['GET'] }] } },
      { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', metadata: meta('to-web'), spec: { destination: { kind: 'ServiceAccount', name: 'web', namespace: NS }, sources: [{ kind: 'ServiceAccount', name: 'client', namespace: NS }], rules: [{ kind: 'HTTPRouteGroup', name: 'reads', matches: ['get'] }] } },
      { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: meta('canary'), spec: { service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: 'web-v2', weight: 10 }] } },
    ] as KubeObject[];

  const KEY = 'consul.hashicorp.com/ServiceDefaults/shop/web';
  const SPLIT = `split:${NS}/web`;
  const ACCESS = `access:${NS}/web`;
  const appliedDefaults = (s: ReturnType<typeof setup>) => s.client.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/servicedefaults/web')).map((r) => r.body as KubeObject & { spec: Record<string, unknown> });

  // Claims keep only a hash of an object no other unit wants. The owner (access:, the smaller key)
  // translated second finds the split's version recorded as a hash only: it translates the split
  // again to merge it, and writes what it would have written had the versions always been kept.
  it('the owner that comes second still applies the merge of both versions (the other is translated again)', async () => {
    const s = setup(world(), 'consul');
    await s.reconciler.reconcile(SPLIT);
    expect(s.reconciler.claimantsOf(KEY)).to.deep.equal([SPLIT]);
    s.client.requests.length = 0;
    await s.reconciler.reconcile(ACCESS);
    expect(s.reconciler.claimantsOf(KEY).sort()).to.deep.equal([ACCESS, SPLIT]);
    const [merged] = appliedDefaults(s);
    expect(merged, 'the owner applies the shared ServiceDefaults').to.not.equal(undefined);
    expect(merged!.metadata.ownerReferences!.map((r) => r.uid).sort(), 'both sources own it').to.deep.equal(['uid-canary', 'uid-to-web']);
    expect(merged!.spec.protocol).to.equal('http');

    // The same world primed at once (a new leader): the same merge, no second translation needed.
    const p = setup(world(), 'consul');
    expect(await p.reconciler.primeClaims([SPLIT, ACCESS])).to.equal(true);
    await p.reconciler.reconcile(ACCESS);
    expect(appliedDefaults(p)).to.deep.equal([merged]);
    // Translated in the other order: the same object again.
    const q = setup(world(), 'consul');
    await q.reconciler.reconcile(ACCESS);
    await q.reconciler.reconcile(SPLIT);
    q.client.requests.length = 0;
    await q.reconciler.reconcile(ACCESS);
    expect(appliedDefaults(q)).to.deep.equal([merged]);
  });
});
