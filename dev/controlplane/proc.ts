// Child processes of the control plane: spawned with their output in a log file,
// stopped with SIGTERM then SIGKILL, and killed when this process ends however it ends.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';

// setpriv --pdeathsig makes the kernel kill the child if this process dies
// without running any handler (SIGKILL, crash); Linux only, util-linux.
const SETPRIV = '/usr/bin/setpriv';
const hasSetpriv = process.platform === 'linux' && existsSync(SETPRIV);

export interface ManagedProcess {
  readonly name: string;
  readonly logPath: string;
  readonly pid: number;
  /** Settles when the process has exited; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirsToRemove = new Set<string>();
let handlersInstalled = false;

function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of dirsToRemove) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort on the way out
    }
  }
  dirsToRemove.clear();
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAllNow();
      // Re-raise the default outcome: exit status 128+n.
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Removed when this process exits, unless forgotten first. */
export function removeOnExit(dir: string): void {
  installExitHandlers();
  dirsToRemove.add(dir);
}

export function forgetOnExit(dir: string): void {
  dirsToRemove.delete(dir);
}

/** Last `lines` lines of a log file, for error messages. */
export function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function startProcess(name: string, bin: string, args: string[], logPath: string): ManagedProcess {
  installExitHandlers();
  // Append, so a restarted process keeps its earlier log.
  const fd = openSync(logPath, 'a');
  const [cmd, argv] = hasSetpriv ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', bin, ...args]] : [bin, args];
  let child: ChildProcess;
  try {
    child = spawn(cmd, argv, { stdio: ['ignore', fd, fd], env: process.env });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  let running = true;
  let stopping = false;
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(child);
      // A crash mid-run otherwise shows up only as confusing client errors.
      if (!stopping) console.error(`${name} (pid ${child.pid}) exited unexpectedly: code ${code}, signal ${signal}; log: ${logPath}`);
      resolve({ code, signal });
    });
    child.once('error', () => {
      running = false;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  return {
    name,
    logPath,
    pid: child.pid ?? -1,
    exited,
    isRunning: () => running,
    async stop(graceMs = 10_000) {
      if (!running) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
