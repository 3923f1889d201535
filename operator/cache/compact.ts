// How an informer keeps an object it holds many of: as the JSON text of its
// transformed form, with the fragments every object repeats replaced by one
// character each, parsed again on every read. V8 keeps a one-byte string at ~1
// byte a character; the same object as a tree of objects, arrays and strings costs
// two to three times the text, and the text shrinks by almost half with the
// fragments replaced. Reads get a fresh object each time, so no reader can change
// what another one sees (but for objects over MAX_TEXT, kept and shared as before).
//
// apiVersion and kind are the informer's own and not kept in the text; a decoded
// object always starts with them (list items and watch events order their keys
// differently, so no reader can depend on the order).

import type { KubeObject } from '../../schemas/hub.js';

/** Encoded object: packed JSON text without apiVersion and kind, or the object itself (not the informer's kind, or too large). */
export type Stored = string | KubeObject;

/**
 * Fragments of the JSON text Kubernetes objects repeat: metadata keys, status conditions, the
 * SMI and mesh specs' keys, the operator's own labels. Only a hint for size: any text packs and
 * unpacks to itself whatever is listed. At most 30 (\x01-\x1e).
 */
const FRAGMENTS = [
  '{"metadata":{',
  '"name":"',
  '","namespace":"',
  '","uid":"',
  '","resourceVersion":"',
  '"creationTimestamp":"',
  '"generation":',
  '"labels":{',
  '"annotations":{',
  '},"spec":{',
  '"status":{"conditions":[{',
  '"lastTransitionTime":"',
  '","message":"',
  '"observedGeneration":',
  ',"reason":"',
  '","status":"',
  '","type":"',
  '"kind":"',
  '"apiVersion":"',
  '"ownerReferences":[{',
  '"app.kubernetes.io/managed-by":"smi-operator"',
  '"smi-operator.io/',
  '.svc.cluster.local',
  '"selector":{',
  '"ports":[{',
  '"port":',
  '"matches":[',
  '"ServiceAccount"',
  '"HTTPRouteGroup"',
  '"destination":{',
] as const;

/** Learned strings (namespaces) are written as \x1f and one printable character: 94 of them. */
const LEARNED_MAX = 94;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces fragments (fixed, and the namespaces seen, which recur in names, hosts and
 * references) by control characters. JSON.stringify writes every character below 0x20 as an
 * escape, so none occurs in its output and the replacement is undone exactly. A token once
 * given is never given to another string, so text packed earlier unpacks the same later.
 */
export class TextDictionary {
  private readonly strings: string[] = [];
  private readonly token = new Map<string, string>();
  private readonly learned = new Set<string>();
  private pattern!: RegExp;

  constructor() {
    FRAGMENTS.forEach((f, i) => this.assign(f, String.fromCharCode(i + 1)));
    this.compile();
  }

  private assign(s: string, t: string): void {
    this.token.set(s, t);
    this.strings[t.length === 1 ? t.charCodeAt(0) : 0x20 + t.charCodeAt(1)] = s;
  }

  private compile(): void {
    this.pattern = new RegExp([...this.token.keys()].sort((a, b) => b.length - a.length).map(escapeRe).join('|'), 'g');
  }

  /** Remember a namespace (up to LEARNED_MAX; past that, later ones are kept literally). */
  learn(s: string | undefined): void {
    if (!s || s.length < 4 || this.learned.has(s) || this.token.has(s) || this.learned.size >= LEARNED_MAX) return;
    this.assign(s, `\x1f${String.fromCharCode(0x21 + this.learned.size)}`);
    this.learned.add(s);
    this.compile();
  }

  pack(json: string): string {
    return json.replace(this.pattern, (m) => this.token.get(m)!);
  }

  unpack(text: string): string {
    // The control characters are the point: they never occur in JSON.stringify's output.
    // eslint-disable-next-line no-control-regex
    return text.replace(/\x1f[\x21-\x7e]|[\x01-\x1e]/g, (t) => this.strings[t.length === 1 ? t.charCodeAt(0) : 0x20 + t.charCodeAt(1)]!);
  }
}

/**
 * Objects whose JSON is longer are kept as they are (shared by every reader, as before compact
 * stores): parsing one on every read, and packing it, would cost the event loop tens to hundreds
 * of milliseconds (a 1.4 MB object of 60,000 fragments took 0.7 s to unpack), and what the
 * operator writes and watches by the thousand is under 2 KB.
 */
export const MAX_TEXT = 16 * 1024;

export class JsonCodec {
  private readonly head: string;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    private readonly dictionary = new TextDictionary(),
  ) {
    this.head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)}`;
  }

  encode(o: KubeObject): Stored {
    const { apiVersion, kind, ...rest } = o;
    if (apiVersion !== this.apiVersion || kind !== this.kind) return o;
    const json = JSON.stringify(rest);
    if (json.length > MAX_TEXT) return o;
    this.dictionary.learn(o.metadata?.namespace);
    return this.dictionary.pack(json);
  }

  decode(s: Stored): KubeObject {
    if (typeof s !== 'string') return s;
    const json = this.dictionary.unpack(s);
    return JSON.parse(json.length === 2 ? `${this.head}}` : `${this.head},${json.slice(1)}`) as KubeObject;
  }
}
