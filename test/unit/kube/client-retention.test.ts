// A keep-alive socket keeps its last request's listeners until its next request. They must not
// keep the answer: each idle socket of the operator held its last response (the text and the
// received buffers; a 500-item list page is ~1 MiB of each) for as long as it stayed idle.

import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HttpKubeClient } from '../../../kube/client.js';
import { StaticCredentials } from '../../../kube/credentials.js';
import { startLocalHttpsServer, type LocalHttpsServer } from '../../support/local-https.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('HttpKubeClient: an answered request keeps nothing of its answer', function () {
  this.timeout(20_000);
  let server: LocalHttpsServer | undefined;
  after(async () => server?.close());

  it('the response buffers are freed while the keep-alive socket stays open', async () => {
    const body = Buffer.alloc(32 * 2 ** 20, 'x');
    server = await startLocalHttpsServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
      res.end(body);
    });
    const client = new HttpKubeClient(new StaticCredentials(server.url, { ca: Buffer.from(server.caPem), insecure: false }));
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const r = await client.raw('GET', '/big');
    expect(r.ok && r.text.length).to.equal(body.length);
    // The socket goes back to the agent's pool and stays open (keep-alive; the server closes it
    // after 5 s idle): look for up to 3 s, on a busy machine the server may still be writing.
    let kept = Infinity;
    for (let i = 0; i < 15 && kept >= 8 * 2 ** 20; i++) {
      await new Promise((done) => setTimeout(done, 200));
      gc();
      kept = process.memoryUsage().arrayBuffers - before;
    }
    expect(kept, `bytes of received buffers still held: ${kept}`).to.be.lessThan(8 * 2 ** 20);
  });
});
