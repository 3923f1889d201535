// Whether a pattern is valid RE2 (what Envoy, Linkerd and Go accept): no
// look-around, no back-references. Decided by re2js, a port of RE2's parser.

import { RE2JS } from 're2js';

/** undefined when valid; otherwise the parser's reason. */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^error parsing regexp: /, '');
  }
}
