// Builds the panel's header, table and chart from a snapshot. Every piece of data goes in as text or an attribute value.
import type { PanelRow, PanelSnapshot, PanelStrings, PanelViewState, WebviewStrings } from '../panel/protocol';
import { safeHttpsUrl } from '../panel/links';
import { el, srOnly } from './dom';
import { count, fill, money, percent } from './format';
import { rowCostAt, type ContextAdded } from './pricing';
import { sortDescription } from './status';
import { barPercent, comparableCost, displayCost, type SortKey } from './table';

export interface RenderContext {
  snapshot: PanelSnapshot;
  view: PanelViewState;
  strings: WebviewStrings;
  locale: string | undefined;
  /** The model whose price history is shown (its row's History button is pressed). */
  historyId: string | undefined;
  /** Rows whose details are open in the compact (narrow) layout. */
  expanded?: ReadonlySet<string>;
  /** What the context files that apply add on the default model; undefined = nothing to say. */
  context?: ContextAdded;
}

interface Column {
  key: SortKey;
  numeric: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'vendor', numeric: false },
  { key: 'model', numeric: false },
  { key: 'tokens', numeric: true },
  { key: 'input', numeric: true },
  { key: 'output', numeric: true },
  { key: 'total', numeric: true },
  { key: 'context', numeric: false },
  { key: 'priceDate', numeric: false },
];

export function renderHeader(ctx: RenderContext): HTMLElement {
  const { snapshot, strings, locale } = ctx;
  const scope = snapshot.scope === 'selection' ? strings.selection : strings.document;
  return el(
    'header',
    { className: 'doc' },
    el('h1', { text: snapshot.documentName || strings.title }),
    el(
      'p',
      { className: 'doc-meta' },
      el('span', { className: 'scope', text: scope }),
      ' · ',
      el('span', { text: fill(strings.characters, count(snapshot.characters, locale)) }),
      ' · ',
      el('span', { text: fill(strings.outputTokensNote, count(snapshot.outputTokens, locale)) }),
    ),
    ctx.context && renderContextLine(ctx.context, ctx),
  );
}

/** "+1,234 tokens ¥0.0009 per request from 3 context files (for src/a.ts) · model": file names stay text. */
function renderContextLine(c: ContextAdded, { strings, locale }: RenderContext): HTMLElement {
  const tokens = `${c.exact ? '' : '≈'}${count(c.tokens, locale)}`;
  const amount = c.perRequest ? amountNode(money(c.perRequest.amount, c.perRequest.currency, locale), c.perRequest.converted, strings) : '—';
  const parts = c.files === 1 ? fillNodes(strings.contextLineOne, tokens, amount, c.target) : fillNodes(strings.contextLineMany, tokens, amount, count(c.files, locale), c.target);
  return el(
    'p',
    { className: 'context-line', attrs: { title: c.exact ? strings.exact : (c.row.estimateBasis ?? strings.estimate) } },
    el('span', { className: 'context-text' }, ...parts),
    c.exact ? undefined : srOnly(` (${strings.estimate})`),
    ' · ',
    el('span', { className: 'context-model', text: c.row.name }),
  );
}

/** The projection's line for the context files: what they add per day and month at the calls a day entered. */
export function renderContextProjection(c: ContextAdded | undefined, callsPerDay: number, { strings, locale }: RenderContext): HTMLElement | undefined {
  const p = c?.projection;
  if (!c || !p) return undefined;
  const approx = c.exact ? '' : '≈';
  const amount = (v: number) => amountNode(`${approx}${money(v, p.currency, locale)}`, p.converted, strings);
  return el('p', { className: 'projection-context' }, ...fillNodes(strings.contextProjection, amount(p.daily), amount(p.monthly), count(callsPerDay, locale), c.row.name));
}

/** An amount with its "converted" mark right after it. */
function amountNode(text: string, converted: boolean, strings: PanelStrings): HTMLElement {
  return el('span', { className: 'amount', text }, converted ? convertedMark(strings) : undefined);
}

