// Discovery documents the aggregator and kubectl read: /apis, the group, the
// APIResourceList of v1alpha1, and a minimal OpenAPI so the API server's OpenAPI
// aggregation does not log errors for us.

import { KINDS } from './kinds.js';

export const GROUP = 'metrics.smi-spec.io';
export const VERSION = 'v1alpha1';
export const GROUP_VERSION = `${GROUP}/${VERSION}`;
export const BASE_PATH = `/apis/${GROUP_VERSION}`;

const groupVersion = { groupVersion: GROUP_VERSION, version: VERSION };

export const apiGroup = () => ({ kind: 'APIGroup', apiVersion: 'v1', name: GROUP, versions: [groupVersion], preferredVersion: groupVersion });

export const apiGroupList = () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: [apiGroup()] });

export function apiResourceList() {
  const resources = KINDS.flatMap((k) => [
    { name: k.plural, singularName: '', namespaced: k.namespaced, kind: 'TrafficMetrics', verbs: ['get', 'list'] },
    { name: `${k.plural}/edges`, singularName: '', namespaced: k.namespaced, kind: 'TrafficMetricsList', verbs: ['get'] },
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: GROUP_VERSION, resources };
}

export const openApiV2 = () => ({ swagger: '2.0', info: { title: 'metrics.smi-spec.io', version: VERSION }, paths: {}, definitions: {} });

export const openApiV3Root = () => ({ paths: {} });
