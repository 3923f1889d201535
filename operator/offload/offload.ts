// Keeps CPU-heavy pure work off the operator's event loop, which lease renewal, the
// probes and the webhooks share: compiling a new route group's regexes (up to the
// per-group CPU budget, schemas/regex.ts) and translating units whose SMI inputs are
// large (a destination's work grows with every route group its TrafficTargets name).
// One worker thread, started on first use and stopped when idle, so an operator that
// sees only ordinary input never starts it. Measurements: BENCHMARKS.md, "Hostile input".

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { MeshName, MeshOptions, TranslationOutput } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { compileRe2, isCompiled, MAX_PROGRAM_PER_GROUP, rememberCompiled, routeGroupRegexes, slowToCompile } from '../../schemas/regex.js';
import { Lru } from '../../schemas/lru.js';
import type { Reply, Request } from './protocol.js';

/**
 * SMI input (JSON bytes) from which a unit is translated in the worker. Below it, inline
 * translation with compiled regexes costs at most a few tens of milliseconds (measured:
 * ~0.1 ms per KB of the costliest route group).
 */
export const OFFLOAD_MIN_BYTES = 256 * 1024;

/**
 * Regexes from which a unit is translated in the worker. Inline, they must all be in the
 * compile cache at once (4,096 patterns), so that the worker's results, remembered just
 * before, are what validation here finds: nothing is compiled on the event loop.
 */
export const OFFLOAD_MIN_REGEXES = 1024;

const SMI_GROUP = /\.smi-spec\.io\//;
/**
 * JSON length per object instance: the cache holds one instance per resourceVersion, so this is
 * once per version, and an entry goes with its object (an LRU of `kind|ns|name@rv` keys held
 * 2.3 MiB at 10,000 SMI objects).
 */
const sizes = new WeakMap<KubeObject, number>();

