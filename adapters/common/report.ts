// Text forms of a translation: the native objects as a YAML stream and one line
// per result message. Shared by `smictl translate` and the golden tests so both
// show exactly the same thing.

import yaml from 'js-yaml';
import type { KubeObject } from '../../schemas/hub.js';
import type { Problem } from '../../schemas/problem.js';
import type { ObjectResult } from '../types.js';

/** Multi-document YAML, keys sorted so output is byte-for-byte stable. */
export function toYamlStream(objects: readonly KubeObject[]): string {
  return objects.map((o) => `---\n${yaml.dump(o, { sortKeys: true, lineWidth: -1, noRefs: true })}`).join('');
}

/** `<Kind> <ns>/<name>: <Status>: <message>`, one line per message (just the status when there is none). */
export function resultLines(r: ObjectResult): string[] {
  return r.messages.length === 0 ? [`${r.object}: ${r.status}`] : r.messages.map((m) => `${r.object}: ${r.status}: ${m}`);
}

/** A problem from validation: the object never reached the adapter, so it is Invalid. */
export function problemLine(p: Problem): string {
  return p.path ? `${p.object}: Invalid: ${p.path}: ${p.message}` : `${p.object}: Invalid: ${p.message}`;
}
