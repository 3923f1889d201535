// HTTPS servers on 127.0.0.1 that the API server can call: admission webhooks,
// aggregated APIs. Each gets its own CA; pass caPem as the caBundle.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCa, issueCert } from '../../dev/controlplane/pki.js';

export interface LocalHttpsServer {
  port: number;
  url: string;
  /** CA of the serving cert (for caBundle fields). */
  caPem: string;
  close(): Promise<void>;
}

export interface LocalHttpsOptions {
  /** Ask for a client certificate and accept only ones signed by this CA (others get no cert verified). */
  clientCaPem?: string;
  /** Extra DNS SANs, e.g. <service>.<namespace>.svc, the name the aggregator verifies. */
  dnsNames?: string[];
}

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

export function startLocalHttpsServer(handler: Handler, opts: LocalHttpsOptions = {}): Promise<LocalHttpsServer> {
  const ca = createCa('smi-test-local-server-ca');
  const serving = issueCert(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost', ...(opts.dnsNames ?? [])],
    ipAddresses: ['127.0.0.1'],
    server: true,
  });
  const server: Server = createServer(
    {
      cert: serving.certPem,
      key: serving.keyPem,
      ...(opts.clientCaPem ? { ca: opts.clientCaPem, requestCert: true, rejectUnauthorized: false } : {}),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          handler(req, Buffer.concat(chunks).toString('utf8'), res);
        } catch (err) {
          res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
        }
      });
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`startLocalHttpsServer: ${err.message}`)));
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') {
        reject(new Error('startLocalHttpsServer: no TCP address'));
        return;
      }
      resolve({
        port: addr.port,
        url: `https://127.0.0.1:${addr.port}`,
        caPem: ca.certPem,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** True when the TLS peer presented a certificate that verified against opts.clientCaPem. */
export function clientCertVerified(req: IncomingMessage): { verified: boolean; commonName?: string } {
  const socket = req.socket as import('node:tls').TLSSocket;
  const peer = socket.getPeerCertificate?.();
  const cn = peer?.subject?.CN;
  return { verified: socket.authorized === true, commonName: Array.isArray(cn) ? cn[0] : cn };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
