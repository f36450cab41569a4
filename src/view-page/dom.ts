/** A tiny element builder. Text always goes in as text (never HTML), so record data cannot inject markup. */
export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string;
  title?: string;
  href?: string;
  id?: string;
  data?: Record<string, string>;
  on?: Partial<Record<'click' | 'input' | 'keydown' | 'change', (ev: Event) => void>>;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props !== null) {
    if (props.class !== undefined) el.className = props.class;
    if (props.title !== undefined) el.title = props.title;
    if (props.id !== undefined) el.id = props.id;
    if (props.href !== undefined) el.setAttribute('href', props.href);
    for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
    for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
    for (const [k, fn] of Object.entries(props.on ?? {})) if (fn !== undefined) el.addEventListener(k, fn);
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === 'string' || typeof c === 'number') el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

export function clear(el: Element): void {
  while (el.firstChild !== null) el.removeChild(el.firstChild);
}

export function badge(text: string, cls: string = text): HTMLSpanElement {
  return h('span', { class: `badge ${cls}` }, text);
}

/** A definition list of label → value; null values are left out. */
export function kv(pairs: Array<[string, Child]>): HTMLDListElement {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.appendChild(h('dt', null, k));
    dl.appendChild(h('dd', null, v));
  }
  return dl;
}

export function table(headers: string[], rows: Child[][], cls?: string): HTMLTableElement {
  return h(
    'table',
    cls !== undefined ? { class: cls } : null,
    h('thead', null, h('tr', null, headers.map((x) => h('th', null, x)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => (c instanceof HTMLTableCellElement ? c : h('td', null, c)))))),
  );
}

/** A sha256 shown short, the whole value in the tooltip and selectable. */
export function sha(value: string | null): HTMLElement | string {
  if (value === null || value === '') return '–';
  return h('code', { title: value, class: 'sha', data: { sha: value } }, value.length > 16 ? `${value.slice(0, 12)}…` : value);
}
