// Runs the built smictl as a child process, as a user would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../schemas/paths.js';

export const SMICTL = join(REPO_ROOT, 'dist', 'cli', 'smictl.js');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'schemas');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function smictl(args: string[], stdin?: string): Run {
  const r = spawnSync(process.execPath, [SMICTL, ...args], { input: stdin ?? '', encoding: 'utf8', cwd: REPO_ROOT, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
