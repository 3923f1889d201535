// Structured JSON logs (winston). Every line about an object carries
// namespace/name; lines about the operator itself carry the operator's namespace.

import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(level = 'info', base: Record<string, unknown> = {}): Logger {
  return winston.createLogger({
    level,
    defaultMeta: base,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}

/** A logger that drops everything (tests that only care about behaviour). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
