import type { MeshName } from '../../adapters/types.js';
import type { MeshInterpreter } from './common.js';
import { consul } from './consul.js';
import { gamma } from './gamma.js';
import { istio } from './istio.js';
import { linkerd } from './linkerd.js';

export const INTERPRETERS: Record<MeshName, MeshInterpreter> = { istio, linkerd, consul, gamma };
export type { MeshInterpreter, World } from './common.js';
