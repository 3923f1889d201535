import type { Scenario } from '../types.js';
import { accessScenarios } from './access.js';
import { conversionScenarios } from './conversion.js';
import { policyScenarios } from './policy.js';
import { splitScenarios } from './split.js';

export const SCENARIOS: Scenario[] = [...accessScenarios, ...splitScenarios, ...conversionScenarios, ...policyScenarios];
