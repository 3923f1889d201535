// The topology graph (cytoscape.js, bundled): nodes are workloads or Services,
// edges carry their traffic line as a label, a colour by success rate (topology)
// or by access verdict (access overlay) and a dash style for what colour alone
// would hide (denied: dashed; allowed but unobserved: dotted). One instance
// serves both views; refreshes update it in place and re-layout only when the
// set of nodes changes, so positions stay put while the data is live.

import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import type { Snapshot, TopologyEdge, TopologyNode } from '../server/model/types.js';
import { ACCESS_WORDS, edgeLabel, health, latency, percent, rate, trafficLine } from './format.js';

export type GraphMode = 'topology' | 'access';

const COLORS = { healthy: '#1a7f37', degraded: '#9a6700', failing: '#cf222e', idle: '#8c959f', denied: '#8250df', allowed: '#0969da', ungoverned: '#8c959f' };

const STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'font-size': 11,
      'font-family': 'DejaVu Sans, sans-serif',
      'text-wrap': 'wrap',
      'min-zoomed-font-size': 7,
      width: 26,
      height: 26,
      'background-color': '#d0d7de',
      'border-width': 2,
      'border-color': '#57606a',
    },
  },
  { selector: 'node[?external]', style: { 'border-style': 'dashed', 'background-color': '#ffffff' } },
  { selector: 'node:selected', style: { 'border-color': '#0969da', 'border-width': 5 } },
  {
    selector: 'edge',
    style: {
      label: 'data(label)',
      'font-size': 10,
      'font-family': 'DejaVu Sans, sans-serif',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '2px',
      'min-zoomed-font-size': 7,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      width: 2,
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
    },
  },
  { selector: 'edge[style = "dashed"]', style: { 'line-style': 'dashed', width: 4 } },
  { selector: 'edge[style = "dotted"]', style: { 'line-style': 'dotted' } },
  { selector: 'edge:selected', style: { width: 6 } },
];

export interface GraphHandle {
  render(s: Snapshot, mode: GraphMode): void;
  /** Select an element by id and show it (table rows call this). */
  select(id: string): void;
  /** Counts the tests read: what is drawn right now. */
  counts(): { nodes: number; edges: number };
}

const nodeLabel = (n: TopologyNode): string =>
  `${n.name}${n.external ? ` (${n.namespace || '?'})` : ''}\n${n.inbound && n.inbound.requests > 0 ? trafficLine(n.inbound) : n.external ? 'not listed' : n.kind}`;

function edgeData(e: TopologyEdge, mode: GraphMode, allowedOnly: boolean): ElementDefinition {
  const band = health(e.traffic);
  let color: string = COLORS[band];
  let style = 'solid';
  if (mode === 'access') {
    color = allowedOnly ? COLORS.allowed : e.access === 'denied' || e.access === 'not-allowed-permissive' ? COLORS.denied : e.access === 'allowed' ? COLORS.allowed : COLORS.ungoverned;
    if (allowedOnly) style = 'dotted';
  }
  if (e.access === 'denied' && mode === 'access') style = 'dashed';
  return { group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: edgeLabel(e.traffic, e.access, mode === 'access'), color, style } };
}

/** Elements of a snapshot for one view: the access overlay adds TrafficTarget edges without traffic. */
export function elementsFor(s: Snapshot, mode: GraphMode): ElementDefinition[] {
  const nodes: ElementDefinition[] = s.topology.nodes.map((n) => ({ group: 'nodes', data: { id: n.id, label: nodeLabel(n), external: n.external } }));
  const edges = s.topology.edges.map((e) => edgeData(e, mode, false));
  const extra = mode === 'access' ? s.topology.allowedOnly.map((e) => edgeData(e, mode, true)) : [];
  return [...nodes, ...edges, ...extra];
}

