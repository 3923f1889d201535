// Starts one control-plane binary and waits until its readiness probe passes; a
// process that exits or stays unready fails with its log path and last lines.

import { startProcess, tail, type ManagedProcess } from './proc.js';
import { sleep } from './http.js';

export interface ComponentSpec {
  name: string;
  bin: string;
  args: string[];
  logPath: string;
  /** Resolves true once ready; may throw while the component is still starting. */
  ready: () => Promise<boolean>;
  timeoutMs: number;
}

export class ComponentStartError extends Error {
  constructor(
    readonly component: string,
    readonly logPath: string,
    reason: string,
  ) {
    super(`${component} did not become ready: ${reason}\nlog: ${logPath}\n--- last lines ---\n${tail(logPath)}`);
  }
}

export async function startComponent(spec: ComponentSpec): Promise<ManagedProcess> {
  const proc = startProcess(spec.name, spec.bin, spec.args, spec.logPath);
  const deadline = Date.now() + spec.timeoutMs;
  let last = 'not probed yet';
  while (Date.now() < deadline) {
    if (!proc.isRunning()) {
      const { code, signal } = await proc.exited;
      throw new ComponentStartError(spec.name, spec.logPath, `exited early (code ${code}, signal ${signal})`);
    }
    try {
      if (await spec.ready()) return proc;
      last = 'probe said not ready';
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(150);
  }
  await proc.stop(2_000);
  throw new ComponentStartError(spec.name, spec.logPath, `still unready after ${spec.timeoutMs} ms (last probe: ${last})`);
}
