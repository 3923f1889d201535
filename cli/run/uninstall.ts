// `smictl uninstall`, the part that runs.

import { managedNative, uninstall, warning } from '../uninstall/uninstall.js';
import type { UninstallFlags } from '../flags.js';
import { connect } from '../kube-flags.js';

/** 0 done; 1 not confirmed (nothing changed), the cluster does not answer, or some step failed; 2 no kubeconfig. */
export async function runUninstall(f: UninstallFlags): Promise<number> {
  const k = await connect(f);
  if (!k.ok) {
    process.stderr.write(`smictl uninstall: ${k.error}\n`);
    return k.code;
  }
  const { natives, unlisted } = await managedNative(k.client);
  process.stderr.write(`${warning(natives, !!f.keepNative, unlisted)}\n`);
  if (!f.yes) {
    process.stderr.write(`nothing changed: re-run with --yes to uninstall${f.keepNative ? ' (keeping the native objects)' : ''}\n`);
    return 1;
  }
  const r = await uninstall(k.client, { namespace: f.namespace, keepNative: !!f.keepNative, say: (s) => process.stdout.write(`${s}\n`) });
  for (const e of r.errors) process.stderr.write(`smictl uninstall: ${e}\n`);
  return r.errors.length ? 1 : 0;
}
