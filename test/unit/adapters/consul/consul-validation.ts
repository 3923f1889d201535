// Test model of what Consul and consul-k8s accept, for the config entries this adapter
// emits. Each rule names where it comes from (see docs/adapters/consul.md, "Validation"):
//   [I] hashicorp/consul agent/structs/config_entry_intentions.go  ServiceIntentionsConfigEntry.validate
//   [D] hashicorp/consul agent/structs/config_entry_discoverychain.go  Router/Splitter/Resolver Validate
//   [S] hashicorp/consul agent/structs/config_entry.go  ServiceConfigEntry.Validate, MutualTLSMode.validate
//   [G] hashicorp/consul agent/consul/state/config_entry.go  validateProposedConfigEntryInServiceGraph
//       (L7 intentions and routers/splitters need an HTTP-like protocol: http, http2, grpc)
//   [K] hashicorp/consul-k8s control-plane/api/v1alpha1 *_types.go Validate and *_webhook.go
// A config entry Consul would refuse yields an error string; [] means accepted.

import type { KubeObject } from '../../../../schemas/hub.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = Record<string, any>;

const HTTP_LIKE = new Set(['http', 'http2', 'grpc']);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);
const SUBSET = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const META_VALUE_MAX = 512; // agent/structs/structs.go metaValueMaxLength

function wildcardErrors(at: string, name: unknown): string[] {
  if (typeof name !== 'string' || name === '') return [`${at}: name is required [I]`];
  return name !== '*' && name.includes('*') ? [`${at}: wildcard character '*' cannot be used with partial values [I]`] : [];
}

/** An L7 match block (intention permission http, router route match.http). */
function httpMatchErrors(at: string, http: Any | undefined, requireNonEmpty: boolean): string[] {
  if (!http) return requireNonEmpty ? [`${at}: is required [I]`] : [];
  const errors: string[] = [];
  let parts = 0;
  for (const k of ['pathExact', 'pathPrefix'] as const) {
    if (http[k] !== undefined && http[k] !== '') {
      parts++;
      if (!String(http[k]).startsWith('/')) errors.push(`${at}.${k}: doesn't start with '/' [I][D][K]`);
    }
  }
  if (http.pathRegex !== undefined && http.pathRegex !== '') parts++;
  if (parts > 1) errors.push(`${at}: at most one of pathExact, pathPrefix, pathRegex [I][D][K]`);
  let fields = parts;
  for (const [i, h] of ((http.header ?? []) as Any[]).entries()) {
    if (!h.name) errors.push(`${at}.header[${i}]: missing required name [I][D]`);
    const n = (h.present ? 1 : 0) + ['exact', 'prefix', 'suffix', 'regex'].filter((k) => typeof h[k] === 'string' && h[k] !== '').length;
    if (n !== 1) errors.push(`${at}.header[${i}]: should contain exactly one of present, exact, prefix, suffix, regex [I][D]`);
    fields++;
  }
  const seen = new Set<string>();
  for (const m of (http.methods ?? []) as string[]) {
    if (!METHODS.has(m)) errors.push(`${at}.methods: invalid method ${JSON.stringify(m)} [I][D][K]`);
    if (seen.has(m)) errors.push(`${at}.methods: ${m} listed more than once [I][D][K]`);
    seen.add(m);
  }
  if ((http.methods ?? []).length > 0) fields++;
  if (requireNonEmpty && fields === 0) errors.push(`${at}: should not be empty [I]`);
  return errors;
}

function intentionErrors(spec: Any): string[] {
  const errors = wildcardErrors('spec.destination.name', spec.destination?.name);
  const sources = (spec.sources ?? []) as Any[];
  if (sources.length === 0) errors.push('spec.sources: at least one source is required [I][K]');
  const seen = new Set<string>();
  sources.forEach((s, i) => {
    const at = `spec.sources[${i}]`;
    errors.push(...wildcardErrors(at, s.name));
    if (seen.has(s.name)) errors.push(`${at}: defines ${JSON.stringify(s.name)} more than once [I]`);
    seen.add(s.name);
    if (s.namespace !== undefined || s.partition !== undefined) errors.push(`${at}: namespace/partition need Consul Enterprise [K]`);
    if (typeof s.description === 'string' && s.description.length > META_VALUE_MAX) errors.push(`${at}.description: exceeds ${META_VALUE_MAX} characters [I]`);
    const perms = (s.permissions ?? []) as Any[];
    if (perms.length > 0 && s.action !== undefined) errors.push(`${at}: action must be omitted if permissions are specified [I][K]`);
    if (perms.length === 0 && s.action !== 'allow' && s.action !== 'deny') errors.push(`${at}.action: must be allow or deny [I][K]`);
    perms.forEach((p, j) => {
      if (p.action !== 'allow' && p.action !== 'deny') errors.push(`${at}.permissions[${j}].action: must be allow or deny [I][K]`);
      errors.push(...httpMatchErrors(`${at}.permissions[${j}].http`, p.http, true));
    });
  });
  return errors;
}