function describeNode(s: Snapshot, n: TopologyNode): string {
  const all = [...s.topology.edges, ...s.topology.allowedOnly];
  const name = (id: string): string => s.topology.nodes.find((x) => x.id === id)?.name ?? id;
  const out = all.filter((e) => e.source === n.id).map((e) => `→ ${name(e.target)}: ${e.traffic ? trafficLine(e.traffic) : 'no traffic'}; ${ACCESS_WORDS[e.access]}`);
  const inc = all.filter((e) => e.target === n.id).map((e) => `← ${name(e.source)}: ${e.traffic ? trafficLine(e.traffic) : 'no traffic'}; ${ACCESS_WORDS[e.access]}`);
  return [
    `${n.kind} ${n.namespace}/${n.name}${n.external ? ' (not among the objects you can list)' : ''}`,
    n.serviceAccount ? `ServiceAccount: ${n.serviceAccount}` : '',
    n.related.length ? `${n.kind === 'Service' ? 'Workloads' : 'Services'}: ${n.related.join(', ')}` : '',
    n.inbound ? `Inbound: ${rate(n.inbound.rps)}, ${percent(n.inbound.successRate)} ok, p99 ${latency(n.inbound.p99)}` : '',
    ...out,
    ...inc,
  ]
    .filter(Boolean)
    .join('\n');
}

export function createGraph(container: HTMLElement, details: HTMLElement): GraphHandle {
  const cy: Core = cytoscape({
    container,
    style: STYLE,
    wheelSensitivity: 0.3,
    minZoom: 0.1,
    maxZoom: 3,
    // Large graphs: draw a texture while panning instead of every label.
    textureOnViewport: true,
    hideEdgesOnViewport: false,
  });
  let last: Snapshot | undefined;
  let nodeSet = '';
  let order: string[] = [];

  const show = (id: string): void => {
    if (!last) return;
    const n = last.topology.nodes.find((x) => x.id === id);
    const e = [...last.topology.edges, ...last.topology.allowedOnly].find((x) => x.id === id);
    details.replaceChildren();
    const h = document.createElement('h2');
    const pre = document.createElement('p');
    pre.style.whiteSpace = 'pre-wrap';
    if (n) {
      h.textContent = n.name;
      pre.textContent = describeNode(last, n);
    } else if (e) {
      h.textContent = `${e.source.split('/').pop()} → ${e.target.split('/').pop()}`;
      pre.textContent = `${e.traffic ? trafficLine(e.traffic) : 'no traffic in the window'}\nAccess: ${ACCESS_WORDS[e.access]}\n${e.reason}`;
    }
    details.append(h, pre);
  };

  cy.on('select', 'node, edge', (ev) => show(ev.target.id() as string));

  const select = (id: string): void => {
    const el = cy.getElementById(id);
    if (el.empty()) return;
    cy.elements().unselect();
    el.select();
    cy.animate({ center: { eles: el } }, { duration: 150 });
    show(id);
  };

  container.addEventListener('keydown', (ev) => {
    const current = cy.nodes(':selected').first();
    const i = current.nonempty() ? order.indexOf(current.id()) : -1;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') select(order[(i + 1) % order.length]!);
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') select(order[(i - 1 + order.length) % order.length]!);
    else if (ev.key === '+' || ev.key === '=') cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
    else if (ev.key === '-') cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
    else if (ev.key === '0') cy.fit(undefined, 30);
    else if (ev.key === 'Escape') {
      cy.elements().unselect();
      details.replaceChildren();
    } else return;
    ev.preventDefault();
  });

  return {
    render(s, mode) {
      last = s;
      const els = elementsFor(s, mode);
      const ids = new Set(els.map((e) => e.data.id as string));
      cy.batch(() => {
        cy.elements().filter((el) => !ids.has(el.id())).remove();
        for (const e of els) {
          const el = cy.getElementById(e.data.id as string);
          if (el.nonempty()) el.data(e.data);
          else cy.add(e);
        }
      });
      order = s.topology.nodes.map((n) => n.id);
      const set = order.join('|');
      if (set !== nodeSet) {
        nodeSet = set;
        const n = order.length;
        // cose is O(n^2) per iteration: fewer iterations as graphs grow keeps a 200-service graph under a second.
        cy.layout({ name: 'cose', animate: false, randomize: false, numIter: Math.max(200, 1500 - 5 * n), nodeRepulsion: () => 400_000, idealEdgeLength: () => 140, padding: 30 }).run();
        cy.fit(undefined, 30);
      }
      container.dataset.nodes = String(cy.nodes().length);
      container.dataset.edges = String(cy.edges().length);
      container.setAttribute('aria-label', `Graph of ${cy.nodes().length} nodes and ${cy.edges().length} edges. Arrow keys move between nodes, + and - zoom, 0 fits, Escape clears.`);
    },
    select,
    counts: () => ({ nodes: cy.nodes().length, edges: cy.edges().length }),
  };
}
