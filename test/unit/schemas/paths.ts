// Locations tests read from: the repository root and the shared SMI material.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'tsconfig.json')) === false) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

export const REPO_ROOT = findRoot();
export const SHARED_SMI = resolve(REPO_ROOT, '..', 'shared', 'smi');
export const EXAMPLES_DIR = join(SHARED_SMI, 'upstream', 'examples');
