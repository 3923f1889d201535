import type { KubeObject, SmiObject } from '../hub.js';

/** A per-kind converter's result; errors are relative field paths, made into Problems by the caller. */
export interface HubConverted<T extends SmiObject> {
  hub: T;
  errors: Array<{ path: string; message: string }>;
}

export interface Converted {
  object: KubeObject;
}
