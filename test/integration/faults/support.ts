// Shared pieces of the fault tests: an operator child process over a small
// benchmark world (dev/world), the end-state check, and etcd access for
// compaction (the harness does not expose etcd's URL, so it is read from the
// etcd process of the cluster's run dir).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../adapters/types.js';
import type { TestCluster } from '../../support/cluster.js';
import { BenchKube } from '../../../dev/world/kube.js';
import { isReady } from '../../../dev/world/track.js';
import { NATIVE_KINDS, SMI_KINDS, World } from '../../../dev/world/world.js';

export { World };

export async function world(cluster: TestCluster, nSmi: number): Promise<World> {
  const w = await World.create(new BenchKube(cluster.kubeConfig), cluster, nSmi, 8);
  await w.track();
  return w;
}

/**
 * The end state from a fresh list (not the trackers): every expected native
 * object with the expected spec, no other managed object, every SMI object Ready
 * for its current generation.
 */
export async function assertEndState(w: World): Promise<void> {
  const want = new Map(w.expected.map((e) => [`${e.kind}/${e.metadata.name}`, e]));
  const got: string[] = [];
  for (const k of NATIVE_KINDS) {
    for (const o of await w.k.list(k.apiVersion, k.kind, w.ns, `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`)) {
      const key = `${o.kind}/${o.metadata.name}`;
      got.push(key);
      const e = want.get(key);
      expect(e, `unexpected managed object ${key}`).to.not.equal(undefined);
      expect((o as { spec?: unknown }).spec, key).to.deep.equal((e as { spec?: unknown }).spec);
    }
  }
  expect(got.sort()).to.deep.equal([...want.keys()].sort());
  let smi = 0;
  for (const k of SMI_KINDS) {
    for (const o of await w.k.list(k.apiVersion, k.kind, w.ns)) {
      smi++;
      expect(isReady(o), `${o.kind} ${o.metadata.name} not Ready: ${JSON.stringify((o as { status?: unknown }).status)}`).to.equal(true);
    }
  }
  expect(smi).to.be.at.least(w.smiObjects.length);
}

/** Polls the end state from fresh lists until it holds; on timeout the last mismatch and the operator's warnings. */
export async function converge(w: World, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertEndState(w);
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        const logs = w.op?.stderr.split('\n').slice(-15).join('\n') ?? '';
        throw new Error(`not converged after ${timeoutMs} ms: ${(e as Error).message}\noperator log tail:\n${logs}`);
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** etcd's client URL for a cluster, from the command line of the etcd serving its run dir. */
export function etcdUrlOf(cluster: TestCluster): string {
  const dataDir = `--data-dir=${join(cluster.runDir, 'etcd')}`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.includes(dataDir)) continue;
    const url = args.find((a) => a.startsWith('--listen-client-urls='));
    if (url) return url.slice('--listen-client-urls='.length).split(',')[0]!;
  }
  throw new Error(`no etcd process for ${cluster.runDir}`);
}

/** Compacts etcd's history up to its current revision (v3 JSON gateway); returns that revision. */
export async function compactEtcd(cluster: TestCluster): Promise<number> {
  const url = etcdUrlOf(cluster);
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const r = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`etcd ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const range = await post('/v3/kv/range', { key: Buffer.from('/registry/').toString('base64'), limit: 1 });
  const revision = Number((range.header as { revision: string }).revision);
  await post('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
