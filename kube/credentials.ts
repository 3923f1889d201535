// Kubeconfig and in-cluster credentials without @kubernetes/client-node: that
// package costs ~80 MiB RSS on import (it pulls the generated API models),
// while the operator needs only a server URL, TLS material and a token. Users
// this loader cannot serve (exec plugins, auth-provider, basic auth) fall back
// to client-node's KubeConfig, imported only then.

import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import yaml from 'js-yaml';

/** What HttpKubeClient needs of a kubeconfig. client-node's KubeConfig has this shape too. */
export interface KubeCredentials {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

export type CredentialsResult = { ok: true; value: KubeCredentials } | { ok: false; error: string };

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** A token file is re-read this often, so rotated (projected) tokens are picked up, as client-go does. */
const TOKEN_REFRESH_MS = 60_000;

export interface LoadOptions {
  /** --kubeconfig; else $KUBECONFIG (a ':'-separated list, merged first-wins); else in-cluster. */
  path?: string;
  /** --context: use this context instead of the kubeconfig's current-context. */
  context?: string;
  env?: NodeJS.ProcessEnv;
  /** In-cluster: where token and ca.crt live (tests point it at a temp dir). */
  serviceAccountDir?: string;
  now?: () => number;
  /** Try $HOME/.kube/config before in-cluster, as kubectl does (user-facing commands; the operator does not). */
  homeKubeconfig?: boolean;
}

interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure: boolean;
}

/** Static TLS options plus a bearer token that may come from a file re-read periodically. */
export class StaticCredentials implements KubeCredentials {
  private cached?: { token: string; at: number };

  constructor(
    readonly server: string,
    private readonly tls: TlsMaterial,
    private readonly token?: { value: string } | { file: string },
    private readonly now: () => number = Date.now,
  ) {}

  getCurrentCluster(): { server: string } {
    return { server: this.server };
  }

