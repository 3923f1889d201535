// How an informer keeps an object it holds many of: as the JSON text of its
// transformed form, parsed again on every read. V8 keeps a one-byte string at
// ~1 byte a character; the same object as a tree of objects, arrays, numbers and
// strings costs two to three times that. Reads get a fresh object each time, so no
// reader can change what another one sees.
//
// apiVersion and kind are the informer's own and not kept in the text; a decoded
// object always starts with them (list items and watch events order their keys
// differently, so no reader can depend on the order).

import type { KubeObject } from '../../schemas/hub.js';

/** Encoded object: JSON text without apiVersion and kind, or the object itself if they are not the informer's. */
export type Stored = string | KubeObject;

export class JsonCodec {
  private readonly head: string;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    this.head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)}`;
  }

  encode(o: KubeObject): Stored {
    const { apiVersion, kind, ...rest } = o;
    if (apiVersion !== this.apiVersion || kind !== this.kind) return o;
    return JSON.stringify(rest);
  }

  decode(s: Stored): KubeObject {
    if (typeof s !== 'string') return s;
    return JSON.parse(s.length === 2 ? `${this.head}}` : `${this.head},${s.slice(1)}`) as KubeObject;
  }
}
