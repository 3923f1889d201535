// The HTTPS edge of the metrics API: TLS with an optional client-certificate
// request (front proxy), JSON in and out, bounded request handling.

import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { errorText, toStatus } from './errors.js';
import { createHandler, type HandlerOptions } from './handler.js';
import type { ServingCert } from './tls.js';

export interface MetricsApiServerOptions extends HandlerOptions {
  tls: ServingCert;
}

export interface MetricsApiServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export function createMetricsApiServer(opts: MetricsApiServerOptions): MetricsApiServer {
  const handle = createHandler(opts);
  const server: Server = createServer(
    {
      cert: opts.tls.certPem,
      key: opts.tls.keyPem,
      // Ask for a client cert, verify it against the front-proxy CA, but let the
      // request through so a missing/bad cert gets a 401 Status, not a TLS alert.
      ...(opts.frontProxy ? { ca: opts.frontProxy.caPem, requestCert: true, rejectUnauthorized: false } : {}),
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const cert = opts.frontProxy ? socket.getPeerCertificate() : undefined;
      const cn = cert && typeof cert.subject?.CN === 'string' ? cert.subject.CN : undefined;
      const send = (status: number, body: unknown): void => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
        res.end(text);
      };
      handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, peer: { verified: socket.authorized === true, commonName: cn } })
        .then((r) => send(r.status, r.body))
        .catch((err: unknown) => {
          opts.logger.error('unhandled error', { error: errorText(err), path: req.url });
          send(500, toStatus({ reason: 'InternalError', message: errorText(err) }));
        });
    },
  );
  return {
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          opts.logger.info('metrics API listening', { host, port: addr.port, mesh: typeof opts.mesh === 'function' ? opts.mesh() : opts.mesh, auth: opts.frontProxy ? 'front-proxy' : 'none' });
          resolve(addr.port);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