/** fill() for nodes: the template's {0}, {1}… replaced by text or elements, so a mark stays next to its amount. */
function fillNodes(template: string, ...values: (string | Node)[]): (string | Node)[] {
  const out: (string | Node)[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\d+)\}/g)) {
    const i = m.index ?? 0;
    if (i > last) out.push(template.slice(last, i));
    out.push(values[Number(m[1])] ?? m[0]);
    last = i + m[0].length;
  }
  if (last < template.length) out.push(template.slice(last));
  return out;
}

export function renderTable(rows: readonly PanelRow[], ctx: RenderContext): HTMLElement {
  const { view, strings } = ctx;
  // Explicit roles: the compact layout displays the table as a grid, and a display change must not cost the
  // table its semantics (Chromium drops them for some display values).
  const headRow = el('tr', { attrs: { role: 'row' } });
  for (const col of COLUMNS) {
    const sorted = view.sortKey === col.key;
    const th = el('th', { attrs: { scope: 'col', role: 'columnheader' }, className: `col-${col.key}${col.numeric ? ' num' : ''}${col.key === 'model' ? ' model-col' : ''}` });
    if (sorted) th.setAttribute('aria-sort', view.sortDescending ? 'descending' : 'ascending');
    const arrow = sorted ? (view.sortDescending ? '▼' : '▲') : '';
    th.append(
      el(
        'button',
        { className: 'sort', attrs: { type: 'button' }, data: { action: 'sort', key: col.key, focusKey: `sort:${col.key}` } },
        strings[col.key],
        el('span', { className: 'sort-arrow', text: arrow, attrs: { 'aria-hidden': 'true' } }),
      ),
    );
    headRow.append(th);
    if (col.key === 'total' && view.atDate) headRow.append(el('th', { className: 'num at-date', text: fill(strings.atDateColumn, view.atDate), attrs: { scope: 'col', role: 'columnheader' } }));
  }
  headRow.append(el('th', { className: 'col-actions', attrs: { scope: 'col', role: 'columnheader' } }, srOnly(strings.setDefault)));

  const body = el('tbody', { attrs: { role: 'rowgroup' } });
  rows.forEach((row, i) => body.append(renderRow(row, i, ctx)));

  const caption = el('caption', { text: strings.title }, srOnly(`, ${sortDescription(view, strings)}`));
  return el('table', { className: 'models', attrs: { role: 'table' } }, caption, el('thead', { attrs: { role: 'rowgroup' } }, headRow), body);
}

