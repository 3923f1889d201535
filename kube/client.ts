// The operator's only door to the API server: raw REST over HTTPS with the
// credentials of a kubeconfig (./credentials.ts, or a client-node KubeConfig). Failures are values (KubeResult), never throws,
// so callers decide per status code (404 on delete is fine, 409 is a conflict...).

import https from 'node:https';
import type { KubeCredentials } from './credentials.js';
import { warningTexts } from './warnings.js';

export type { KubeCredentials } from './credentials.js';

export interface KubeStatusError {
  status: number;
  reason: string;
  message: string;
}

export type KubeResult<T> = { ok: true; status: number; body: T } | { ok: false; error: KubeStatusError };

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Default application/json; e.g. the Table form `application/json;as=Table;g=meta.k8s.io;v=v1`. */
  accept?: string;
  timeoutMs?: number;
  /** Aborts the request (fencing: the term it was made under ended); an aborted signal sends nothing. */
  signal?: AbortSignal;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

export interface WatchHandle {
  /** Resolves when the stream ends (server closed, error or abort); never rejects. */
  done: Promise<{ error?: KubeStatusError }>;
  abort(): void;
}

/** The narrow interface the rest of the operator codes against. */
export interface KubeClient {
  request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<KubeResult<T>>;
  watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (e: WatchEvent) => void): WatchHandle;
}

