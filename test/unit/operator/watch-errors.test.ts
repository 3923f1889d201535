// An exception in a watch consumer (informer listener: index, queue) must not be
// swallowed by the client: the watch ends with it, the informer logs it with the
// object, puts its store entry back and relists, so the change is delivered again.
// Against a local HTTPS server that speaks just enough of the list/watch protocol.

import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { Informer } from '../../../operator/cache/informer.js';
import { HttpKubeClient, type WatchEvent } from '../../../kube/client.js';
import { StaticCredentials } from '../../../kube/credentials.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { startLocalHttpsServer, type LocalHttpsServer } from '../../support/local-https.js';

const cm = (rv: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', resourceVersion: rv }, data: { value } }) as KubeObject;

function capturingLogger(): { log: winston.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      cb();
    },
  });
  return { log: winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] }), lines };
}

/** Resolves when `pred` holds, checked on each call of the returned poke(). */
function when(pred: () => boolean): { promise: Promise<void>; poke: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, poke: () => pred() && resolve() };
}

/** A deadline on a fact, so a regression fails the test instead of hanging it. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms)));
  return Promise.race([p, deadline]).finally(() => clearTimeout(t));
}

describe('watch: consumer exceptions surface', function () {
  this.timeout(10_000);
  let server: LocalHttpsServer | undefined;
  let informer: Informer | undefined;
  const handles: Array<{ abort(): void }> = [];
  afterEach(async () => {
    informer?.stop();
    informer = undefined;
    for (const h of handles.splice(0)) h.abort();
    await server?.close();
    server = undefined;
  });

  const clientFor = (s: LocalHttpsServer): HttpKubeClient => new HttpKubeClient(new StaticCredentials(s.url, { ca: Buffer.from(s.caPem), insecure: false }));

  it('HttpKubeClient.watch ends the watch with the handler error instead of dropping it', async () => {
    server = await startLocalHttpsServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: cm('1', 'x') })}\n${JSON.stringify({ type: 'MODIFIED', object: cm('2', 'y') })}\n`);
      // The stream stays open: only the failure can end this watch.
    });
    const seen: WatchEvent[] = [];
    const handle = clientFor(server).watch('/api/v1/namespaces/ns/configmaps', {}, (e) => {
      seen.push(e);
      throw new Error('index exploded');
    });
    handles.push(handle);
    const r = await within(5000, 'the watch ends', handle.done);
    expect(r.error?.reason).to.equal('HandlerFailed');
    expect(r.error?.message).to.include('index exploded').and.include('ADDED');
    expect(seen.map((e) => e.type), 'no event is handed out after the failure').to.deep.equal(['ADDED']);
  });

  it('HttpKubeClient.watch ends a corrupt stream with an error (an event is never skipped)', async () => {
    server = await startLocalHttpsServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`{"type":"ADDED","obj\n${JSON.stringify({ type: 'MODIFIED', object: cm('2', 'y') })}\n`);
    });
    const seen: string[] = [];
    const handle = clientFor(server).watch('/api/v1/namespaces/ns/configmaps', {}, (e) => seen.push(e.type));
    handles.push(handle);
    const r = await within(5000, 'the watch ends', handle.done);
    expect(r.error?.reason).to.equal('InvalidWatchEvent');
    expect(seen).to.deep.equal([]);
  });

  it('the informer logs a listener failure with its object, rolls the store back and relists to deliver the change again', async () => {
    let lists = 0;
    server = await startLocalHttpsServer((req, _body, res) => {
      const watch = new URL(req.url ?? '/', 'https://x').searchParams.get('watch') === 'true';
      if (!watch) {
        lists++;
        // After the failed MODIFIED, the relist shows the object at rv 2.
        const item = lists === 1 ? cm('1', 'x') : cm('2', 'y');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ metadata: { resourceVersion: item.metadata.resourceVersion }, items: [item] }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (lists === 1) res.write(`${JSON.stringify({ type: 'MODIFIED', object: cm('2', 'y') })}\n`);
    });
    const { log, lines } = capturingLogger();
    const inf = (informer = new Informer(clientFor(server), { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true }, { namespace: 'ns', retryMs: 10 }, log));
    let failOnce = true;
    const delivered: string[] = [];
    const storeAtFailure: Array<string | undefined> = [];
    const done = when(() => delivered.includes('1->2'));
    inf.onEvent((e) => {
      const change = e.type === 'upsert' ? `${e.old?.metadata.resourceVersion ?? ''}->${e.obj.metadata.resourceVersion}` : `delete ${e.obj.metadata.resourceVersion}`;
      if (change === '1->2' && failOnce) {
        failOnce = false;
        queueMicrotask(() => storeAtFailure.push(inf.get('ns', 'a')?.metadata.resourceVersion));
        throw new Error('queue exploded');
      }
      delivered.push(change);
      done.poke();
    });
    inf.start();
    await within(5000, 'the change is delivered again', done.promise);
    expect(delivered).to.deep.equal(['->1', '1->2']);
    expect(storeAtFailure, 'the store went back to what the listeners had seen').to.deep.equal(['1']);
    expect(inf.get('ns', 'a')?.metadata.resourceVersion).to.equal('2');
    expect(lists).to.equal(2);
    const err = lines.find((l) => l.level === 'error');
    expect(err, 'the failure is logged').to.not.equal(undefined);
    expect(err).to.include({ kind: 'ConfigMap', object: 'ns/a', change: 'upsert' });
    expect(String(err?.error)).to.include('queue exploded');
  });
});
