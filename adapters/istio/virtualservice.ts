// ResolvedSplit -> one networking.istio.io/v1 VirtualService on the root Service's FQDN.
// Weights are relative in Istio (a destination gets weight/sum), so the SMI weights are
// copied, divided by their common divisor or, past int32, scaled (weights.ts).
// Destinations carry no port: Istio then routes each request to the backend port
// with the number the client used (GetDestinationCluster uses the listener port),
// and resolve() guarantees every backend serves every root port. So one route
// table covers all ports exactly, with no per-port duplication.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import type { HttpCondition, RenderNote, ResolvedSplit } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import type { MeshOptions } from '../types.js';
import { serviceFqdn, VIRTUAL_SERVICE, WEIGHT_LIMITS } from './kinds.js';
import { classifyPort } from './protocol.js';
import { prefixFullMatch } from '../common/regex.js';
import { approximationNotes, relativeWeights } from '../common/weights.js';
import { regexBytes } from '../../schemas/regex.js';

type StringMatch = { exact: string } | { regex: string };

interface HttpMatchRequest {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
}

interface WeightedDestination {
  destination: { host: string };
  weight?: number;
}

/** Fields of one SMI match are ANDed, exactly as within one Istio HTTPMatchRequest. */
export function httpMatchRequest(c: HttpCondition): HttpMatchRequest {
  const m: HttpMatchRequest = {};
  if (c.pathRegex !== undefined) m.uri = { regex: prefixFullMatch(c.pathRegex) };
  const methods = c.methods ?? [];
  // One request has one method, so an alternation is exact and avoids a match per method.
  if (methods.length === 1) m.method = { exact: methods[0] as string };
  else if (methods.length > 1) m.method = { regex: methods.join('|') };
  if (c.headers.length > 0) {
    m.headers = {};
    // Envoy full-matches header regexes, which is the model's whole-value semantics already. Istio's validation
    // rejects an empty regex ("regex string match should not be empty"); under a full match '' and '^$' are the same.
    for (const h of c.headers) m.headers[h.name] = { regex: h.regex === '' ? '^$' : h.regex };
  }
  return m;
}

/**
 * Istio's longest regex, in UTF-8 bytes (pkg/config/validation validateStringRegexp:
 * `len(re) > 1024` is "regex is too large"; an empty regex is rejected too). Admission
 * bounds SMI regexes to the same size, but rewriting can lengthen them (`(?:R).*`).
 */
export const ISTIO_MAX_REGEX_BYTES = 1024;

/** Why istiod would reject a regex of this match request, or undefined. */
export function matchRequestProblem(m: HttpMatchRequest): string | undefined {
  const regexes: Array<[string, StringMatch | undefined]> = [['uri', m.uri], ['method', m.method], ...Object.entries(m.headers ?? {}).map(([n, v]): [string, StringMatch] => [`header ${n}`, v])];
  for (const [what, sm] of regexes) {
    if (!sm || !('regex' in sm)) continue;
    if (sm.regex === '') return `the ${what} regex would be empty, which Istio rejects`;
    const bytes = regexBytes(sm.regex);
    if (bytes > ISTIO_MAX_REGEX_BYTES) return `the ${what} regex would be ${bytes} bytes, over the ${ISTIO_MAX_REGEX_BYTES} Istio accepts`;
  }
  return undefined;
}

export interface SplitRender {
  objects: KubeObject[];
  notes: RenderNote[];
}