function queryString(q: RequestOptions['query']): string {
  if (!q) return '';
  const parts = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function statusError(status: number, text: string): KubeStatusError {
  try {
    const s = JSON.parse(text) as { reason?: string; message?: string };
    return { status, reason: s.reason ?? String(status), message: s.message ?? text.slice(0, 500) };
  } catch {
    return { status, reason: String(status), message: text.slice(0, 500) };
  }
}

export class HttpKubeClient implements KubeClient {
  private readonly server: URL;
  /** Keep-alive agent: one TLS session pool for all requests of this client. */
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly kc: KubeCredentials) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    this.server = new URL(cluster.server);
  }

  private async options(method: string, path: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = {
      method,
      hostname: this.server.hostname,
      port: this.server.port || 443,
      path: `${this.server.pathname.replace(/\/$/, '')}${path}`,
      headers: { Accept: 'application/json', ...headers },
      agent: this.agent,
    };
    await this.kc.applyToHTTPSOptions(opts);
    return opts;
  }

  /**
   * The response as sent, any status; a request that got no response (network, timeout, credentials) is
   * `{ ok: false }` with status 0. request() and the test harness's kubeRequest build on it. `warnings`: the
   * texts of the response's Warning headers (e.g. an admission webhook's warnings), as kubectl prints them.
   */
  async raw(method: string, path: string, o: RequestOptions = {}): Promise<{ ok: true; status: number; text: string; warnings: string[] } | { ok: false; error: KubeStatusError }> {
    const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) {
      headers['Content-Type'] = o.contentType ?? 'application/json';
      // Node frames a DELETE body only when told its length (no chunked encoding by default for
      // DELETE): without it the server ignores the DeleteOptions (and their uid precondition) and
      // reads the unread JSON as the start of the next request on the keep-alive socket.
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (o.accept !== undefined) headers.Accept = o.accept;
    let opts: https.RequestOptions;
    try {
      opts = await this.options(method, path + queryString(o.query), headers);
    } catch (e) {
      return { ok: false, error: { status: 0, reason: 'ClientConfig', message: String(e) } };
    }
    const aborted = (): { ok: false; error: KubeStatusError } => ({ ok: false, error: { status: 0, reason: 'Aborted', message: `${method} ${path}: aborted: ${String(o.signal?.reason ?? '')}` } });
    if (o.signal?.aborted) return aborted();
    if (o.signal) opts.signal = o.signal;
    return new Promise((resolve) => {
      // A keep-alive socket keeps its last request (and so these listeners) until its next one: the
      // listeners reach the answer only through `settle` and `chunks`, both let go once it is settled,
      // or each idle socket would hold its last response (a 500-item list page: ~1 MiB of text and buffers).
      type Answer = Awaited<ReturnType<HttpKubeClient['raw']>>;
      let settle: ((a: Answer) => void) | undefined = resolve;
      let chunks: Buffer[] = [];
      const done = (a: Answer): void => {
        const s = settle;
        settle = undefined;
        chunks = [];
        s?.(a);
      };
      const req = https.request(opts, (res) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ ok: true, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), warnings: warningTexts(res.headersDistinct.warning) }));
        res.on('error', (e) => done({ ok: false, error: { status: 0, reason: 'Network', message: String(e) } }));
      });
      req.setTimeout(o.timeoutMs ?? 30_000, () => req.destroy(new Error('request timed out')));
      req.on('error', (e) => done(o.signal?.aborted ? aborted() : { ok: false, error: { status: 0, reason: 'Network', message: `${method} ${path}: ${String(e)}` } }));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async request<T = unknown>(method: string, path: string, o: RequestOptions = {}): Promise<KubeResult<T>> {
    const r = await this.raw(method, path, o);
    if (!r.ok) return r;
    const { status, text } = r;
    if (status < 200 || status >= 300) return { ok: false, error: statusError(status, text) };
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* non-JSON bodies (e.g. /metrics) stay text */
    }
    return { ok: true, status, body: body as T };
  }

  watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (e: WatchEvent) => void): WatchHandle {
    let req: ReturnType<typeof https.request> | undefined;
    let aborted = false;
    const done = (async (): Promise<{ error?: KubeStatusError }> => {
      let opts: https.RequestOptions;
      try {
        opts = await this.options('GET', path + queryString({ ...query, watch: true }), {});
      } catch (e) {
        return { error: { status: 0, reason: 'ClientConfig', message: String(e) } };
      }
      if (aborted) return {};
      return new Promise((resolve) => {
        req = https.request(opts, (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ error: statusError(status, Buffer.concat(chunks).toString('utf8')) }));
            return;
          }
          let buf = '';
          let failed = false;
          // Ends this watch with an error; the caller resumes (or relists) from what it has seen.
          const fail = (error: KubeStatusError): void => {
            failed = true;
            resolve({ error });
            req?.destroy();
          };
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (failed || aborted) return;
            buf += chunk;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              let event: WatchEvent;
              try {
                event = JSON.parse(line) as WatchEvent;
              } catch (e) {
                // Not JSON: the stream is corrupt. Skipping the line would lose an event; end the watch instead.
                fail({ status: 0, reason: 'InvalidWatchEvent', message: `GET ${path}: undecodable watch event: ${String(e)}: ${line.slice(0, 200)}` });
                return;
              }
              // An exception of the consumer (informer, index, queue) is not ours to drop: the watch fails
              // with it, so the consumer sees the error and can recover (the informer relists).
              try {
                onEvent(event);
              } catch (e) {
                fail({ status: 0, reason: 'HandlerFailed', message: `GET ${path}: ${event.type} event handler failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` });
                return;
              }
              if (failed || aborted) return; // the handler ended the watch
            }
          });
          res.on('end', () => resolve({}));
          res.on('error', () => resolve({}));
          res.on('close', () => resolve({}));
        });
        req.on('error', (e) => resolve(aborted ? {} : { error: { status: 0, reason: 'Network', message: String(e) } }));
        // A silently dead connection would hang the watch forever; the server closes
        // it within timeoutSeconds (<= 10 min) and sends bookmarks meanwhile.
        req.setTimeout(11 * 60_000, () => req?.destroy(new Error('watch idle for 11 minutes')));
        req.end();
      });
    })();
    return {
      done,
      abort: () => {
        aborted = true;
        req?.destroy();
      },
    };
  }
}

/** REST path of a collection or object; `namespace` undefined = cluster-wide list. */
export function resourcePath(apiVersion: string, plural: string, namespace?: string, name?: string, sub?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  let p = namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}
