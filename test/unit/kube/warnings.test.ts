import { expect } from 'chai';
import { warningTexts } from '../../../kube/warnings.js';

describe('warningTexts (Warning response headers)', () => {
  it('takes the quoted text of each header, unescaping quotes and backslashes', () => {
    expect(warningTexts(['299 - "TrafficSplit shop/s: spec.backends[1].service: Service shop/b1 does not exist (yet)"', '299 - "say \\"hi\\" \\\\ there"'])).to.deep.equal([
      'TrafficSplit shop/s: spec.backends[1].service: Service shop/b1 does not exist (yet)',
      'say "hi" \\ there',
    ]);
  });

  it('keeps a value not in the RFC 7234 form as it is, and has none without headers', () => {
    expect(warningTexts(['not a warning header '])).to.deep.equal(['not a warning header']);
    expect(warningTexts(undefined)).to.deep.equal([]);
  });
});