function renderRow(row: PanelRow, index: number, ctx: RenderContext): HTMLTableRowElement {
  const { strings, locale, view } = ctx;
  const cost = displayCost(row, view.currency);
  const modelId = `model-${index}`; // generated, never from data
  const approx = row.exact ? '' : '≈';

  const open = ctx.expanded?.has(row.id) === true;
  // The disclosure shows the row's other cells in the compact layout; CSS hides it where the whole row fits.
  const disclose = el(
    'button',
    {
      className: 'disclose',
      attrs: { type: 'button', 'aria-expanded': open ? 'true' : 'false', 'aria-describedby': `${modelId}-name` },
      data: { action: 'toggleDetails', id: row.id, focusKey: `details:${row.id}` },
    },
    el('span', { className: 'disclose-arrow', text: open ? '▾' : '▸', attrs: { 'aria-hidden': 'true' } }),
    srOnly(strings.details),
  );
  const model = el(
    'th',
    { attrs: { scope: 'row', id: modelId, role: 'rowheader' }, className: 'model' },
    disclose,
    el('span', { className: 'model-name', text: row.name, attrs: { id: `${modelId}-name`, title: row.name } }),
  );
  if (!row.exact) {
    model.append(
      ' ',
      el('span', { className: 'estimate', text: '≈', attrs: { title: row.estimateBasis ?? strings.estimate, 'aria-hidden': 'true' } }),
      srOnly(`(${strings.estimate}${row.estimateBasis ? `: ${row.estimateBasis}` : ''})`),
    );
  }
  if (row.isDefault) model.append(' ', el('span', { className: 'badge', text: strings.isDefault }));

  const tr = el(
    'tr',
    { className: [row.isDefault ? 'is-default' : '', open ? 'expanded' : ''].filter(Boolean).join(' ') || undefined, attrs: { role: 'row' } },
    detail(el('td', { className: 'vendor' }, el('span', { text: row.vendor })), strings.vendor),
    model,
    el('td', { className: 'num tokens', text: `${approx}${count(row.tokens, locale)}`, attrs: { title: row.exact ? strings.exact : strings.estimate, role: 'cell' } }),
    detail(moneyCell(cost.input, cost, ctx, 'input'), strings.input),
    detail(moneyCell(cost.output, cost, ctx, 'output'), strings.output),
    moneyCell(cost.total, cost, ctx, 'total'),
    view.atDate ? detail(atDateCell(row, ctx), fill(strings.atDateColumn, view.atDate)) : undefined,
    detail(contextCell(row, ctx), strings.context),
    detail(priceDateCell(row, strings), strings.priceDate),
    el(
      'td',
      { className: 'actions detail', attrs: { role: 'cell' } },
      el('button', {
        className: 'secondary',
        text: strings.setDefault,
        attrs: { type: 'button', 'aria-describedby': modelId, disabled: row.isDefault ? '' : undefined },
        data: { action: 'setDefault', id: row.id, focusKey: `default:${row.id}` },
      }),
      el('button', {
        className: 'secondary',
        text: strings.showHistory,
        attrs: { type: 'button', 'aria-describedby': modelId, 'aria-pressed': row.id === ctx.historyId ? 'true' : 'false' },
        data: { action: 'showHistory', id: row.id, focusKey: `history:${row.id}` },
      }),
    ),
  );
  return tr;
}

/**
 * A cell the compact layout shows only in the row's details, under a label of its own (its column header is not
 * shown there); the label is display:none in the full table, so nothing is read twice.
 */
function detail(td: HTMLTableCellElement, label: string): HTMLTableCellElement {
  td.classList.add('detail');
  td.setAttribute('role', 'cell');
  // One value box beside the label, so a "*" mark stays next to its amount in the compact layout's flex line.
  const value = el('span', { className: 'cell-value' });
  value.append(...td.childNodes);
  td.append(el('span', { className: 'cell-label', text: label }), value);
  return td;
}

/** The sort order as a select, for the compact layout whose header shows only the model, tokens and total columns. */
export function renderCompactSort(select: HTMLSelectElement, direction: HTMLButtonElement, { view, strings }: RenderContext): void {
  select.value = view.sortKey;
  direction.setAttribute('aria-pressed', view.sortDescending ? 'true' : 'false');
  direction.replaceChildren(el('span', { text: view.sortDescending ? '▼' : '▲', attrs: { 'aria-hidden': 'true' } }), srOnly(strings.descending));
  direction.title = view.sortDescending ? strings.descending : strings.ascending;
}

/** What the text would have cost on the chosen date; "—" with the reason when the model had no price yet. */
function atDateCell(row: PanelRow, ctx: RenderContext): HTMLTableCellElement {
  const { snapshot, view, strings } = ctx;
  const c = rowCostAt(row, snapshot, view.currency, view.atDate);
  if (!c) {
    const why = fill(strings.notReleased, view.atDate);
    return el('td', { className: 'num at-date none', attrs: { role: 'cell' } }, el('span', { text: '—', attrs: { title: why, 'aria-hidden': 'true' } }), srOnly(why));
  }
  return moneyCell(c.totalCost, c, ctx, 'at-date');
}

function moneyCell(amount: number, cost: { currency: 'CNY' | 'USD'; converted: boolean }, { strings, locale }: RenderContext, extra?: string): HTMLTableCellElement {
  const td = el('td', { className: extra ? `num ${extra}` : 'num', text: money(amount, cost.currency, locale), attrs: { role: 'cell' } });
  if (cost.converted) td.append(convertedMark(strings));
  return td;
}

