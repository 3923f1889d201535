// Structured JSON logs (winston). Every line about an object carries
// namespace/name; lines about the operator itself carry the operator's namespace.

import type { Writable } from 'node:stream';
import winston from 'winston';

export type Logger = winston.Logger;

/**
 * `base` fields are on every line, and a child's fields (an object's namespace/name) win over
 * them: winston's `defaultMeta` would instead override what children set, so the base is a child
 * of its own. `stream`: where lines go (default stderr).
 */
export function createLogger(level = 'info', base: Record<string, unknown> = {}, stream?: Writable): Logger {
  const root = winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
  return Object.keys(base).length > 0 ? root.child(base) : root;
}

/** A logger that drops everything (tests that only care about behaviour). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
