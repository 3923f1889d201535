// Runs the built smictl as a child process, as a user would (KUBECONFIG cleared:
// each test passes --kubeconfig).

import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SMICTL = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'cli', 'smictl.js');

export function runSmictl(args: string[], env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: '' }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((r) => {
    execFile(process.execPath, [SMICTL, ...args], { env }, (err, stdout, stderr) => {
      r({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
