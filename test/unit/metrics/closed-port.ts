// A port nothing listens on (bound, then released). Not port 1: fetch refuses
// "bad ports" before connecting, which is not what a dead Prometheus looks like.

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
