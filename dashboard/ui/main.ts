// The page: fetches /api/snapshot for the chosen namespace and window on a timer
// (live refresh, pausable), and renders the active view. State lives in the URL
// hash (#view=…&namespace=…&window=…) so a view can be bookmarked and reloaded.

import type { Snapshot } from '../server/model/types.js';
import { h } from './dom.js';
import { clock } from './format.js';
import { createGraph, type GraphHandle, type GraphMode } from './graph.js';
import { renderAlerts, renderEdgeTable, renderObjects, renderSplits, type ShowYaml } from './views.js';

type View = 'topology' | 'access' | 'splits' | 'objects';
const VIEWS: View[] = ['topology', 'access', 'splits', 'objects'];

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const hash = new URLSearchParams(location.hash.slice(1));
const state = {
  view: (VIEWS as string[]).includes(hash.get('view') ?? '') ? (hash.get('view') as View) : 'topology',
  namespace: hash.get('namespace') ?? undefined,
  window: hash.get('window') ?? '1m',
  paused: false,
  refreshSeconds: Number(document.body.dataset.refresh) || 10,
  snapshot: undefined as Snapshot | undefined,
  inFlight: false,
  namespaceChosen: hash.has('namespace'),
};

let graph: GraphHandle | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

function saveHash(): void {
  const p = new URLSearchParams({ view: state.view, window: state.window });
  if (state.namespace) p.set('namespace', state.namespace);
  history.replaceState(null, '', `#${p}`);
}

const showYaml: ShowYaml = (ref, title) => {
  const dialog = $<HTMLDialogElement>('yaml-dialog');
  $('yaml-title').textContent = title;
  const body = $('yaml-body');
  body.textContent = 'loading…';
  dialog.showModal();
  const q = new URLSearchParams({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? '', name: ref.name });
  fetch(`api/yaml?${q}`)
    .then(async (r) => {
      const text = await r.text();
      body.textContent = r.ok ? text : `Could not read ${title}: HTTP ${r.status}\n${text}`;
    })
    .catch((e: unknown) => {
      body.textContent = `Could not reach the dashboard server: ${String(e)}`;
    });
};

function renderView(): void {
  const s = state.snapshot;
  for (const v of VIEWS) {
    const tab = $(`tab-${v}`);
    tab.setAttribute('aria-selected', String(v === state.view));
    tab.tabIndex = v === state.view ? 0 : -1;
  }
  $('main').setAttribute('aria-labelledby', `tab-${state.view}`);
  const graphView = state.view === 'topology' || state.view === 'access';
  $('graph-view').hidden = !graphView;
  $('splits-view').hidden = state.view !== 'splits';
  $('objects-view').hidden = state.view !== 'objects';
  if (!s) return;
  if (graphView) {
    const mode = state.view as GraphMode;
    graph ??= createGraph($('graph'), $('details'));
    $('graph-help').textContent =
      mode === 'topology'
        ? `${s.topology.nodes.length} ${s.topology.nodeKinds.includes('Service') ? 'services' : 'workloads'}, ${s.topology.edges.length} observed edges in the last ${s.window}. Edge colour and label: success rate (healthy ≥ 99 %, degraded ≥ 95 %, failing below). Focus the graph and use the arrow keys to move between nodes.`
        : `TrafficTargets drawn over the observed traffic (accessMode ${s.mesh.accessMode}): DENIED edges (dashed) carried traffic no TrafficTarget allows; dotted edges are allowed but carried none.`;
    graph.render(s, mode);
    const legend =
      mode === 'topology'
        ? [['healthy', 'healthy (≥ 99 % ok)'], ['degraded', 'degraded (≥ 95 %)'], ['failing', 'failing (< 95 %)'], ['idle', 'no requests']]
        : [['allowed', 'allowed by a TrafficTarget'], ['denied', 'DENIED: no TrafficTarget allows it'], ['allowed-only', 'allowed, no traffic'], ['idle', 'no policy on the destination']];
    $('legend').replaceChildren(...legend.map(([c, t]) => h('span', { class: c }, t!)));
    renderEdgeTable($('edge-table'), s, mode, (id) => graph?.select(id));
  } else if (state.view === 'splits') renderSplits($('splits-view'), s);
  else renderObjects($('objects-view'), s, showYaml);
}

