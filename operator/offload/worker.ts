// The offload worker (a worker thread started by offload.ts): runs the CPU-heavy pure
// steps, validation with its regex compiles and whole-unit translation, on its own
// event loop. Stateless except for the objects the main thread put here.

import { parentPort } from 'node:worker_threads';
import { unitSnapshot } from '../../adapters/common/snapshot.js';
import { getAdapter } from '../../adapters/index.js';
import type { KubeObject } from '../../schemas/hub.js';
import { compiledResults, resizeCompileCache, routeGroupRegexes } from '../../schemas/regex.js';
import { validateSmiObject } from '../../schemas/validate.js';
import type { Reply, Request } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('operator/offload/worker.js runs as a worker thread');

const objects = new Map<string, KubeObject>();
// Units come here because they are large: room for the patterns of 16 maximal route groups
// (2,176 each, at most 1 KB: at most ~35 MB of keys, held only while the worker runs).
resizeCompileCache(16 * 2176);

/** What this thread compiled for these objects, for the main thread to remember. */
const compiledFor = (objs: readonly KubeObject[]) => compiledResults(objs.flatMap(routeGroupRegexes));

function answer(req: Extract<Request, { id: number }>): Reply {
  if (req.type === 'warm') {
    for (const o of req.objects) validateSmiObject(o);
    return { id: req.id, ok: true, compiled: compiledFor(req.objects) };
  }
  const inputs: KubeObject[] = [];
  for (const k of req.keys) {
    const o = objects.get(k);
    if (!o) return { id: req.id, ok: false, error: `offload worker: no object under ${k}` };
    inputs.push(o);
  }
  const output = getAdapter(req.mesh).translate(unitSnapshot(inputs, req.targetsAsContext === true), req.options);
  // No compile results: the event loop validates route groups only after warming them.
  return { id: req.id, ok: true, output, compiled: [] };
}

port.on('message', (req: Request) => {
  if (req.type === 'put') objects.set(req.key, req.object);
  else if (req.type === 'drop') objects.delete(req.key);
  else {
    let reply: Reply;
    try {
      reply = answer(req);
    } catch (e) {
      reply = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  }
});
