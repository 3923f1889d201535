// Authentication of the aggregator (front proxy): the kube-apiserver calls us with
// its front-proxy client certificate and names the real caller in request headers.
// We trust those headers only when the TLS client certificate chains to the
// requestheader CA and its CN is an allowed name (all names allowed when the list
// is empty), the same rules the API server itself publishes in
// kube-system/extension-apiserver-authentication.

import { fail, ok, type Result } from './errors.js';
import type { KubeAccess, UserInfo } from './kube.js';

export interface FrontProxyConfig {
  caPem: string;
  allowedNames: string[];
  usernameHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

export const AUTH_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' };

function jsonList(text: string | undefined, fallback: string[]): string[] {
  if (text === undefined || text === '') return fallback;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : fallback;
  } catch {
    return fallback;
  }
}

export function frontProxyConfigFrom(data: Record<string, string>): Result<FrontProxyConfig> {
  const caPem = data['requestheader-client-ca-file'];
  if (!caPem) return fail('InternalError', `${AUTH_CONFIGMAP.namespace}/${AUTH_CONFIGMAP.name} has no requestheader-client-ca-file: is the aggregation layer configured?`);
  return ok({
    caPem,
    allowedNames: jsonList(data['requestheader-allowed-names'], []),
    usernameHeaders: jsonList(data['requestheader-username-headers'], ['X-Remote-User']),
    groupHeaders: jsonList(data['requestheader-group-headers'], ['X-Remote-Group']),
    extraHeaderPrefixes: jsonList(data['requestheader-extra-headers-prefix'], ['X-Remote-Extra-']),
  });
}

export async function loadFrontProxyConfig(kube: KubeAccess): Promise<Result<FrontProxyConfig>> {
  const data = await kube.getConfigMap(AUTH_CONFIGMAP.namespace, AUTH_CONFIGMAP.name);
  if (!data.ok) return fail(data.error.reason, `reading front-proxy settings: ${data.error.message}`);
  return frontProxyConfigFrom(data.value);
}

/** What the TLS layer found out about the peer. */
export interface PeerInfo {
  /** The client certificate verified against the requestheader CA. */
  verified: boolean;
  commonName?: string;
}

type Headers = Record<string, string | string[] | undefined>;

const values = (h: Headers, name: string): string[] => {
  const v = h[name.toLowerCase()];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

export function authenticate(cfg: FrontProxyConfig, peer: PeerInfo, headers: Headers): Result<UserInfo> {
  if (!peer.verified) return fail('Unauthorized', 'Unauthorized: no client certificate signed by the front-proxy (requestheader) CA');
  if (cfg.allowedNames.length > 0 && !cfg.allowedNames.includes(peer.commonName ?? '')) {
    return fail('Unauthorized', `Unauthorized: client certificate CN "${peer.commonName ?? ''}" is not an allowed requestheader name`);
  }
  const username = cfg.usernameHeaders.flatMap((h) => values(headers, h)).find((v) => v !== '');
  if (username === undefined) return fail('Unauthorized', 'Unauthorized: no user in the requestheader username headers');
  const groups = cfg.groupHeaders.flatMap((h) => values(headers, h)).flatMap((v) => v.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  const extra: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(headers)) {
    const prefix = cfg.extraHeaderPrefixes.find((p) => name.toLowerCase().startsWith(p.toLowerCase()));
    if (!prefix || v === undefined) continue;
    // The key is percent-encoded (the API server's requestheader authenticator unescapes it the
    // same way); a malformed escape is the caller's error, never ours.
    let key: string;
    try {
      key = decodeURIComponent(name.slice(prefix.length)).toLowerCase();
    } catch {
      return fail('BadRequest', `malformed header ${name}: the extra key after ${prefix} is not valid percent-encoding`);
    }
    extra[key] = [...(extra[key] ?? []), ...(Array.isArray(v) ? v : [v])];
  }
  return ok({ username, groups, extra });
}