export function renderSplit(s: ResolvedSplit, options: MeshOptions): SplitRender {
  const ref = objectRef(s.split);
  const notes: RenderNote[] = [];
  const note = (message: string, status?: RenderNote['status']): void => {
    notes.push(status ? { object: ref, status, message } : { object: ref, message });
  };
  const rootHost = serviceFqdn(s.root.name, s.root.namespace, options.clusterDomain);
  const w = relativeWeights(
    s.backends.map((b) => b.weight),
    WEIGHT_LIMITS,
  );
  if (!w) {
    note('spec.backends: no backend has a weight above 0; nothing to split', 'Invalid');
    return { objects: [], notes };
  }
  const scaled = `the weights do not fit Istio's int32 route weights (their sum must stay within ${WEIGHT_LIMITS.maxTotal}) even divided by their common divisor; they are scaled to sum ${w.weights.reduce((a, b) => a + b, 0)}`;
  for (const m of approximationNotes(s.backends, w, { mesh: 'Istio', step: 'one part in the scaled sum', scaled })) note(m);
  const weighted: WeightedDestination[] = s.backends.map((b, i) => ({
    destination: { host: serviceFqdn(b.service.name, b.service.namespace, options.clusterDomain) },
    weight: w.weights[i]!,
  }));

  const classes = s.root.ports.map((p) => ({ port: p, cls: classifyPort(p) }));
  const http = classes.some((c) => c.cls === 'http' || c.cls === 'sniffed');
  const tcp = classes.some((c) => c.cls === 'tcp' || c.cls === 'sniffed');
  const tls = classes.filter((c) => c.cls === 'tls').map((c) => c.port.port);
  for (const c of classes.filter((x) => x.cls === 'unproxied')) {
    note(`spec.service: port ${c.port.port}/${c.port.protocol ?? 'TCP'} of Service ${s.namespace}/${s.root.name} is not proxied by Istio; traffic to it is not split`);
  }

  const spec: Record<string, unknown> = { hosts: [rootHost] };
  // A condition istiod would reject is left out, so its requests stay on the root Service (narrower).
  const requests = s.matches.flatMap((c) => {
    const m = httpMatchRequest(c);
    const why = matchRequestProblem(m);
    if (!why) return [{ c, m }];
    note(`spec.matches: ${c.origin} is not split: ${why}`, 'Unsupported');
    return [];
  });
  const matchAll = s.matches.length === 0 || requests.some(({ m }) => Object.keys(m).length === 0);
  if (s.matches.length > 0 && requests.length === 0) {
    note(`spec.matches: no match of the split can be expressed for Istio, so nothing is split`, 'Unsupported');
    return { objects: [], notes };
  }
  if (s.matches.length > 0) {
    // Only HTTP requests can match an HTTPRouteGroup; TCP and TLS traffic stays on the root Service.
    if (!http) {
      note(`spec.matches: Service ${s.namespace}/${s.root.name} has no HTTP port, so no request can match and the split has no effect`, 'Unsupported');
      return { objects: [], notes };
    }
    if (matchAll) {
      spec.http = [{ name: 'smi-split', route: weighted }];
    } else {
      const seen = new Map<string, number>();
      const routes: unknown[] = requests.map(({ c, m }) => {
        const n = (seen.get(c.origin) ?? 0) + 1;
        seen.set(c.origin, n);
        return { name: n === 1 ? c.origin : `${c.origin}#${n}`, match: [m], route: weighted };
      });
      routes.push({ name: 'smi-default', route: [{ destination: { host: rootHost } }] });
      spec.http = routes;
    }
  } else {
    if (http) spec.http = [{ name: 'smi-split', route: weighted }];
    if (tcp) spec.tcp = [{ route: weighted }];
    if (tls.length > 0) {
      // Istio routes unterminated TLS only through `tls` routes, which must match on SNI.
      spec.tls = [{ match: tls.map((port) => ({ port, sniHosts: [rootHost] })), route: weighted }];
      note(`spec.service: TLS port(s) ${tls.join(', ')} are split only for connections whose SNI is ${rootHost}; other TLS connections go to the root Service`);
    }
  }
  if (!spec.http && !spec.tcp && !spec.tls) {
    note(`spec.service: Service ${s.namespace}/${s.root.name} has no port Istio proxies; nothing to split`, 'Unsupported');
    return { objects: [], notes };
  }
  const name = nativeName('smi-split', s.split.metadata.name);
  const vs: KubeObject = {
    apiVersion: VIRTUAL_SERVICE.apiVersion,
    kind: VIRTUAL_SERVICE.kind,
    metadata: managedMetadata(name, s.namespace, 'istio', [s.split]),
    spec,
  };
  return { objects: [vs], notes };
}
