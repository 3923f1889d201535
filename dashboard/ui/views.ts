// The parts of the page that are plain DOM: alerts, the edge table under the
// graph, the Splits view and the Objects view.

import type { Alert, NativeRef, ObjectView, Snapshot, SplitView, TopologyEdge } from '../server/model/types.js';
import { h, table } from './dom.js';
import { ACCESS_WORDS, health, latency, percent, rate } from './format.js';
import type { GraphMode } from './graph.js';

export function renderAlerts(el: HTMLElement, alerts: readonly Alert[]): void {
  el.replaceChildren(
    ...alerts.map((a) =>
      h(
        'div',
        { class: `alert ${a.severity}`, role: a.severity === 'error' ? 'alert' : 'status', 'data-kind': a.kind },
        h('h2', {}, `${a.severity === 'error' ? 'Error' : a.severity === 'warning' ? 'Warning' : 'Note'}: ${a.title}`),
        h('p', {}, a.hint),
        h('p', { class: 'detail' }, a.detail),
      ),
    ),
  );
}

const nodeName = (s: Snapshot, id: string): string => {
  const n = s.topology.nodes.find((x) => x.id === id);
  return n ? `${n.namespace}/${n.name}` : id;
};

export function renderEdgeTable(el: HTMLElement, s: Snapshot, mode: GraphMode, onSelect: (id: string) => void): void {
  const edges: Array<TopologyEdge & { only?: boolean }> = [...s.topology.edges, ...(mode === 'access' ? s.topology.allowedOnly.map((e) => ({ ...e, only: true })) : [])];
  if (edges.length === 0) {
    el.replaceChildren(h('p', { class: 'empty' }, mode === 'access' ? 'No observed traffic and no TrafficTarget between the drawn nodes.' : `No traffic observed in the last ${s.window}.`));
    return;
  }
  const rows = edges.map((e) => {
    const band = health(e.traffic);
    return {
      attrs: { tabindex: '0', 'data-edge': e.id, class: e.access === 'denied' ? 'denied' : undefined, 'aria-label': `${nodeName(s, e.source)} to ${nodeName(s, e.target)}` },
      num: [2, 3, 4],
      cells: [
        nodeName(s, e.source),
        nodeName(s, e.target),
        e.traffic ? rate(e.traffic.rps) : '–',
        e.traffic ? h('span', { class: `word ${band}` }, `${percent(e.traffic.successRate)} (${band})`) : '–',
        e.traffic ? latency(e.traffic.p99) : '–',
        h('span', { class: `word ${e.access === 'denied' ? 'denied' : ''}` }, e.only ? 'allowed (no traffic)' : ACCESS_WORDS[e.access]),
        e.reason,
      ],
    };
  });
  const t = table(mode === 'access' ? 'Edges and access policy' : `Observed edges (last ${s.window})`, ['From', 'To', 'Requests', 'Success', 'p99', 'Access', 'Why'], rows);
  t.addEventListener('keydown', (ev) => {
    const row = (ev.target as HTMLElement).closest('tr[data-edge]') as HTMLElement | null;
    if (!row) return;
    if (ev.key === 'Enter' || ev.key === ' ') {
      onSelect(row.dataset.edge!);
      ev.preventDefault();
    } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      const next = (ev.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling) as HTMLElement | null;
      next?.focus();
      ev.preventDefault();
    }
  });
  t.addEventListener('click', (ev) => {
    const row = (ev.target as HTMLElement).closest('tr[data-edge]') as HTMLElement | null;
    if (row) onSelect(row.dataset.edge!);
  });
  el.replaceChildren(t);
}

