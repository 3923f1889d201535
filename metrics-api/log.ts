// The operator's structured JSON logger (winston), tagged for the metrics API.

import { createLogger as operatorLogger, silentLogger, type Logger } from '../log/log.js';

export type { Logger };
export { silentLogger };

export const createLogger = (level = process.env.SMI_LOG_LEVEL ?? 'info'): Logger => operatorLogger(level, { component: 'metrics-api' });
