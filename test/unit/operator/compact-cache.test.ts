// The compact store (operator/cache/compact.ts): an informer that keeps its objects
// as JSON text gives readers objects equal to what it was given, a fresh one on every
// read (a reader that changes one does not change what the next reader sees), and the
// same change feed (old and new objects) as one that keeps the objects themselves.

import { expect } from 'chai';
import fc from 'fast-check';
import { JsonCodec, MAX_TEXT, TextDictionary } from '../../../operator/cache/compact.js';
import { Informer } from '../../../operator/cache/informer.js';
import type { KubeClient, KubeResult, WatchEvent, WatchHandle } from '../../../kube/client.js';
import { createLogger } from '../../../log/log.js';
import type { KubeObject } from '../../../schemas/hub.js';

const svc = (name: string, rv: string, selector: Record<string, string> = { app: name }): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns', resourceVersion: rv, uid: `u-${name}` }, spec: { selector, ports: [{ port: 80, name: 'http' }] } }) as KubeObject;

/** Serves one list, then the events the test pushes on one open watch. */
class ScriptedClient implements KubeClient {
  private onEvent: ((e: WatchEvent) => void) | undefined;
  private watching!: () => void;
  readonly watchOpen = new Promise<void>((r) => (this.watching = r));
  constructor(private readonly items: KubeObject[]) {}
  async request<T>(): Promise<KubeResult<T>> {
    // List items come without apiVersion and kind, as from the API server.
    const items = this.items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    return { ok: true, status: 200, body: { metadata: { resourceVersion: '10' }, items } as T } as KubeResult<T>;
  }
  watch(_p: string, _q: unknown, onEvent: (e: WatchEvent) => void): WatchHandle {
    this.onEvent = onEvent;
    this.watching();
    return { done: new Promise(() => {}), abort: () => {} };
  }
  push(type: WatchEvent['type'], o: KubeObject): void {
    this.onEvent!({ type, object: structuredClone(o) as unknown as Record<string, unknown> });
  }
}

