// The pure parts of `smictl check`: CA bundles, Lease freshness, the report.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { caBundleProblem, leaseHolder } from '../../../cli/check/checks.js';
import { formatReport, report } from '../../../cli/check/report.js';
import { CLIENT_VERSION } from '../../../cli/version.js';
import { generateWebhookCertificates } from '../../../release/certs.js';

describe('smictl check: pure parts', () => {
  it('CLIENT_VERSION is package.json\'s version', () => {
    expect(CLIENT_VERSION).to.equal((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('caBundleProblem: empty, garbage, valid, expired', () => {
    expect(caBundleProblem(undefined, Date.now())).to.contain('never injected');
    expect(caBundleProblem(Buffer.from('nope').toString('base64'), Date.now())).to.contain('not a PEM certificate');
    const { caCert: ca } = generateWebhookCertificates({ dnsNames: ['x'] });
    const b64 = Buffer.from(ca).toString('base64');
    expect(caBundleProblem(b64, Date.now())).to.equal(undefined);
    expect(caBundleProblem(b64, Date.now() + 200 * 365 * 86400_000)).to.contain('expired');
  });

  it('leaseHolder: fresh within duration + skew, stale after, none when released', () => {
    const now = Date.parse('2025-01-01T00:00:30Z');
    const lease = (renew: string, holder = 'a') => ({ metadata: { name: 'l' }, spec: { holderIdentity: holder, renewTime: renew, leaseDurationSeconds: 15 } });
    expect(leaseHolder(lease('2025-01-01T00:00:20.000000Z'), now)).to.deep.equal({ holder: 'a', fresh: true, ageSeconds: 10 });
    expect(leaseHolder(lease('2025-01-01T00:00:00.000000Z'), now).fresh).to.equal(false);
    expect(leaseHolder(lease('2025-01-01T00:00:20.000000Z', ''), now).fresh).to.equal(false);
    expect(leaseHolder(undefined, now).fresh).to.equal(false);
  });

  it('a warning passes, a failure fails; text shows the fix', () => {
    const ok = report([{ category: 'c', name: 'n', status: 'warn', message: 'm', fix: 'do x' }]);
    expect(ok.success).to.equal(true);
    const bad = report([{ category: 'c', name: 'n', status: 'fail', message: 'm', fix: 'do y' }]);
    expect(bad.success).to.equal(false);
    expect(formatReport(bad, 'text')).to.contain('× n\n    m\n    fix: do y').and.contain('× (1 failed)');
    expect(JSON.parse(formatReport(bad, 'json'))).to.deep.equal(bad);
  });
});
