// Free TCP ports on 127.0.0.1, asked from the kernel (bind to port 0).

import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err) => reject(new Error(`freePort: ${err.message}`)));
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('freePort: no TCP address'));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}

/** n distinct free ports (distinct because each is bound before the next is asked for). */
export async function freePorts(n: number): Promise<number[]> {
  const seen = new Set<number>();
  while (seen.size < n) seen.add(await freePort());
  return [...seen];
}