  private bearer(): string | undefined {
    if (!this.token) return undefined;
    if ('value' in this.token) return this.token.value;
    const t = this.now();
    if (!this.cached || t - this.cached.at >= TOKEN_REFRESH_MS) {
      try {
        this.cached = { token: readFileSync(this.token.file, 'utf8').trim(), at: t };
      } catch (e) {
        // Keep the last good token through a brief gap (the kubelet swaps the file atomically).
        if (!this.cached) throw new Error(`cannot read token file ${this.token.file}: ${(e as Error).message}`, { cause: e });
      }
    }
    return this.cached!.token;
  }

  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    try {
      if (this.tls.ca) opts.ca = this.tls.ca;
      if (this.tls.cert) opts.cert = this.tls.cert;
      if (this.tls.key) opts.key = this.tls.key;
      opts.rejectUnauthorized = !this.tls.insecure;
      const token = this.bearer();
      if (token) opts.headers = { ...(opts.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

type Fail = { ok: false; error: string };
const fail = (error: string): Fail => ({ ok: false, error });

// ---- kubeconfig files ----

type Dict = Record<string, unknown>;
interface Named {
  name: string;
  body: Dict;
  /** Directory of the file it came from: relative paths resolve against it (as kubectl does). */
  dir: string;
}
interface Merged {
  currentContext?: string;
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
}

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (d: Dict, k: string): string | undefined => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : undefined);

function readKubeconfigFile(file: string, into: Merged, optional: boolean): Fail | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    // kubectl skips missing files of a $KUBECONFIG list; a single named file must exist.
    if (optional && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return fail(`kubeconfig ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (e) {
    return fail(`kubeconfig ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === undefined || doc === null) return undefined; // an empty file adds nothing
  if (!isDict(doc)) return fail(`kubeconfig ${file}: not a YAML mapping`);
  if (!into.currentContext && typeof doc['current-context'] === 'string' && doc['current-context']) into.currentContext = doc['current-context'];
  const dir = dirname(resolve(file));
  for (const [list, inner, map] of [['clusters', 'cluster', into.clusters], ['users', 'user', into.users], ['contexts', 'context', into.contexts]] as const) {
    const items = doc[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) return fail(`kubeconfig ${file}: ${list} must be a list`);
    for (const [i, item] of items.entries()) {
      if (!isDict(item) || typeof item.name !== 'string') return fail(`kubeconfig ${file}: ${list}[${i}].name is missing`);
      // First file to define a name wins, as with kubectl's KUBECONFIG merge.
      if (!map.has(item.name)) map.set(item.name, { name: item.name, body: isDict(item[inner]) ? item[inner] : {}, dir });
    }
  }
  return undefined;
}

/** `<field>-data` (base64) or `<field>` (a file path, relative to the kubeconfig's directory). */
function material(entry: Named, what: string, field: string): { ok: true; value?: Buffer } | Fail {
  const data = str(entry.body, `${field}-data`);
  if (data) return { ok: true, value: Buffer.from(data, 'base64') };
  const file = str(entry.body, field);
  if (!file) return { ok: true };
  const path = isAbsolute(file) ? file : join(entry.dir, file);
  try {
    return { ok: true, value: readFileSync(path) };
  } catch (e) {
    return fail(`${what} "${entry.name}": ${field}: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** User entries only client-node can serve (its code runs commands or talks to identity providers). */
function needsClientNode(user: Dict): string | undefined {
  for (const k of ['exec', 'auth-provider', 'username', 'password']) if (user[k] !== undefined) return k;
  return undefined;
}

async function clientNodeFallback(files: string[], contextName: string): Promise<CredentialsResult> {
  try {
    // Dynamic: the import costs ~80 MiB, paid only by users that need it.
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    if (files.length === 1) kc.loadFromFile(files[0]!);
    else kc.loadFromDefault(); // its own merge of the $KUBECONFIG list
    kc.setCurrentContext(contextName);
    if (!kc.getCurrentCluster()) return fail(`kubeconfig ${files.join(':')}: context "${contextName}" has no cluster`);
    return { ok: true, value: kc };
  } catch (e) {
    return fail(`kubeconfig ${files.join(':')}: ${(e as Error).message}`);
  }
}

export async function loadKubeconfigFiles(files: string[], o: LoadOptions = {}): Promise<CredentialsResult> {
  const m: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    const err = readKubeconfigFile(f, m, files.length > 1);
    if (err) return err;
  }
  const where = `kubeconfig ${files.join(':')}`;
  const contextName = o.context ?? m.currentContext;
  if (!contextName) return fail(`${where}: current-context is not set`);
  const ctx = m.contexts.get(contextName);
  if (!ctx) return fail(o.context ? `${where}: context "${o.context}" is not in contexts` : `${where}: current-context "${contextName}" is not in contexts`);
  const clusterName = str(ctx.body, 'cluster');
  if (!clusterName) return fail(`${where}: context "${ctx.name}": cluster is missing`);
  const cluster = m.clusters.get(clusterName);
  if (!cluster) return fail(`${where}: context "${ctx.name}": cluster "${clusterName}" is not in clusters`);
  const server = str(cluster.body, 'server');
  if (!server) return fail(`${where}: cluster "${cluster.name}": server is missing`);
  if (!/^https:\/\//i.test(server)) return fail(`${where}: cluster "${cluster.name}": server must be an https:// URL, got ${JSON.stringify(server)}`);
  const userName = str(ctx.body, 'user');
  const user = userName ? m.users.get(userName) : undefined;
  if (userName && !user) return fail(`${where}: context "${ctx.name}": user "${userName}" is not in users`);
  if (user) {
    const other = needsClientNode(user.body);
    if (other) return clientNodeFallback(files, contextName);
  }

  const ca = material(cluster, 'cluster', 'certificate-authority');
  if (!ca.ok) return fail(`${where}: ${ca.error}`);
  const tls: TlsMaterial = { ca: ca.value, insecure: cluster.body['insecure-skip-tls-verify'] === true };
  let token: { value: string } | { file: string } | undefined;
  if (user) {
    const cert = material(user, 'user', 'client-certificate');
    if (!cert.ok) return fail(`${where}: ${cert.error}`);
    const key = material(user, 'user', 'client-key');
    if (!key.ok) return fail(`${where}: ${key.error}`);
    if (!!cert.value !== !!key.value) {
      return fail(`${where}: user "${user.name}": ${cert.value ? 'client-certificate(-data) without client-key(-data)' : 'client-key(-data) without client-certificate(-data)'}`);
    }
    tls.cert = cert.value;
    tls.key = key.value;
    const value = str(user.body, 'token');
    const file = str(user.body, 'tokenFile');
    if (value) token = { value };
    else if (file) {
      token = { file: isAbsolute(file) ? file : join(user.dir, file) };
      try {
        readFileSync(token.file);
      } catch (e) {
        return fail(`${where}: user "${user.name}": tokenFile: cannot read ${token.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }
  return { ok: true, value: new StaticCredentials(server, tls, token, o.now) };
}

/** The pod's ServiceAccount: token (re-read as it rotates), ca.crt, and the API server from the Service env vars. */
export function loadInCluster(o: LoadOptions = {}): CredentialsResult {
  const env = o.env ?? process.env;
  if (o.context) return fail(`--context "${o.context}" needs a kubeconfig (--kubeconfig or $KUBECONFIG)`);
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return fail('no kubeconfig (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  const dir = o.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenFile = join(dir, 'token');
  let ca: Buffer;
  try {
    readFileSync(tokenFile);
    ca = readFileSync(join(dir, 'ca.crt'));
  } catch (e) {
    return fail(`in-cluster: cannot read ${(e as NodeJS.ErrnoException).path ?? dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { ok: true, value: new StaticCredentials(server, { ca, insecure: false }, { file: tokenFile }, o.now) };
}

/**
 * --kubeconfig, else $KUBECONFIG, else in-cluster, else ~/.kube/config: controller-runtime's
 * order, so `smictl operator` run from a laptop works like kubectl does.
 */
export async function loadCredentials(o: LoadOptions = {}): Promise<CredentialsResult> {
  const env = o.env ?? process.env;
  if (o.path) return loadKubeconfigFiles([o.path], o);
  const list = (env.KUBECONFIG ?? '').split(':').filter((s) => s !== '');
  if (list.length) return loadKubeconfigFiles(list, o);
  const home = env.HOME ? join(env.HOME, '.kube', 'config') : undefined;
  if (o.homeKubeconfig && home && existsSync(home)) return loadKubeconfigFiles([home], o);
  const inCluster = loadInCluster({ ...o, context: undefined });
  if (inCluster.ok && !o.context) return inCluster;
  // Not in a pod (or --context given): ~/.kube/config, as controller-runtime does after in-cluster.
  if (home && existsSync(home)) return loadKubeconfigFiles([home], o);
  return o.context ? loadInCluster(o) : inCluster;
}
