// Logs carry the namespace of the object a line is about, not the operator's
// (issue 18.10: winston defaultMeta overrode the child's fields).

import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../../log/log.js';

function capture(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { stream, lines };
}

describe('log', () => {
  it("a child's namespace/name win over the base fields; lines about the operator keep its namespace", () => {
    const { stream, lines } = capture();
    const log = createLogger('info', { component: 'smi-operator', namespace: 'smi-system', identity: 'me' }, stream);
    log.info('caches synced');
    const unit = log.child({ unit: 'access:shop/api', namespace: 'shop', name: 'api' });
    unit.info('reconciled');
    unit.child({ object: 'TrafficTarget shop/t', namespace: 'shop', name: 't' }).warn('status update failed');
    log.log('info', 'by level');
    expect(lines.map((l) => [l.message, l.namespace, l.name ?? null, l.component, l.identity])).to.deep.equal([
      ['caches synced', 'smi-system', null, 'smi-operator', 'me'],
      ['reconciled', 'shop', 'api', 'smi-operator', 'me'],
      ['status update failed', 'shop', 't', 'smi-operator', 'me'],
      ['by level', 'smi-system', null, 'smi-operator', 'me'],
    ]);
  });

  it('the level applies to children', () => {
    const { stream, lines } = capture();
    const log = createLogger('warn', { component: 'x' }, stream);
    log.child({ namespace: 'a' }).info('dropped');
    log.child({ namespace: 'a' }).warn('kept');
    expect(lines.map((l) => l.message)).to.deep.equal(['kept']);
  });
});
