// A tiny element builder: text is always set as text (never parsed as HTML), so
// names and messages from the cluster cannot inject markup.

type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return el;
}

/** A table with a caption, a header row and rows; `rowAttrs` lets rows be focusable. */
export function table(caption: string, head: string[], rows: Array<{ cells: Child[]; attrs?: Record<string, string | boolean | undefined>; num?: number[] }>): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', r.attrs ?? {}, ...r.cells.map((c, i) => h('td', r.num?.includes(i) ? { class: 'num' } : {}, c))))),
  );
}
