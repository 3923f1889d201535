// A liveness prober in its own process, as the kubelet would run it: GET a URL every
// `periodMs` with a `timeoutMs` deadline, one JSON line per probe on stdout
// ({at, ok, status?, ms}). Its own event loop, so what it sees does not depend on the
// process under test being free to look. Stops on SIGTERM or when stdin closes.
//   node dist/test/support/prober.js <url> <periodMs> <timeoutMs>

import http from 'node:http';

const [url, periodArg, timeoutArg] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: prober.js <url> <periodMs> <timeoutMs>\n');
  process.exit(2);
}
const periodMs = Number(periodArg ?? 1000);
const timeoutMs = Number(timeoutArg ?? 1000);

function probe(): void {
  const at = Date.now();
  const line = (r: { ok: boolean; status?: number; error?: string }): void => void process.stdout.write(`${JSON.stringify({ at, ms: Date.now() - at, ...r })}\n`);
  const req = http.get(url!, { timeout: timeoutMs, agent: false }, (res) => {
    res.resume();
    res.on('end', () => line({ ok: res.statusCode === 200, status: res.statusCode }));
  });
  req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  req.on('error', (e) => line({ ok: false, error: e.message }));
}

const timer = setInterval(probe, periodMs);
probe();
const stop = (): void => {
  clearInterval(timer);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
