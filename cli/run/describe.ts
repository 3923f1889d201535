// `smictl describe`, the part that runs.

import { describe, smiKindByAlias } from '../describe/describe.js';
import { formatDescription } from '../describe/summary.js';
import type { DescribeFlags } from '../flags.js';
import { connect } from '../kube-flags.js';
import { KIND_TABLE } from '../../schemas/versions.js';

export async function runDescribe(target: string, f: DescribeFlags): Promise<number> {
  const [kindText = '', name] = target.split('/', 2);
  const info = smiKindByAlias(kindText);
  if (!info || !name) {
    process.stderr.write(`smictl describe: expected <kind>/<name> with kind one of ${KIND_TABLE.map((k) => `${k.singular} (${k.shortName})`).join(', ')}\n`);
    return 2;
  }
  const k = await connect(f);
  if (!k.ok) {
    process.stderr.write(`smictl describe: ${k.error}\n`);
    return k.code;
  }
  const d = await describe(k.client, info.kind, f.namespace, name, f.operatorNamespace);
  if (!d.ok) {
    process.stderr.write(`smictl describe: ${d.error}\n`);
    return d.code;
  }
  process.stdout.write(formatDescription(d.value, f.output));
  return 0;
}