function convertedMark(strings: PanelStrings): HTMLElement {
  // The footnote under the table explains "*" for everyone; the title repeats it on hover.
  return el('sup', { className: 'converted', text: '*', attrs: { title: strings.convertedNote } });
}

function contextCell(row: PanelRow, { strings, locale }: RenderContext): HTMLTableCellElement {
  const over = row.contextUse > 1;
  const fill = el('div', { className: 'bar-fill' });
  fill.style.width = `${barPercent(row.contextUse)}%`; // CSSOM, allowed by the CSP (inline style attributes are not)
  const td = el(
    'td',
    { className: over ? 'context over' : 'context', attrs: { title: `${count(row.tokens, locale)} / ${count(row.contextWindow, locale)}` } },
    el('div', { className: 'bar-track', attrs: { 'aria-hidden': 'true' } }, fill),
    el('span', { className: 'context-text', text: percent(row.contextUse, locale) }),
  );
  if (over) td.append(' ', el('span', { className: 'over-label', text: strings.overContext })); // the space: read as two words
  return td;
}

function priceDateCell(row: PanelRow, strings: PanelStrings): HTMLTableCellElement {
  const td = el('td', { className: 'price-date' }, el('span', { className: 'date', text: row.priceDate }));
  const url = safeHttpsUrl(row.source);
  if (url) {
    // A button, not a link: the extension opens the URL (after its own check), the webview never navigates.
    td.append(
      el('button', {
        className: 'link',
        text: new URL(url).hostname,
        attrs: { type: 'button', title: row.source, 'aria-label': `${strings.source}: ${new URL(url).hostname}` },
        data: { action: 'openSource', id: row.id, focusKey: `source:${row.id}` },
      }),
    );
  } else if (row.source) {
    td.append(el('span', { className: 'citation', text: strings.source, attrs: { title: row.source } }), srOnly(`: ${row.source}`));
  }
  return td;
}

export function renderFootnote(rows: readonly PanelRow[], { snapshot, view, strings }: RenderContext): HTMLElement | undefined {
  const converted = (r: PanelRow) => displayCost(r, view.currency).converted || (view.atDate !== '' && rowCostAt(r, snapshot, view.currency, view.atDate)?.converted === true);
  if (!rows.some(converted)) return undefined;
  return el('p', { className: 'footnote', text: `* ${strings.convertedNote}` });
}

/** Horizontal bars of the total, same rows and order as the table; a list, so every bar is readable text. */
export function renderChart(rows: readonly PanelRow[], { snapshot, view, strings, locale }: RenderContext): HTMLElement {
  const values = rows.map((r) => comparableCost(r, 'total', view.currency, snapshot.exchangeRate));
  const max = Math.max(0, ...values.filter(Number.isFinite));
  const list = el('ol', { className: 'chart', attrs: { 'aria-labelledby': 'chart-title' } });
  rows.forEach((row, i) => {
    const cost = displayCost(row, view.currency);
    const bar = el('div', { className: 'chart-fill' });
    bar.style.width = `${max > 0 && Number.isFinite(values[i]) ? (values[i] / max) * 100 : 0}%`;
    list.append(
      el(
        'li',
        { className: row.isDefault ? 'chart-row is-default' : 'chart-row' },
        el('span', { className: 'chart-label', text: row.name, attrs: { title: row.vendor } }),
        el('div', { className: 'chart-track', attrs: { 'aria-hidden': 'true' } }, bar),
        el('span', { className: 'chart-amount', text: money(cost.total, cost.currency, locale) }, cost.converted ? convertedMark(strings) : undefined),
      ),
    );
  });
  return el('section', { className: 'chart-section' }, el('h2', { text: strings.chartTitle, attrs: { id: 'chart-title' } }), list);
}