function splitSection(s: SplitView): HTMLElement {
  const ready = s.ready ? `Ready ${s.ready.status}${s.ready.reason ? ` (${s.ready.reason})` : ''}` : 'no status yet';
  const rows = s.backends.map((b) => ({
    attrs: { 'data-backend': b.service },
    num: [1, 2, 4, 5, 6],
    cells: [
      b.service,
      `${b.weight}`,
      `${b.configuredPercent.toFixed(1)}%`,
      h(
        'div',
        { class: 'bar', role: 'img', 'aria-label': `configured ${b.configuredPercent.toFixed(1)}%, observed ${b.observedPercent === undefined ? 'none' : `${b.observedPercent.toFixed(1)}%`}` },
        h('span', { class: 'configured', style: `width:${b.configuredPercent}%` }),
        h('span', { class: 'observed', style: `width:${b.observedPercent ?? 0}%` }),
      ),
      b.observedPercent === undefined ? '–' : `${b.observedPercent.toFixed(1)}%`,
      b.traffic && b.traffic.requests > 0 ? h('span', { class: `word ${health(b.traffic)}` }, `${percent(b.traffic.successRate)} (${health(b.traffic)})`) : '–',
      b.traffic ? latency(b.traffic.p99) : '–',
    ],
  }));
  return h(
    'section',
    { class: 'split', 'data-split': `${s.namespace}/${s.name}`, 'aria-labelledby': `split-${s.namespace}-${s.name}` },
    h('h2', { id: `split-${s.namespace}-${s.name}` }, `${s.namespace}/${s.name} → ${s.apex}`),
    h('p', {}, `${ready}. ${s.matches.length ? `Only requests matching ${s.matches.join(', ')}.` : 'All requests.'} ${s.requests > 0 ? `${Math.round(s.requests)} requests to the backends in the window.` : 'No requests to the backends in the window.'}`),
    s.ready && s.ready.status !== 'True' && s.ready.message ? h('p', { class: 'detail' }, s.ready.message) : null,
    table(`Backends of ${s.name}`, ['Backend', 'Weight', 'Configured', 'Configured (grey) vs observed (blue)', 'Observed', 'Success', 'p99'], rows),
  );
}

export function renderSplits(el: HTMLElement, s: Snapshot): void {
  el.replaceChildren(...(s.splits.length ? s.splits.map(splitSection) : [h('p', { class: 'empty' }, 'No TrafficSplits in this namespace.')]));
}

export type ShowYaml = (ref: NativeRef, title: string) => void;

const yamlButton = (ref: NativeRef, label: string, show: ShowYaml): HTMLButtonElement => {
  const b = h('button', { type: 'button', class: 'link', 'data-yaml': `${ref.kind}/${ref.namespace ?? ''}/${ref.name}` }, label);
  b.addEventListener('click', () => show(ref, `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`));
  return b;
};

const cond = (c: ObjectView['ready']): Node => (c ? h('span', { class: `status-${c.status}` }, c.status) : h('span', { class: 'empty' }, 'none yet'));

export function renderObjects(el: HTMLElement, s: Snapshot, show: ShowYaml): void {
  const m = s.mesh;
  const mesh = h(
    'section',
    { class: 'mesh', 'aria-labelledby': 'mesh-title' },
    h('h2', { id: 'mesh-title' }, 'Active mesh and adapter configuration'),
    h(
      'dl',
      {},
      ...[
        ['Mesh', m.mesh],
        ['Access mode', m.accessMode],
        ['mTLS mode', m.mtlsMode],
        ['Cluster domain', m.clusterDomain],
        ['Trust domain', m.trustDomain],
        ['From', m.source],
        ['Metrics', s.metrics.description],
      ].flatMap(([k, v]) => [h('dt', {}, k!), h('dd', {}, v!)]),
    ),
    m.data ? yamlButton({ apiVersion: 'v1', kind: 'ConfigMap', ...m.configMap }, `ConfigMap ${m.configMap.namespace}/${m.configMap.name} as YAML`, show) : null,
  );
  const rows = s.objects.map((o) => ({
    attrs: { 'data-object': `${o.kind}/${o.namespace}/${o.name}` },
    cells: [
      o.kind,
      o.namespace,
      yamlButton({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name }, o.name, show),
      cond(o.accepted),
      cond(o.ready),
      o.ready?.reason ?? o.accepted?.reason ?? '',
      h('span', {}, `${o.ready?.message ?? ''}${o.current ? '' : ' (status not yet updated for the latest change)'}`),
      o.natives.length ? h('ul', {}, ...o.natives.map((n) => h('li', {}, yamlButton(n, `${n.kind} ${n.name}`, show)))) : h('span', { class: 'empty' }, o.kind.endsWith('Route') || o.kind === 'HTTPRouteGroup' ? 'used by splits/targets' : 'none'),
    ],
  }));
  el.replaceChildren(mesh, s.objects.length ? table('SMI objects', ['Kind', 'Namespace', 'Name', 'Accepted', 'Ready', 'Reason', 'Message', 'Native objects'], rows) : h('p', { class: 'empty' }, 'No SMI objects in this namespace.'));
}
