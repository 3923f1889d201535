// The HTTPS webhook server: /convert (CRD conversion), /validate (admission),
// /healthz. Request handling is in conversion-review.ts and admission-review.ts.

import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Offload } from '../offload/offload.js';
import { admissionObject, reviewAdmission, type ReferenceLookup } from './admission-review.js';
import { reviewConversion } from './conversion-review.js';

export interface WebhookServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Serving certificate (chain) and key, PEM. */
  cert: string;
  key: string;
  /** Largest request body accepted, bytes (default 8 MiB; a ConversionReview may hold many objects). */
  maxBodyBytes?: number;
  /** Called for every request, for logging. */
  /** `cpuMs`: this thread's CPU spent on the request (its event-loop cost; a worker's compiles not included); `bytes`: the request body. */
  onRequest?: (info: { path: string; status: number; ms: number; cpuMs: number; bytes: number }) => void;
  /**
   * Compiles a new route group's regexes in a worker before it is validated, so one
   * admission costs the event loop milliseconds, not up to the per-group CPU budget.
   */
  offload?: Pick<Offload, 'warm'>;
  /** Lookups for admission warnings about references that do not resolve yet (none without). */
  references?: ReferenceLookup;
}

export interface WebhookServer {
  port: number;
  close(): Promise<void>;
}

const routes = (opts: WebhookServerOptions): Record<string, (body: unknown) => unknown> => ({
  '/convert': reviewConversion,
  '/validate': (body) => reviewAdmission(body, opts.references),
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function handle(req: IncomingMessage, res: ServerResponse, opts: WebhookServerOptions): void {
  const started = Date.now();
  const path = (req.url ?? '/').split('?')[0]!;
  let cpu = 0;
  let size = 0;
  /** Runs `fn` on this thread, counting its CPU towards the request. */
  const counted = <T>(fn: () => T): T => {
    const start = process.threadCpuUsage();
    try {
      return fn();
    } finally {
      const d = process.threadCpuUsage(start);
      cpu += (d.user + d.system) / 1000;
    }
  };
  const done = (status: number, body: unknown) => {
    counted(() => send(res, status, body));
    opts.onRequest?.({ path, status, ms: Date.now() - started, cpuMs: cpu, bytes: size });
  };
  if (path === '/healthz' && req.method === 'GET') return done(200, { status: 'ok' });
  const route = routes(opts)[path];
  if (!route) return done(404, { error: `no handler for ${path}` });
  if (req.method !== 'POST') return done(405, { error: `${path} takes POST` });
  const limit = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let aborted = false;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (aborted) return; // drain the rest unread, so the client gets the 413
    if (size > limit) {
      aborted = true;
      chunks.length = 0;
      res.setHeader('connection', 'close');
      done(413, { error: `request body over ${limit} bytes` });
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (aborted) return;
    let body: unknown;
    try {
      body = counted(() => JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
    } catch (e) {
      return done(400, { error: `request body is not JSON: ${(e as Error).message}` });
    }
    const answer = (): void => {
      let reply: unknown;
      try {
        reply = counted(() => route(body));
      } catch (e) {
        // The handlers return errors as values; reaching here is a bug, not bad input.
        return done(500, { error: `internal error: ${(e as Error).message}` });
      }
      done(200, reply);
    };
    const obj = path === '/validate' ? admissionObject(body) : undefined;
    // Without the worker (or if it fails) validation compiles here, still bounded by the budget.
    if (obj && opts.offload) void opts.offload.warm([obj]).then(answer, answer);
    else answer();
  });
}

export function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const server: Server = createServer({ cert: opts.cert, key: opts.key, minVersion: 'TLSv1.2' }, (req, res) => handle(req, res, opts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
