// The dashboard's HTTP server: the page (static files bundled at build time) and
// two read-only JSON/YAML endpoints. It holds the user's credentials, so it
// listens on loopback by default, answers only requests whose Host is a loopback
// name (a page elsewhere cannot reach it through DNS rebinding) and only GET.

import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import yaml from 'js-yaml';
import { resourcePath } from '../../kube/client.js';
import { parseWindow } from '../../metrics-api/window.js';
import { pluralOf } from './kinds.js';
import { takeSnapshot, type DashboardContext } from './snapshot.js';

export interface DashboardServerOptions {
  ctx: DashboardContext;
  /** Folder with index.html, app.js, app.css (dist/dashboard/static). */
  staticDir: string;
  /** Seconds between refreshes the page starts with. */
  refreshSeconds?: number;
}

export interface DashboardServer {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const SECURITY_HEADERS = {
  // Everything is served from here: no CDN, no inline script.
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function loadStatic(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(dir)) files.set(`/${f}`, readFileSync(join(dir, f)));
  return files;
}

export function createDashboardServer(o: DashboardServerOptions): DashboardServer {
  const files = loadStatic(o.staticDir);
  const index = files.get('/index.html')?.toString('utf8').replace('data-refresh="10"', `data-refresh="${o.refreshSeconds ?? 10}"`);

  const send = (res: http.ServerResponse, code: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void => {
    res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const json = (res: http.ServerResponse, code: number, body: unknown): void => send(res, code, 'application/json; charset=utf-8', JSON.stringify(body));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) return send(res, 421, 'text/plain; charset=utf-8', 'the dashboard answers only on localhost / 127.0.0.1\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'read-only\n', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname === '/api/snapshot') {
      const namespace = url.searchParams.get('namespace') || undefined;
      if (namespace !== undefined && !DNS_LABEL.test(namespace)) return json(res, 400, { error: `namespace "${namespace}" is not a valid namespace name` });
      const window = url.searchParams.get('window') || '1m';
      const w = parseWindow(window);
      if (!w.ok) return json(res, 400, { error: w.error.message });
      return json(res, 200, await takeSnapshot(o.ctx, { ...(namespace ? { namespace } : {}), window }));
    }

    if (url.pathname === '/api/yaml') {
      const [apiVersion, kind, namespace, name] = ['apiVersion', 'kind', 'namespace', 'name'].map((k) => url.searchParams.get(k) ?? '');
      const plural = pluralOf(apiVersion!, kind!);
      if (!plural) return send(res, 400, 'text/plain; charset=utf-8', `the dashboard does not show ${kind} (${apiVersion})\n`);
      if (!DNS_SUBDOMAIN.test(name!) || (namespace && !DNS_LABEL.test(namespace))) return send(res, 400, 'text/plain; charset=utf-8', 'invalid name or namespace\n');
      const r = await o.ctx.client.request<Record<string, unknown>>('GET', resourcePath(apiVersion!, plural, namespace || undefined, name), { timeoutMs: 10_000 });
      if (!r.ok) return send(res, r.error.status || 502, 'text/plain; charset=utf-8', `${r.error.reason}: ${r.error.message}\n`);
      const meta = { ...(r.body.metadata as Record<string, unknown>) };
      delete meta.managedFields;
      return send(res, 200, 'text/yaml; charset=utf-8', yaml.dump({ ...r.body, metadata: meta }, { lineWidth: 140, noRefs: true }));
    }

    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const body = path === '/index.html' ? index : files.get(path);
    if (body === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    return send(res, 200, TYPES[extname(path)] ?? 'application/octet-stream', body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
