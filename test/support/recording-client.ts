// A KubeClient that records every request and watch it passes to another client
// (injected into the operator or cert-bootstrap in place of their own client).

import type { KubeClient, KubeResult, RequestOptions, WatchEvent, WatchHandle } from '../../kube/client.js';

export interface RecordedCall {
  method: string;
  path: string;
  query?: RequestOptions['query'];
  /** HTTP status; a watch is 200 until its stream ends with an error. */
  status: number;
  message?: string;
}

export class RecordingClient implements KubeClient {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly inner: KubeClient) {}

  async request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<KubeResult<T>> {
    const r = await this.inner.request<T>(method, path, opts);
    this.calls.push({ method, path, query: opts?.query, status: r.ok ? r.status : r.error.status, ...(r.ok ? {} : { message: r.error.message }) });
    return r;
  }

  watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (e: WatchEvent) => void): WatchHandle {
    const h = this.inner.watch(path, query, onEvent);
    const call: RecordedCall = { method: 'WATCH', path, query, status: 200 };
    this.calls.push(call);
    void h.done.then((d) => {
      if (d.error) Object.assign(call, { status: d.error.status, message: d.error.message });
    });
    return h;
  }
}
