// Writes the operator makes, as narrow verbs over KubeClient: server-side
// apply under our field manager, delete, status patch, Events. Each write is
// counted; results are values. Every write is fenced: it names the leadership
// Term it is made under and is refused (never sent) once that term ended, and
// aborted if it ends while the request is in flight (./leader/fence.ts).

import type { KubeObject, SmiStatus } from '../schemas/hub.js';
import type { OperatorMetrics } from './metrics.js';
import { resourcePath, type KubeClient, type KubeResult, type RequestOptions } from '../kube/client.js';
import type { Fence, Term } from './leader/fence.js';

export const FIELD_MANAGER = 'smi-operator';

export interface KindPaths {
  /** Plural for apiVersion+kind, or undefined when unknown. */
  plural(apiVersion: string, kind: string): string | undefined;
}

/** A write refused by the fence, or aborted by it in flight: the work must stop, not be retried as a failure. */
export function isFenced(r: KubeResult<unknown>): boolean {
  return !r.ok && (r.error.reason === 'Fenced' || r.error.reason === 'Aborted');
}

/** Sends a write under `term`, or refuses it without sending when the fence says so. */
function fencedRequest<T>(client: KubeClient, fence: Fence, term: Term, method: string, path: string, opts: RequestOptions): Promise<KubeResult<T>> {
  const why = fence.refuse(term);
  if (why) return Promise.resolve({ ok: false, error: { status: 0, reason: 'Fenced', message: `${method} ${path} not sent: ${why}` } });
  return client.request<T>(method, path, { ...opts, signal: term.signal });
}

export class Writer {
  constructor(
    private readonly client: KubeClient,
    private readonly kinds: KindPaths,
    private readonly metrics: OperatorMetrics,
    private readonly fence: Fence,
  ) {}

  private path(o: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } }, sub?: string): string | undefined {
    const plural = this.kinds.plural(o.apiVersion, o.kind);
    return plural ? resourcePath(o.apiVersion, plural, o.metadata.namespace, o.metadata.name, sub) : undefined;
  }

  async get(o: KubeObject): Promise<KubeResult<KubeObject>> {
    const p = this.path(o);
    if (!p) return { ok: false, error: { status: 0, reason: 'UnknownKind', message: `no REST mapping for ${o.apiVersion} ${o.kind}` } };
    return this.client.request<KubeObject>('GET', p);
  }

  async apply(o: KubeObject, force: boolean, term: Term): Promise<KubeResult<KubeObject>> {
    const p = this.path(o);
    if (!p) return { ok: false, error: { status: 0, reason: 'UnknownKind', message: `no REST mapping for ${o.apiVersion} ${o.kind}` } };
    this.metrics.writes.inc({ verb: 'apply', target: 'object' });
    return fencedRequest<KubeObject>(this.client, this.fence, term, 'PATCH', p, {
      // Strict: a field the CRD schema would prune is an error, not a silent drop that
      // makes every later reconcile see drift and apply again.
      query: { fieldManager: FIELD_MANAGER, force: force ? true : undefined, fieldValidation: 'Strict' },
      body: o,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** Delete guarded by uid, so an object re-created meanwhile by someone else survives. */
  async delete(o: KubeObject, term: Term): Promise<KubeResult<unknown>> {
    const p = this.path(o);
    if (!p) return { ok: false, error: { status: 0, reason: 'UnknownKind', message: `no REST mapping for ${o.apiVersion} ${o.kind}` } };
    this.metrics.writes.inc({ verb: 'delete', target: 'object' });
    const body = o.metadata.uid ? { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: o.metadata.uid } } : undefined;
    const r = await fencedRequest(this.client, this.fence, term, 'DELETE', p, { body });
    if (!r.ok && (r.error.status === 404 || r.error.status === 409)) return { ok: true, status: 200, body: undefined };
    return r;
  }

  async patchStatus(o: KubeObject, status: SmiStatus, term: Term): Promise<KubeResult<KubeObject>> {
    const p = this.path(o, 'status');
    if (!p) return { ok: false, error: { status: 0, reason: 'UnknownKind', message: `no REST mapping for ${o.apiVersion} ${o.kind}` } };
    this.metrics.writes.inc({ verb: 'patch', target: 'status' });
    // Merge patch of the whole status: we own observedGeneration and the conditions list.
    return fencedRequest<KubeObject>(this.client, this.fence, term, 'PATCH', p, { body: { status }, contentType: 'application/merge-patch+json' });
  }
}

export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** core/v1 Events on the object (kubectl describe shows them). */
export class EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly metrics: OperatorMetrics,
    private readonly fence: Fence,
  ) {}

  async record(o: KubeObject, e: EventSpec, term: Term): Promise<void> {
    const ns = o.metadata.namespace ?? 'default';
    const now = new Date().toISOString();
    this.metrics.writes.inc({ verb: 'create', target: 'event' });
    await fencedRequest(this.client, this.fence, term, 'POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/events`, {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${o.metadata.name}.`, namespace: ns },
        involvedObject: { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: ns, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion },
        type: e.type,
        reason: e.reason,
        message: e.message.slice(0, 1000),
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.component,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }
}
