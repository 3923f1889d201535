// The Istio interpreter's policy answers are what istiod writes into Envoy (route.go, retry.go,
// cluster_traffic_policy.go) with Envoy's defaults: the xds level compares them side by side.

import { expect } from 'chai';
import { istio } from '../../../conformance/interpret/istio.js';
import type { SplitQuery, World } from '../../../conformance/interpret/common.js';
import type { KubeObject } from '../../../schemas/hub.js';

const svc = (name: string) => ({ namespace: 'app', name, ports: [{ port: 80, name: 'http' }], selector: { app: name } });
const HOST = 'web.app.svc.cluster.local';
const vs = (http: Array<Record<string, unknown>>): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'app' }, spec: { hosts: [HOST], http } }) as KubeObject;
const dr = (host: string, trafficPolicy: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `dr-${host}`, namespace: 'app' }, spec: { host, trafficPolicy } }) as KubeObject;
const world = (natives: KubeObject[]): World => ({ natives, services: [svc('web'), svc('b'), svc('c'), svc('shadow')], workloads: [], trustDomain: 'cluster.local', clusterDomain: 'cluster.local' });
const q: SplitQuery = { ns: 'app', service: svc('web'), port: { port: 80, name: 'http' }, request: { method: 'GET', path: '/' } };
const to = (host: string, weight?: number) => ({ destination: { host: `${host}.app.svc.cluster.local` }, ...(weight !== undefined ? { weight } : {}) });
const DEFAULT_RETRIES = { retryAttempts: 2, retryOn: 'cancelled,connect-failure,refused-stream,retriable-status-codes,unavailable', retryBackoffBaseMs: 25, retryBackoffMaxMs: 250 };

describe('conformance: the Istio interpreter states istiod\'s and Envoy\'s defaults', () => {
  it('a route without retries gets Istio\'s default retry policy; attempts 0 disables retries', () => {
    expect(istio.policy(world([]), q)).to.deep.equal(DEFAULT_RETRIES);
    expect(istio.policy(world([vs([{ route: [to('web')], timeout: '5s' }])]), q)).to.deep.equal({ timeoutMs: 5000, ...DEFAULT_RETRIES });
    expect(istio.policy(world([vs([{ route: [to('web')], retries: { attempts: 0 } }])]), q)).to.deep.equal({});
  });

  it('retryOn: HTTP status codes become retriable status codes with their condition; back-off base as given, maximum 10 times', () => {
    const p = istio.policy(world([vs([{ route: [to('web')], retries: { attempts: 3, retryOn: 'gateway-error,503,409', backoff: '0.1s' } }])]), q);
    expect(p).to.deep.equal({ retryAttempts: 3, retryOn: 'gateway-error,retriable-status-codes', retryStatusCodes: '409,503', retryBackoffBaseMs: 100, retryBackoffMaxMs: 1000 });
  });

  it('mirrorPercentage 0 mirrors nothing; no percentage mirrors everything', () => {
    expect(istio.policy(world([vs([{ route: [to('web')], mirror: { host: 'shadow.app.svc.cluster.local' }, mirrorPercentage: { value: 0 } }])]), q).mirrorService).to.equal(undefined);
    expect(istio.policy(world([vs([{ route: [to('web')], mirror: { host: 'shadow.app.svc.cluster.local' } }])]), q)).to.include({ mirrorService: 'shadow', mirrorPercent: 100 });
  });

  it('percentages are cut to millionths as istiod does (uint32(value * 10000) per million: 0.57 % -> 5699)', () => {
    const p = istio.policy(world([vs([{ route: [to('web')], fault: { abort: { httpStatus: 503, percentage: { value: 0.57 } } } }])]), q);
    expect(p.faultAbortPercent).to.equal(0.5699);
  });

  it('outlier detection: Envoy ejects after 5 consecutive 5xx unless consecutive5xxErrors says otherwise; 10s, 30s, 10 % by default', () => {
    const eject = (od: Record<string, unknown>) => {
      const p = istio.policy(world([dr(HOST, { outlierDetection: od })]), q);
      return { c5: p.ejectConsecutive5xx, gw: p.ejectConsecutiveGatewayErrors, i: p.ejectIntervalMs, b: p.ejectBaseMs, m: p.ejectMaxPercent };
    };
    expect(eject({ consecutiveGatewayErrors: 3 })).to.deep.equal({ c5: 5, gw: 3, i: 10_000, b: 30_000, m: 10 });
    expect(eject({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 3 })).to.deep.equal({ c5: undefined, gw: 3, i: 10_000, b: 30_000, m: 10 });
  });

  it('limits follow the hosts the route sends to: a split to other backends does not get the root Service\'s', () => {
    const limits = dr(HOST, { connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10, http2MaxRequests: 50, maxRequestsPerConnection: 5 } } });
    expect(istio.policy(world([limits]), q)).to.include({ maxConnections: 100, maxPendingRequests: 10, maxRequests: 50, maxRequestsPerConnection: 5 });
    expect(istio.policy(world([limits, vs([{ route: [to('b', 50), to('c', 50)] }])]), q).maxConnections).to.equal(undefined);
    expect(() => istio.policy(world([dr('b.app.svc.cluster.local', { connectionPool: { tcp: { maxConnections: 1 } } }), vs([{ route: [to('b', 50), to('c', 50)] }])]), q)).to.throw(/different limits/);
  });
});
