// One request in, one JSON document out: authentication (front proxy), authorization
// (SubjectAccessReview), routing, and the Prometheus-backed metrics. No sockets here:
// server.ts feeds it, and unit tests call it directly.

import type { MetricsMesh } from '../adapters/types.js';
import { authenticate, type FrontProxyConfig, type PeerInfo } from './auth.js';
import { apiGroup, apiGroupList, apiResourceList, GROUP, openApiV2, openApiV3Root } from './discovery.js';
import { codeOf, fail, ok, toStatus, type MetricsError, type Result } from './errors.js';
import type { KubeAccess, UserInfo } from './kube.js';
import type { Logger } from './log.js';
import type { PrometheusClient } from './prometheus.js';
import { MESH_QUERIES } from './queries/index.js';
import { route, type Route } from './routes.js';
import { edgeMetrics, list, resourceMetrics, splitMetrics, type QueryContext, type SplitRef, type TrafficMetrics } from './traffic-metrics.js';
import { parseWindow } from './window.js';

export interface HandlerOptions {
  /** A function: read per request (the metrics API follows the adapter ConfigMap). */
  mesh: MetricsMesh | (() => MetricsMesh);
  prometheus: PrometheusClient | (() => PrometheusClient);
  kube: KubeAccess;
  /** Front-proxy trust; undefined serves without authentication (local use only). */
  frontProxy: FrontProxyConfig | undefined;
  logger: Logger;
  /** Clock, ms since epoch: the end of every window. */
  now?: () => number;
}

export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  peer: PeerInfo;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

const reply = (body: unknown, status = 200): ApiResponse => ({ status, body });
const errorReply = (e: MetricsError): ApiResponse => reply(toStatus(e), codeOf(e.reason));

export function createHandler(opts: HandlerOptions): (req: ApiRequest) => Promise<ApiResponse> {
  const meshNow = () => MESH_QUERIES[typeof opts.mesh === 'function' ? opts.mesh() : opts.mesh];
  const prometheusNow = () => (typeof opts.prometheus === 'function' ? opts.prometheus() : opts.prometheus);
  const now = opts.now ?? Date.now;

  async function authorize(r: Extract<Route, { type: 'metrics' }>, user: UserInfo): Promise<Result<void>> {
    const verb = r.name === undefined ? 'list' : 'get';
    const decision = await opts.kube.authorize(user, {
      verb,
      resource: r.kind.plural,
      ...(r.edges ? { subresource: 'edges' } : {}),
      ...(r.namespace ? { namespace: r.namespace } : {}),
      ...(r.name ? { name: r.name } : {}),
    });
    if (!decision.ok) return decision;
    if (decision.value.allowed) return ok(undefined);
    const what = `${r.kind.plural}${r.edges ? '/edges' : ''}.${GROUP}${r.name ? ` "${r.name}"` : ''}`;
    const where = r.namespace ? ` in the namespace "${r.namespace}"` : '';
    const why = decision.value.reason ? `: ${decision.value.reason}` : '';
    return fail('Forbidden', `${what} is forbidden: User "${user.username}" cannot ${verb} resource "${r.kind.plural}${r.edges ? '/edges' : ''}" in API group "${GROUP}"${where}${why}`);
  }

  async function metrics(r: Extract<Route, { type: 'metrics' }>, params: URLSearchParams, selfLink: string): Promise<Result<unknown>> {
    const window = parseWindow(params.get('window') ?? params.get('t'));
    if (!window.ok) return window;
    const ctx: QueryContext = { mesh: meshNow(), prometheus: prometheusNow(), windowSeconds: window.value, time: now(), selfLink };
    const labelSelector = params.get('labelSelector') ?? undefined;
    const resourceRef = { kind: r.kind.kind, ...(r.namespace ? { namespace: r.namespace } : {}), ...(r.name ? { name: r.name } : {}) };

    if (r.edges) {
      const items = await edgeMetrics(ctx, r.kind, r.namespace, r.name ?? '');
      return items.ok ? ok(list(ctx, resourceRef, items.value)) : items;
    }
    if (r.kind.plural === 'trafficsplits') {
      if (r.namespace === undefined) return fail('BadRequest', 'trafficsplits are listed per namespace: use /namespaces/{namespace}/trafficsplits');
      const splits: Result<SplitRef[]> = r.name
        ? await opts.kube.getTrafficSplit(r.namespace, r.name).then((s) => (s.ok ? ok([s.value]) : s))
        : await opts.kube.listTrafficSplits(r.namespace, labelSelector);
      if (!splits.ok) return splits;
      const items: TrafficMetrics[] = [];
      for (const s of splits.value) {
        const got = await splitMetrics(ctx, r.kind, s);
        if (!got.ok) return got;
        items.push(...got.value);
      }
      return ok(list(ctx, resourceRef, items, labelSelector));
    }
    const items = await resourceMetrics(ctx, r.kind, r.namespace, r.name);
    if (!items.ok) return items;
    if (r.name !== undefined) return ok(items.value[0]);
    if (labelSelector === undefined || labelSelector === '') return ok(list(ctx, resourceRef, items.value));
    // The selector picks objects, never series (spec): keep the items whose object matches.
    const names = await opts.kube.selectNames(r.kind, r.namespace, labelSelector);
    if (!names.ok) return names;
    return ok(list(ctx, resourceRef, items.value.filter((i) => names.value.has(i.resource.name ?? '')), labelSelector));
  }

  return async (req) => {
    const url = new URL(req.url, 'https://metrics.invalid');
    const routed = route(url.pathname);
    if (routed.ok && routed.value.type === 'health') return reply('ok');
    let user: UserInfo | undefined;
    if (opts.frontProxy) {
      const authn = authenticate(opts.frontProxy, req.peer, req.headers);
      if (!authn.ok) return errorReply(authn.error);
      user = authn.value;
    }
    if (!routed.ok) return errorReply(routed.error);
    const r = routed.value;
    if (req.method !== 'GET') return errorReply({ reason: 'MethodNotAllowed', message: `${req.method} is not supported: metrics are read-only (get, list)` });
    if (r.type === 'health') return reply('ok');
    if (r.type === 'discovery') {
      // Discovery is open to every authenticated user, as system:discovery is on a real API server.
      const docs = { groupList: apiGroupList, group: apiGroup, resourceList: apiResourceList, openapiV2: openApiV2, openapiV3: openApiV3Root };
      return reply(docs[r.doc]());
    }
    if (user) {
      const allowed = await authorize(r, user);
      if (!allowed.ok) return errorReply(allowed.error);
    }
    const started = Date.now();
    const body = await metrics(r, url.searchParams, url.pathname);
    const log = { path: url.pathname, user: user?.username, mesh: opts.mesh, ms: Date.now() - started };
    if (!body.ok) {
      opts.logger.warn('metrics request failed', { ...log, reason: body.error.reason, error: body.error.message });
      return errorReply(body.error);
    }
    opts.logger.info('metrics request', log);
    return reply(body.value);
  };
}
