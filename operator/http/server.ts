// /healthz, /readyz (caches synced) and /metrics (prom-client) over plain HTTP.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ProbeServer {
  port: number;
  close(): Promise<void>;
}

export interface ProbeHandlers {
  ready(): { ok: boolean; detail: string };
  /** Serve /metrics here (when the metrics port equals the health port). */
  registry?: Registry;
  /** Serve /healthz and /readyz here. */
  probes?: boolean;
}

export function startProbeServer(port: number, h: ProbeHandlers, host = '0.0.0.0'): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const send = (code: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(code, { 'Content-Type': type });
      res.end(body);
    };
    if (h.probes !== false && url === '/healthz') return send(200, 'ok\n');
    if (h.probes !== false && url === '/readyz') {
      const r = h.ready();
      return send(r.ok ? 200 : 503, `${r.detail}\n`);
    }
    if (h.registry && url === '/metrics') {
      const reg = h.registry;
      void reg.metrics().then(
        (m) => send(200, m, reg.contentType),
        (e: unknown) => send(500, String(e)),
      );
      return;
    }
    send(404, 'not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        port: actual,
        close: () => new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}
