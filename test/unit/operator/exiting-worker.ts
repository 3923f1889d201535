// A stand-in offload worker that exits on its first request (offload.test.ts: a crash).

import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (m: { id?: number }) => {
  if (m.id !== undefined) process.exit(3);
});
