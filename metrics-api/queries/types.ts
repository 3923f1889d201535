// What a mesh's query templates must provide. A mesh maps a scope (a resource, or
// the edges of one resource, or one TrafficSplit backend) to label matchers over
// its own metric names; render.ts turns those into the five PromQL queries.

import type { MetricsMesh } from '../../adapters/types.js';
import type { Result } from '../errors.js';
import type { ResourcePlural } from '../kinds.js';

export type Direction = 'to' | 'from';
export type Side = 'client' | 'server';

export type Scope =
  | { type: 'resource'; plural: ResourcePlural; namespace?: string; name?: string }
  | { type: 'edges'; plural: ResourcePlural; namespace?: string; name: string; direction: Direction }
  /** One TrafficSplit backend: traffic sent to the leaf service, as seen by its clients. */
  | { type: 'backend'; namespace: string; service: string };

export type MatchOp = '=' | '!=' | '=~' | '!~';
export type Matcher = [label: string, op: MatchOp, value: string];

/** Which series labels name a resource: its name and (when namespaced) its namespace. */
export interface LabelPair {
  name: string;
  namespace?: string;
}

export interface Selection {
  matchers: Matcher[];
  /** Labels naming the measured resource, when the scope lists several. */
  resourceLabels?: LabelPair;
  /** Labels naming the peer, for edges. */
  edgeLabels?: LabelPair;
  side: Side;
}

export interface MeshQueries {
  mesh: MetricsMesh;
  /** Histogram of response latency (the `_bucket` series). */
  latencyBucket: string;
  /** Multiply the histogram's values by this to get seconds. */
  latencyToSeconds: number;
  /** Request counter. */
  requestCounter: string;
  /** Extra matchers that make a request count as success / failure. */
  success: Matcher[];
  failure: Matcher[];
  select(scope: Scope): Result<Selection>;
}

export const METRIC_NAMES = ['p99_response_latency', 'p90_response_latency', 'p50_response_latency', 'success_count', 'failure_count'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