describe('compact cache', () => {
  const codec = new JsonCodec('v1', 'Service');

  it('decodes to an object equal to the encoded one, apiVersion and kind first, and not the same object', () => {
    const o = svc('a', '1');
    const s = codec.encode(o);
    expect(s).to.be.a('string').and.not.include('"kind"');
    const back = codec.decode(s);
    expect(back).to.deep.equal(o);
    expect(back).to.not.equal(o);
    expect(Object.keys(back).slice(0, 2)).to.deep.equal(['apiVersion', 'kind']);
    // An object of another kind (never sent to this informer, but not lost if it were) is kept as it is.
    const other = { ...o, kind: 'Endpoints' } as KubeObject;
    expect(codec.decode(codec.encode(other))).to.equal(other);
    // Nothing but apiVersion and kind.
    expect(codec.decode(codec.encode({ apiVersion: 'v1', kind: 'Service' } as KubeObject))).to.deep.equal({ apiVersion: 'v1', kind: 'Service' });
  });

  it('round-trips any JSON object of its kind', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== 'apiVersion' && k !== 'kind' && k !== '__proto__'), fc.jsonValue()), (rest) => {
        const o = { apiVersion: 'v1', kind: 'Service', ...rest } as unknown as KubeObject;
        expect(codec.decode(codec.encode(o))).to.deep.equal(JSON.parse(JSON.stringify(o)));
      }),
    );
  });

  it('packs any JSON text to a shorter one and back exactly, whatever namespaces it learned before or after', () => {
    const nsName = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
    fc.assert(
      fc.property(fc.array(nsName, { maxLength: 200 }), fc.jsonValue(), fc.array(fc.tuple(nsName, fc.string()), { maxLength: 10 }), (namespaces, value, strs) => {
        const d = new TextDictionary();
        const json = JSON.stringify({ value, strs, frag: '"name":"x","namespace":"', ns: namespaces.slice(0, 3) });
        const early = d.pack(json);
        for (const n of namespaces) d.learn(n);
        const late = d.pack(json);
        expect(d.unpack(early)).to.equal(json);
        expect(d.unpack(late)).to.equal(json);
        expect(late.length).to.be.at.most(json.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an object too large to parse on every read as it is (the event loop would pay for each read)', () => {
    const c = new JsonCodec('v1', 'Service');
    const many = { ...svc('big', '1'), spec: { ports: Array.from({ length: 2000 }, (_, i) => ({ name: `p${i}`, port: i, protocol: 'TCP' })) } } as KubeObject;
    expect(JSON.stringify(many).length).to.be.above(MAX_TEXT);
    expect(c.encode(many)).to.equal(many);
    expect(c.decode(c.encode(many))).to.equal(many);
    const small = svc('small', '1');
    expect(c.encode(small)).to.be.a('string');
  });

  it('an object of the operator\'s keeps about half its JSON text', () => {
    const d = new TextDictionary();
    const c = new JsonCodec('access.smi-spec.io/v1alpha3', 'TrafficTarget', d);
    const tt = {
      apiVersion: 'access.smi-spec.io/v1alpha3',
      kind: 'TrafficTarget',
      metadata: { creationTimestamp: '2026-12-05T02:47:08Z', generation: 1, name: 'app-403', namespace: 'bench-3000-sbx2p', resourceVersion: '11462', uid: 'd217447f-40bb-4414-afab-1033cb630d5f' },
      spec: { destination: { kind: 'ServiceAccount', name: 'app-403', namespace: 'bench-3000-sbx2p' }, rules: [{ kind: 'HTTPRouteGroup', matches: ['read'], name: 'app-403-routes' }], sources: [{ kind: 'ServiceAccount', name: 'client', namespace: 'bench-3000-sbx2p' }] },
      status: { conditions: [{ lastTransitionTime: '2026-12-05T02:47:41Z', message: 'accepted by the istio adapter', observedGeneration: 1, reason: 'Accepted', status: 'True', type: 'Accepted' }] },
    } as unknown as KubeObject;
    const stored = c.encode(tt) as string;
    expect(stored.length / JSON.stringify(tt).length).to.be.below(0.6);
    expect(c.decode(stored)).to.deep.equal(tt);
  });

  it('an informer keeping text gives equal objects, a fresh one per read, and the same change feed as one keeping objects', async () => {
    const feeds: Array<Array<[string, KubeObject | undefined, KubeObject]>> = [];
    const informers: Informer[] = [];
    const clients: ScriptedClient[] = [];
    for (const compact of [false, true]) {
      const client = new ScriptedClient([svc('a', '1'), svc('b', '2')]);
      const inf = new Informer(client, { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true }, { compact }, createLogger('error', {}));
      const feed: Array<[string, KubeObject | undefined, KubeObject]> = [];
      inf.onEvent((e) => feed.push([e.type, e.type === 'upsert' ? e.old : undefined, e.obj]));
      inf.start();
      await client.watchOpen;
      client.push('MODIFIED', svc('a', '3', { app: 'a', tier: 'web' }));
      client.push('ADDED', svc('c', '4'));
      client.push('DELETED', svc('b', '5'));
      feeds.push(feed);
      informers.push(inf);
      clients.push(client);
    }
    const [plain, compact] = informers as [Informer, Informer];
    try {
      expect(feeds[1]).to.deep.equal(feeds[0]);
      expect(feeds[1]!.map(([t]) => t)).to.deep.equal(['upsert', 'upsert', 'upsert', 'upsert', 'delete']);
      expect(compact.list()).to.have.deep.members(plain.list());
      expect(compact.get('ns', 'a')).to.deep.equal(svc('a', '3', { app: 'a', tier: 'web' }));
      expect(compact.get('ns', 'b')).to.equal(undefined);
      expect([...compact.store.values()].every((v) => typeof v === 'string')).to.equal(true);
      // A reader changing what it got does not change the cache.
      const got = compact.get('ns', 'c')!;
      (got.metadata as { name: string }).name = 'changed';
      expect(compact.get('ns', 'c')!.metadata.name).to.equal('c');
    } finally {
      for (const i of informers) i.stop();
    }
  });
});