function renderHeader(s: Snapshot): void {
  $('context').textContent = `${s.cluster.user ? `${s.cluster.user} @ ` : ''}${s.cluster.server} · mesh ${s.mesh.mesh} (${s.mesh.accessMode}) · metrics: ${s.metrics.type}`;
  $('window-status').textContent = `Window: last ${s.window}, ending ${clock(s.windowEnd)} · ${state.paused ? 'live refresh paused' : `refreshing every ${state.refreshSeconds} s`}`;
  const select = $<HTMLSelectElement>('namespace');
  const want = ['', ...s.namespaces];
  if ([...select.options].map((o) => o.value).join('|') !== want.join('|')) {
    select.replaceChildren(...want.map((ns) => h('option', { value: ns }, ns || 'All namespaces')));
  }
  select.value = state.namespace ?? '';
}

async function load(): Promise<void> {
  if (state.inFlight) return;
  state.inFlight = true;
  const q = new URLSearchParams({ window: state.window });
  if (state.namespace) q.set('namespace', state.namespace);
  try {
    const r = await fetch(`api/snapshot?${q}`);
    if (!r.ok) {
      const body = (await r.json().catch(() => ({}))) as { error?: string };
      renderAlerts($('alerts'), [{ kind: 'error', severity: 'error', title: `The dashboard server refused the request (HTTP ${r.status})`, detail: body.error ?? '', hint: 'Pick another namespace or window.' }]);
      return;
    }
    const s = (await r.json()) as Snapshot;
    // First load without a namespace in the URL: start where the SMI objects are.
    if (!state.namespaceChosen && !state.namespace) {
      const first = s.objects[0]?.namespace;
      state.namespaceChosen = true;
      if (first && s.namespaces.includes(first)) {
        state.namespace = first;
        saveHash();
        state.inFlight = false;
        return load();
      }
    }
    state.snapshot = s;
    renderHeader(s);
    renderAlerts($('alerts'), s.alerts);
    renderView();
    document.body.dataset.loaded = s.generatedAt;
  } catch (e) {
    renderAlerts($('alerts'), [
      { kind: 'error', severity: 'error', title: 'The dashboard server does not answer', detail: String(e), hint: 'Is smictl dashboard still running? Restart it and reload this page.' },
    ]);
  } finally {
    state.inFlight = false;
  }
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  if (state.paused) return;
  timer = setTimeout(() => void load().finally(schedule), state.refreshSeconds * 1000);
}

function setView(v: View, focus: boolean): void {
  state.view = v;
  saveHash();
  renderView();
  if (focus) $(`tab-${v}`).focus();
}

function wire(): void {
  const tabs = $('tab-topology').parentElement!;
  tabs.addEventListener('click', (ev) => {
    const v = (ev.target as HTMLElement).dataset.view as View | undefined;
    if (v) setView(v, false);
  });
  tabs.addEventListener('keydown', (ev) => {
    const i = VIEWS.indexOf(state.view);
    if (ev.key === 'ArrowRight') setView(VIEWS[(i + 1) % VIEWS.length]!, true);
    else if (ev.key === 'ArrowLeft') setView(VIEWS[(i - 1 + VIEWS.length) % VIEWS.length]!, true);
    else if (ev.key === 'Home') setView(VIEWS[0]!, true);
    else if (ev.key === 'End') setView(VIEWS[VIEWS.length - 1]!, true);
    else return;
    ev.preventDefault();
  });
  $<HTMLSelectElement>('namespace').addEventListener('change', (ev) => {
    state.namespace = (ev.target as HTMLSelectElement).value || undefined;
    state.namespaceChosen = true;
    saveHash();
    void load();
  });
  const win = $<HTMLSelectElement>('window');
  win.value = state.window;
  win.addEventListener('change', () => {
    state.window = win.value;
    saveHash();
    void load();
  });
  const pause = $<HTMLButtonElement>('pause');
  pause.addEventListener('click', () => {
    state.paused = !state.paused;
    pause.setAttribute('aria-pressed', String(state.paused));
    pause.textContent = state.paused ? 'Resume live refresh' : 'Pause live refresh';
    if (state.snapshot) renderHeader(state.snapshot);
    schedule();
  });
  $('refresh').addEventListener('click', () => void load());
}

wire();
renderView();
void load().finally(schedule);
