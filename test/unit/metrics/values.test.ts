import { expect } from 'chai';
import fc from 'fast-check';
import { formatQuantity, roundCount } from '../../../metrics-api/quantity.js';
import { quantityToNumber } from '../../../schemas/quantity.js';
import { formatWindow, parseWindow } from '../../../metrics-api/window.js';
import { route } from '../../../metrics-api/routes.js';

describe('metrics-api quantities', () => {
  it('writes seconds with the largest suffix that keeps an integer mantissa', () => {
    expect(formatQuantity(0.01)).to.equal('10m');
    expect(formatQuantity(0.00875)).to.equal('8750u');
    expect(formatQuantity(1.5)).to.equal('1500m');
    expect(formatQuantity(80)).to.equal('80');
    expect(formatQuantity(0)).to.equal('0');
    expect(formatQuantity(1e-9)).to.equal('1n');
  });
  it('absorbs float noise below a nanosecond (0.1+0.2 is 300m)', () => {
    expect(formatQuantity(0.1 + 0.2)).to.equal('300m');
  });
  it('has no quantity for NaN or infinity', () => {
    expect(formatQuantity(Number.NaN)).to.equal(undefined);
    expect(formatQuantity(Number.POSITIVE_INFINITY)).to.equal(undefined);
  });
  it('reads back what it writes through the one quantity parser (schemas/quantity.ts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (nanos) => {
        expect(quantityToNumber(formatQuantity(nanos / 1e9))).to.be.closeTo(nanos / 1e9, Math.abs(nanos / 1e9) * 1e-12);
      }),
    );
    expect([quantityToNumber('25'), quantityToNumber('2500m'), quantityToNumber('1k'), quantityToNumber('8750u'), quantityToNumber('1Ki')]).to.deep.equal([25, 2.5, 1000, 0.00875, 1024]);
    expect(quantityToNumber('ten')).to.equal(undefined);
  });
  it('rounds counts to milli precision', () => {
    expect(roundCount(79.99999999)).to.equal(80);
    expect(formatQuantity(roundCount(10.3333333))).to.equal('10333m');
  });
});

describe('metrics-api window', () => {
  it('defaults to 30s', () => {
    expect(parseWindow(undefined)).to.deep.equal({ ok: true, value: 30 });
    expect(parseWindow('')).to.deep.equal({ ok: true, value: 30 });
  });
  it('parses Go-style durations', () => {
    expect(parseWindow('10s')).to.deep.equal({ ok: true, value: 10 });
    expect(parseWindow('1m30s')).to.deep.equal({ ok: true, value: 90 });
    expect(parseWindow('2h')).to.deep.equal({ ok: true, value: 7200 });
  });
  it('rejects garbage and out-of-range windows with BadRequest', () => {
    for (const bad of ['abc', '10', '10x', '0s', '25h', '5s junk']) {
      const r = parseWindow(bad);
      expect(r.ok, bad).to.equal(false);
      if (!r.ok) expect(r.error.reason).to.equal('BadRequest');
    }
  });
  it('formats the window back canonically', () => {
    expect(formatWindow(30)).to.equal('30s');
    expect(formatWindow(90)).to.equal('1m30s');
    expect(formatWindow(3600)).to.equal('1h');
  });
});

describe('metrics-api routes', () => {
  const base = '/apis/metrics.smi-spec.io/v1alpha1';
  const metrics = (path: string) => {
    const r = route(path);
    if (!r.ok || r.value.type !== 'metrics') throw new Error(`not a metrics route: ${path}`);
    return { plural: r.value.kind.plural, namespace: r.value.namespace, name: r.value.name, edges: r.value.edges };
  };
  it('serves discovery documents', () => {
    expect(route(base)).to.deep.equal({ ok: true, value: { type: 'discovery', doc: 'resourceList' } });
    expect(route(`${base}/`)).to.deep.equal({ ok: true, value: { type: 'discovery', doc: 'resourceList' } });
    expect(route('/apis')).to.deep.equal({ ok: true, value: { type: 'discovery', doc: 'groupList' } });
    expect(route('/openapi/v2')).to.deep.equal({ ok: true, value: { type: 'discovery', doc: 'openapiV2' } });
  });
  it('maps get, list and edges', () => {
    expect(metrics(`${base}/namespaces/shop/deployments/web/edges`)).to.deep.equal({ plural: 'deployments', namespace: 'shop', name: 'web', edges: true });
    expect(metrics(`${base}/namespaces/shop/deployments/web`)).to.deep.equal({ plural: 'deployments', namespace: 'shop', name: 'web', edges: false });
    expect(metrics(`${base}/namespaces/shop/pods`)).to.deep.equal({ plural: 'pods', namespace: 'shop', name: undefined, edges: false });
    expect(metrics(`${base}/deployments`)).to.deep.equal({ plural: 'deployments', namespace: undefined, name: undefined, edges: false });
    expect(metrics(`${base}/namespaces/shop`)).to.deep.equal({ plural: 'namespaces', namespace: undefined, name: 'shop', edges: false });
    expect(metrics(`${base}/namespaces/shop/edges`)).to.deep.equal({ plural: 'namespaces', namespace: undefined, name: 'shop', edges: true });
    expect(metrics(`${base}/namespaces`)).to.deep.equal({ plural: 'namespaces', namespace: undefined, name: undefined, edges: false });
  });
  it('answers NotFound for unknown kinds and subresources', () => {
    for (const p of [`${base}/namespaces/shop/cronjobs`, `${base}/namespaces/shop/deployments/web/logs`, `${base}/widgets`, '/apis/other.io/v1', `${base}/namespaces/a/deployments/b/edges/c`]) {
      const r = route(p);
      expect(r.ok, p).to.equal(false);
      if (!r.ok) expect(r.error.reason, p).to.equal('NotFound');
    }
  });
});
