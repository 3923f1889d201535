// Messages between the operator's event loop and its offload worker (worker.ts). Plain
// data only: everything crosses by structured clone.

import type { MeshName, MeshOptions, TranslationOutput } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { Re2Compiled } from '../../schemas/regex.js';

export type Request =
  /** Keep an object under `key` for later translations (replaces an older version). */
  | { type: 'put'; key: string; object: KubeObject }
  | { type: 'drop'; key: string }
  /** Validate these objects, so their regexes are compiled there, not on the event loop. */
  | { type: 'warm'; id: number; objects: KubeObject[] }
  /** Translate the objects put under these keys. */
  | { type: 'translate'; id: number; mesh: MeshName; options: MeshOptions; keys: string[]; targetsAsContext?: boolean };

export type Reply =
  | { id: number; ok: true; output?: TranslationOutput; compiled: Array<[string, Re2Compiled]> }
  | { id: number; ok: false; error: string };