function splitterErrors(name: string, spec: Any): string[] {
  const splits = (spec.splits ?? []) as Any[];
  if (splits.length === 0) return ['spec.splits: no splits configured [D]'];
  const errors: string[] = [];
  const seen = new Set<string>();
  let sum = 0;
  for (const s of splits) {
    const key = `${s.service || name}/${s.serviceSubset ?? ''}`;
    if (seen.has(key)) errors.push(`spec.splits: split destination occurs more than once: ${key} [D]`);
    seen.add(key);
    sum += Math.round(Number(s.weight ?? 0) * 100);
  }
  if (sum !== 10000) errors.push(`spec.splits: the sum of all split weights must be 100, not ${sum / 100} [D]`);
  return errors;
}

function routerErrors(spec: Any): string[] {
  return ((spec.routes ?? []) as Any[]).flatMap((r, i) => httpMatchErrors(`spec.routes[${i}].match.http`, r.match?.http, false));
}

function resolverErrors(spec: Any): string[] {
  return Object.keys(spec.subsets ?? {}).flatMap((n) => (n.length > 0 && n.length <= 63 && SUBSET.test(n) ? [] : [`spec.subsets.${n}: invalid subset name [D]`]));
}

function defaultsErrors(spec: Any): string[] {
  const errors: string[] = [];
  if (spec.protocol !== undefined && !['tcp', 'http', 'http2', 'grpc'].includes(spec.protocol)) errors.push(`spec.protocol: ${JSON.stringify(spec.protocol)} is not tcp, http, http2 or grpc [K]`);
  if (spec.mutualTLSMode !== undefined && !['', 'strict', 'permissive'].includes(spec.mutualTLSMode)) errors.push(`spec.mutualTLSMode: invalid [S]`);
  return errors;
}

/** The Consul name a resource configures: metadata.name, or spec.destination.name for intentions [K]. */
function consulName(o: KubeObject): string {
  const spec = (o.spec ?? {}) as Any;
  return o.kind === 'ServiceIntentions' ? String(spec.destination?.name) : o.metadata.name;
}

/** Every reason Consul or consul-k8s would refuse one of `objects` (a whole rendered output). */
export function consulErrors(objects: readonly KubeObject[]): string[] {
  const errors: string[] = [];
  const at = (o: KubeObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
  const key = (ns: string | undefined, kind: string, name: string) => `${ns}|${kind}|${name}`;
  const byKey = new Map<string, KubeObject>();
  for (const o of objects) {
    const k = key(o.metadata.namespace, o.kind, consulName(o));
    if (byKey.has(k)) errors.push(`${at(o)}: a second ${o.kind} for Consul service ${consulName(o)} [K]`);
    byKey.set(k, o);
  }
  // Consul's default protocol is tcp; this adapter relies on no proxy-defaults.
  const protocol = (ns: string | undefined, service: string): string => ((byKey.get(key(ns, 'ServiceDefaults', service))?.spec ?? {}) as Any).protocol ?? 'tcp';
  for (const o of objects) {
    const spec = (o.spec ?? {}) as Any;
    const ns = o.metadata.namespace;
    const own: string[] = [];
    switch (o.kind) {
      case 'ServiceIntentions': {
        own.push(...intentionErrors(spec));
        const l7 = ((spec.sources ?? []) as Any[]).some((s) => (s.permissions ?? []).length > 0);
        const p = protocol(ns, consulName(o));
        if (l7 && !HTTP_LIKE.has(p)) own.push(`service ${JSON.stringify(consulName(o))} has protocol ${JSON.stringify(p)}, which is incompatible with L7 intentions permissions [G]`);
        break;
      }
      case 'ServiceSplitter':
      case 'ServiceRouter': {
        own.push(...(o.kind === 'ServiceSplitter' ? splitterErrors(o.metadata.name, spec) : routerErrors(spec)));
        const p = protocol(ns, o.metadata.name);
        if (!HTTP_LIKE.has(p)) own.push(`service ${o.metadata.name} has protocol ${p}; ${o.kind} needs http, http2 or grpc [D][G]`);
        const targets = o.kind === 'ServiceSplitter' ? ((spec.splits ?? []) as Any[]).map((s) => ({ service: s.service || o.metadata.name, subset: s.serviceSubset })) : ((spec.routes ?? []) as Any[]).map((r) => ({ service: r.destination?.service || o.metadata.name, subset: r.destination?.serviceSubset }));
        for (const t of targets) {
          if (protocol(ns, t.service) !== p) own.push(`discovery chain ${o.metadata.name} uses inconsistent protocols: ${t.service} is ${protocol(ns, t.service)} [G]`);
          if (t.subset !== undefined && !(((byKey.get(key(ns, 'ServiceResolver', t.service))?.spec ?? {}) as Any).subsets ?? {})[t.subset]) {
            own.push(`subset ${t.subset} of service ${t.service} is not defined by its ServiceResolver [D]`);
          }
        }
        break;
      }
      case 'ServiceResolver':
        own.push(...resolverErrors(spec));
        break;
      case 'ServiceDefaults':
        own.push(...defaultsErrors(spec));
        break;
      default:
        own.push(`unexpected kind ${o.kind}`);
    }
    errors.push(...own.map((e) => `${at(o)}: ${e}`));
  }
  return errors;
}