/** `kind|namespace|name`: one entry per object, whatever version it is served at. */
export const objectKey = (o: KubeObject): string => `${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

const versionKey = (o: KubeObject): string => `${objectKey(o)}@${o.metadata.resourceVersion ?? ''}`;

/** JSON length of an object, computed once per object (the cache's objects are not changed in place). */
export function objectBytes(o: KubeObject): number {
  let n = sizes.get(o);
  if (n === undefined) sizes.set(o, (n = JSON.stringify(o).length));
  return n;
}

/** Whether a unit with these inputs is translated in the worker. */
export function isLarge(inputs: readonly KubeObject[]): boolean {
  let bytes = 0;
  let regexes = 0;
  for (const o of inputs) {
    if (!SMI_GROUP.test(o.apiVersion)) continue;
    bytes += objectBytes(o);
    regexes += routeGroupRegexes(o).length;
  }
  return bytes >= OFFLOAD_MIN_BYTES || regexes >= OFFLOAD_MIN_REGEXES;
}

/**
 * New regex text of one object compiled right here rather than in the worker, when none of
 * it is slow to parse (regex.ts slowToCompile), and as long as compiling it takes at most
 * INLINE_COMPILE_MAX_MS (counted repetitions cost by the instruction, not by the byte): an
 * ordinary route group never starts the worker.
 */
export const INLINE_COMPILE_MAX_BYTES = 16 * 1024;
export const INLINE_COMPILE_MAX_MS = 20;

/** Route groups among `objects` with a regex this thread has not compiled yet. */
export function needsCompile(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'HTTPRouteGroup' && routeGroupRegexes(o).some((p) => !isCompiled(p)));
}

/** Compiles an object's new regexes here if they are few, plain and quick (see above); false: the rest is the worker's job. */
function compiledInline(o: KubeObject): boolean {
  const fresh = routeGroupRegexes(o).filter((p) => !isCompiled(p));
  let bytes = 0;
  for (const p of fresh) {
    bytes += p.length;
    if (bytes > INLINE_COMPILE_MAX_BYTES || slowToCompile(p)) return false;
  }
  let cpuMs = 0;
  let program = 0;
  for (const p of fresh) {
    const c = compileRe2(p);
    cpuMs += c.cpuMs;
    program += c.programSize;
    if (cpuMs > INLINE_COMPILE_MAX_MS || program > MAX_PROGRAM_PER_GROUP) return false;
  }
  return true;
}

export interface OffloadOptions {
  /** Stop the worker after this long without work; its memory goes back. */
  idleMs?: number;
  /** JSON bytes of objects kept in the worker between translations; least recently used go first. */
  maxMirrorBytes?: number;
  /** Another worker entry (tests). */
  workerUrl?: URL;
}

type Ok = Extract<Reply, { ok: true }>;
type Call = { type: 'warm'; objects: KubeObject[] } | { type: 'translate'; mesh: MeshName; options: MeshOptions; keys: string[]; targetsAsContext?: boolean };

export class Offload {
  private worker: Worker | undefined;
  private exitReason = '';
  private readonly pending = new Map<number, { resolve: (r: Ok) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Calls in progress, including their put phase: the worker is not idle. */
  private busy = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** key → version and size of the objects the worker holds, least recently used first. */
  private readonly mirror = new Map<string, { version: string; bytes: number }>();
  private mirrorBytes = 0;
  /** Keys an in-flight translation needs: never dropped under it. */
  private readonly pinned = new Map<string, number>();
  private closed = false;
  private readonly warmed = new Lru<string, true>(4096);
  /** Workers started so far. */
  started = 0;
  /** Objects sent to the worker so far (an unchanged object is sent once). */
  sent = 0;

  constructor(private readonly opts: OffloadOptions = {}) {}

  /**
   * Compiles, in the worker, the regexes validating these objects would compile here, and
   * remembers the results here. Once per object version: a group refused at its CPU budget
   * keeps regexes that are never compiled, and asking again would not change that.
   */
  async warm(objects: readonly KubeObject[]): Promise<void> {
    const todo = needsCompile(objects).filter((o) => !this.warmed.has(versionKey(o)) && !compiledInline(o));
    if (todo.length === 0) return;
    this.busy++;
    try {
      rememberCompiled((await this.call(this.ensure(), { type: 'warm', objects: todo })).compiled);
      for (const o of todo) if (o.metadata.resourceVersion !== undefined) this.warmed.set(versionKey(o), true);
    } finally {
      this.done();
    }
  }

  /** The adapter's translation of these inputs, computed in the worker. */
  async translate(mesh: MeshName, options: MeshOptions, inputs: readonly KubeObject[], targetsAsContext = false): Promise<TranslationOutput> {
    this.busy++;
    const keys = inputs.map(objectKey);
    for (const k of keys) this.pinned.set(k, (this.pinned.get(k) ?? 0) + 1);
    try {
      const w = this.ensure();
      for (const o of inputs) {
        const key = objectKey(o);
        const version = o.metadata.resourceVersion;
        const have = this.mirror.get(key);
        if (have && version !== undefined && have.version === version) {
          this.mirror.delete(key);
          this.mirror.set(key, have);
          continue;
        }
        // One object cloned per turn of the event loop.
        await yieldToEventLoop();
        if (this.worker !== w) throw new Error(`offload worker stopped: ${this.exitReason}`);
        w.postMessage({ type: 'put', key, object: o } satisfies Request);
        this.sent++;
        this.remember(key, version, objectBytes(o));
      }
      const r = await this.call(w, { type: 'translate', mesh, options, keys, targetsAsContext });
      if (!r.output) throw new Error('offload worker: no translation in its reply');
      return r.output;
    } finally {
      for (const k of keys) {
        const n = (this.pinned.get(k) ?? 1) - 1;
        if (n > 0) this.pinned.set(k, n);
        else this.pinned.delete(k);
      }
      this.done();
    }
  }

  /** Whether a worker thread is running now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.stopWorker('offload closed');
  }

  private remember(key: string, version: string | undefined, bytes: number): void {
    const prev = this.mirror.get(key);
    if (prev) this.mirrorBytes -= prev.bytes;
    this.mirror.delete(key);
    // An object without a resourceVersion is sent every time (the version never matches).
    this.mirror.set(key, { version: version ?? `unversioned:${this.nextId}`, bytes });
    this.mirrorBytes += bytes;
    const max = this.opts.maxMirrorBytes ?? 256 * 1024 * 1024;
    for (const [k, v] of this.mirror) {
      if (this.mirrorBytes <= max) break;
      if (this.pinned.has(k)) continue;
      this.mirror.delete(k);
      this.mirrorBytes -= v.bytes;
      this.worker?.postMessage({ type: 'drop', key: k } satisfies Request);
    }
  }

  private ensure(): Worker {
    if (this.closed) throw new Error('offload closed');
    clearTimeout(this.idleTimer);
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.workerUrl ?? new URL('./worker.js', import.meta.url));
    this.started++;
    this.exitReason = '';
    w.unref(); // never what keeps the process alive
    w.on('message', (r: Reply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r);
      else p.reject(new Error(r.error));
    });
    w.on('error', (e) => (this.exitReason = e.message));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.mirror.clear();
      this.mirrorBytes = 0;
      const why = `offload worker exited (code ${code})${this.exitReason ? `: ${this.exitReason}` : ''}`;
      this.exitReason ||= why;
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
    });
    this.worker = w;
    return w;
  }

  private call(w: Worker, c: Call): Promise<Ok> {
    if (this.worker !== w) return Promise.reject(new Error(`offload worker stopped: ${this.exitReason}`));
    const id = this.nextId++;
    return new Promise<Ok>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...c, id } satisfies Request);
    });
  }

  private done(): void {
    this.busy--;
    if (this.busy > 0 || this.closed || !this.worker) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stopWorker('idle'), this.opts.idleMs ?? 30_000);
    this.idleTimer.unref();
  }

  private async stopWorker(reason: string): Promise<void> {
    const w = this.worker;
    if (!w || (reason === 'idle' && this.busy > 0)) return;
    this.exitReason = reason;
    await w.terminate();
  }
}
