// Entry point of the comparison panel's webview: keeps the last price lists and the last counts, joins them by model
// id into the snapshot it renders, and keeps the UI state.
import type { DisplayCurrency } from '../core/money';
import { isPanelPrices, isPanelUpdate, joinSnapshot, parseFocus, type PanelPrices, type PanelRow, type PanelSnapshot, type PanelUpdate, type PanelViewState, type ToWebview, type WebviewStrings } from '../panel/protocol';
import { el, focusKeyOf, restoreFocus } from './dom';
import { fill, safeLocale } from './format';
import { renderHistory } from './historyView';
import { CACHE_PERCENT, CALLS_PER_DAY, OUTPUT_TOKENS, checkDate, checkNumber, localToday, type Checked, type NumberRange } from './inputs';
import { contextAdded, displaySteps, earliestPriceDate, projectRows } from './pricing';
import { renderProjectionTable } from './projectionView';
import { renderChart, renderCompactSort, renderContextProjection, renderFootnote, renderHeader, renderTable, type RenderContext } from './render';
import { statusText } from './status';
import { DISPLAY_CURRENCIES, SORT_KEYS, defaultViewState, effectiveVendor, nextSort, parseViewState, vendorsOf, visibleRows, type SortKey } from './table';
import { getVsCodeApi } from './vscodeApi';

const api = getVsCodeApi();
const restored = parseViewState(api.getState());
let view: PanelViewState = restored ?? defaultViewState();
let strings: WebviewStrings | undefined;
let locale: string | undefined;
let snapshot: PanelSnapshot | undefined;
/** The last price lists and the last counts; an update waits for the prices it was priced with. */
let prices: PanelPrices | undefined;
let update: PanelUpdate | undefined;
let lastVersion = -Infinity;
let settingCurrency: DisplayCurrency | undefined;

const root = document.getElementById('app') ?? document.body.appendChild(el('main', { attrs: { id: 'app' } }));
const header = el('div', { className: 'header-slot' });
const vendorSelect = el('select', { attrs: { id: 'vendor' }, data: { focusKey: 'vendor' } });
const currencySelect = el('select', { attrs: { id: 'currency' }, data: { focusKey: 'currency' } });
const vendorLabel = el('label', { attrs: { for: 'vendor' } });
const currencyLabel = el('label', { attrs: { for: 'currency' } });
const dateInput = el('input', { attrs: { type: 'date', id: 'at-date' }, data: { focusKey: 'atDate' } });
const dateLabel = el('label', { attrs: { for: 'at-date' } });
const clearDateButton = el('button', { className: 'secondary', attrs: { type: 'button' }, data: { action: 'clearDate', focusKey: 'clearDate' } });
const dateMessage = el('span', { className: 'input-message', attrs: { role: 'status', 'aria-live': 'polite' } });
const copyButton = el('button', { attrs: { type: 'button' }, data: { action: 'copySummary', focusKey: 'copy' } });
const showTokensButton = el('button', { className: 'secondary', attrs: { type: 'button' }, data: { action: 'showTokens', focusKey: 'showTokens' } });
const controls = el(
  'div',
  { className: 'controls' },
  el('span', { className: 'control' }, vendorLabel, vendorSelect),
  el('span', { className: 'control' }, currencyLabel, currencySelect),
  el('span', { className: 'control' }, dateLabel, dateInput, clearDateButton),
  copyButton,
  showTokensButton,
  dateMessage,
);
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
/** "Prices as of DATE" and, when stale, how to update: plain text from the host (textContent only). */
const asOfLine = el('p', { className: 'status prices-as-of' });
/** Shown while the panel shows only some models (a budget's quick fix); its button shows all again. */
const focusNote = el('span');
const showAllButton = el('button', { className: 'secondary', attrs: { type: 'button' }, data: { action: 'clearFocus', focusKey: 'clearFocus' } });
const focusBar = el('div', { className: 'focus-bar' }, focusNote, showAllButton);
let focus: { ids: Set<string>; note: string } | undefined;
const content = el('div', { className: 'content' });
/**
 * The compact layout's sort control (CSS shows it only where the table is compact): built once and kept across
 * renders, so an edit in the editor never closes its open dropdown.
 */
const sortSelect = el('select', { attrs: { id: 'sort-by' }, data: { focusKey: 'sortBy' } });
const sortLabel = el('label', { attrs: { for: 'sort-by' } });
const sortDirection = el('button', { className: 'secondary sort-direction', attrs: { type: 'button' }, data: { action: 'sortDirection', focusKey: 'sortDirection' } });
const compactSort = el('div', { className: 'compact-sort' }, sortLabel, sortSelect, sortDirection);
/** Rows whose details are open in the compact layout; not persisted (a reload starts collapsed). */
const expanded = new Set<string>();
const historySection = el('section', { className: 'history-section', attrs: { 'aria-labelledby': 'history-title' } });

// The projection's inputs are built once and never replaced, so typing in them is never interrupted by a re-render.
const callsInput = numberInput('calls-per-day', CALLS_PER_DAY, '1');
const outputInput = numberInput('output-per-call', OUTPUT_TOKENS, '1');
const cacheInput = numberInput('cache-hit', CACHE_PERCENT, 'any');
const callsLabel = el('label', { attrs: { for: 'calls-per-day' } });
const outputLabel = el('label', { attrs: { for: 'output-per-call' } });
const cacheLabel = el('label', { attrs: { for: 'cache-hit' } });
const projectionTitle = el('h2', { attrs: { id: 'projection-title' } });
const projectionMessage = el('p', { className: 'input-message', attrs: { role: 'status', 'aria-live': 'polite' } });
const projectionNote = el('p', { className: 'projection-note' });
/** What the context files add per day and month (the default model), between the note and the table. */
const projectionContext = el('div', { className: 'projection-context-slot' });
const projectionTable = el('div', { className: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'projection-title' } });
const projectionSection = el(
  'section',
  { className: 'projection-section', attrs: { 'aria-labelledby': 'projection-title' } },
  projectionTitle,
  el(
    'div',
    { className: 'controls' },
    el('span', { className: 'control' }, callsLabel, callsInput),
    el('span', { className: 'control' }, outputLabel, outputInput),
    el('span', { className: 'control' }, cacheLabel, cacheInput),
  ),
  projectionMessage,
  projectionNote,
  projectionContext,
  projectionTable,
);
/** Problems with the projection inputs, by input id: one line each under the inputs. */
const inputProblems = new Map<string, string>();

let skeletonBuilt = false;
let optionsKey = '';
let statusTimer: ReturnType<typeof setTimeout> | undefined;
/** The chart point holding the chart's tab stop, and the model it belongs to. */
let historyFocus = 0;
let historyFor = '';

window.addEventListener('message', (event: MessageEvent) => onMessage(event.data as ToWebview));
root.addEventListener('click', onClick);
vendorSelect.addEventListener('change', () => setView({ ...view, vendor: vendorSelect.value }));
currencySelect.addEventListener('change', () => {
  const c = currencySelect.value as DisplayCurrency;
  if (DISPLAY_CURRENCIES.includes(c)) setView({ ...view, currency: c });
});
dateInput.addEventListener('change', onDateChange);
sortSelect.addEventListener('change', () => {
  const key = sortSelect.value as SortKey;
  if (SORT_KEYS.includes(key) && key !== view.sortKey) setView({ ...view, sortKey: key, sortDescending: false });
});
callsInput.addEventListener('input', () => onNumberInput(callsInput, CALLS_PER_DAY, view.callsPerDay, (v) => ({ ...view, callsPerDay: v })));
outputInput.addEventListener('input', () => onNumberInput(outputInput, OUTPUT_TOKENS, effectiveOutputTokens(), (v) => ({ ...view, outputTokens: v })));
cacheInput.addEventListener('input', () => onNumberInput(cacheInput, CACHE_PERCENT, effectiveCacheHitShare() * 100, (v) => ({ ...view, cacheHitShare: v / 100 })));
// On commit (blur, Enter) an input shows the value actually used.
for (const input of [callsInput, outputInput, cacheInput]) input.addEventListener('change', () => syncProjectionInputs(true));
api.postMessage({ type: 'ready' });

function onMessage(msg: ToWebview): void {
  if (typeof msg !== 'object' || msg === null) return;
  if (msg.type === 'init') {
    strings = msg.strings;
    locale = safeLocale(msg.locale);
    if (locale) document.documentElement.lang = locale;
    optionsKey = ''; // labels may have changed
    render();
  } else if (msg.type === 'focus') {
    // No focus: every model again; a malformed one is ignored.
    const f = msg.focus === undefined ? undefined : parseFocus(msg.focus);
    if (msg.focus !== undefined && !f) return;
    focus = f ? { ids: new Set(f.modelIds), note: f.note } : undefined;
    // Cheapest first, every vendor: the focus is the answer to "which models fit", in order.
    if (focus) setView({ ...view, sortKey: 'total', sortDescending: false, vendor: defaultViewState().vendor });
    else render();
  } else if (msg.type === 'prices') {
    if (!isPanelPrices(msg.prices) || (prices && msg.prices.version < prices.version)) return; // malformed or out of order
    prices = msg.prices;
    join();
  } else if (msg.type === 'update') {
    const u = msg.update;
    if (!isPanelUpdate(u) || u.version < lastVersion) return; // malformed or out of order
    lastVersion = u.version;
    update = u;
    join();
  }
}

/** Renders the last counts with the prices they were priced with; until those arrive, the previous snapshot stays. */
function join(): void {
  const s = prices && update && joinSnapshot(prices, update);
  if (!s) return;
  // The setting decides the currency unless the user picked one here (restored state); a changed setting wins again.
  if ((snapshot === undefined && !restored) || (settingCurrency !== undefined && s.currency !== settingCurrency)) view = { ...view, currency: s.currency };
  settingCurrency = s.currency;
  snapshot = s;
  render();
}

function onClick(event: MouseEvent): void {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!target || !root.contains(target)) return;
  const { action, id, key, list } = target.dataset;
  if (action === 'sort' && SORT_KEYS.includes(key as SortKey)) setView(nextSort(view, key as SortKey));
  else if (action === 'sortDirection') setView({ ...view, sortDescending: !view.sortDescending });
  else if (action === 'toggleDetails' && id) {
    if (!expanded.delete(id)) expanded.add(id);
    render();
  }
  else if (action === 'openSource' && id) api.postMessage(list === undefined ? { type: 'openSource', modelId: id } : { type: 'openSource', modelId: id, list: Number(list) });
  else if (action === 'setDefault' && id) api.postMessage({ type: 'setDefaultModel', modelId: id });
  else if (action === 'copySummary') api.postMessage({ type: 'copySummary' });
  else if (action === 'showTokens') api.postMessage({ type: 'showTokens' });
  else if (action === 'clearFocus') {
    focus = undefined;
    api.postMessage({ type: 'clearFocus' });
    render();
  }
  else if (action === 'showHistory' && id) {
    setView({ ...view, historyModel: id });
    // A pointer click brings the chart into view; from the keyboard focus stays put and the heading is announced.
    if (event.detail > 0) historySection.scrollIntoView({ block: 'nearest' });
    else if (strings) announce(fill(strings.historyOf, snapshot?.rows.find((r) => r.id === id)?.name ?? id), true);
  } else if (action === 'clearDate') {
    dateInput.value = '';
    dateMessage.textContent = '';
    setView({ ...view, atDate: '' });
  }
}

function onDateChange(): void {
  if (!strings || !snapshot) return;
  const min = earliestPriceDate(snapshot.rows);
  const max = localToday();
  const c = checkDate(dateInput.value, min, max);
  dateMessage.textContent = c.problem === 'tooLow' || c.problem === 'tooHigh' ? fill(strings.dateOutOfRange, min ?? '', max, c.value) : '';
  if (dateInput.value !== c.value) dateInput.value = c.value;
  setView({ ...view, atDate: c.value });
}

function onNumberInput(input: HTMLInputElement, range: NumberRange, fallback: number, apply: (v: number) => PanelViewState): void {
  const c = checkNumber(input.value, range, fallback);
  noteProblem(input, c, range, fallback);
  setView(apply(c.value));
}

function noteProblem(input: HTMLInputElement, c: Checked<number>, range: NumberRange, fallback: number): void {
  if (!strings) return;
  const name = input.labels?.[0]?.textContent ?? input.id;
  const n = (v: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
  if (c.problem === 'notANumber') inputProblems.set(input.id, fill(strings.inputNotNumber, name, n(fallback)));
  else if (c.problem === 'tooLow') inputProblems.set(input.id, fill(strings.inputTooLow, name, n(range.min)));
  else if (c.problem === 'tooHigh') inputProblems.set(input.id, fill(strings.inputTooHigh, name, n(range.max)));
  else inputProblems.delete(input.id);
  projectionMessage.textContent = [...inputProblems.values()].join(' ');
}

function setView(next: PanelViewState): void {
  view = next;
  api.setState(view); // survives reloads and hiding (retainContextWhenHidden is off)
  render();
}

function effectiveOutputTokens(): number {
  return view.outputTokens ?? snapshot?.outputTokens ?? 0;
}

function effectiveCacheHitShare(): number {
  return view.cacheHitShare ?? snapshot?.cacheHitShare ?? 0;
}

/** Puts the values in use into the inputs, except into the one being typed in (unless it was just committed). */
function syncProjectionInputs(committed = false): void {
  const values: [HTMLInputElement, number][] = [
    [callsInput, view.callsPerDay],
    [outputInput, effectiveOutputTokens()],
    [cacheInput, Number((effectiveCacheHitShare() * 100).toPrecision(12))],
  ];
  for (const [input, value] of values) {
    if (!committed && document.activeElement === input) continue;
    if (input.value === '' || Number(input.value) !== value) input.value = String(value);
  }
}

function historyRow(s: PanelSnapshot, rows: readonly PanelRow[]): PanelRow | undefined {
  return s.rows.find((r) => r.id === view.historyModel) ?? s.rows.find((r) => r.isDefault) ?? rows[0];
}

function render(): void {
  if (!strings || !snapshot) return;
  const t = strings;
  const focusKey = focusKeyOf(document.activeElement);
  if (!skeletonBuilt) {
    root.replaceChildren(header, controls, focusBar, status, asOfLine, content, historySection, projectionSection);
    root.removeAttribute('aria-busy');
    skeletonBuilt = true;
  }
  const rows = visibleRows(snapshot, view, locale).filter((r) => !focus || focus.ids.has(r.id));
  focusBar.hidden = !focus;
  focusNote.textContent = focus?.note ?? '';
  showAllButton.textContent = t.showAllModels;
  const shown = historyRow(snapshot, rows);
  const inputs = { callsPerDay: view.callsPerDay, outputTokens: effectiveOutputTokens(), cacheHitShare: effectiveCacheHitShare() };
  // Priced now, as the rows' own costs were (off-peak hours apply), in the currency shown.
  const context = snapshot.message ? undefined : contextAdded(snapshot, view.currency, inputs, new Date());
  const ctx: RenderContext = { snapshot, view, strings: t, locale, historyId: shown?.id, expanded, context };
  header.replaceChildren(renderHeader(ctx));
  updateControls(snapshot, t);

  const empty = !!snapshot.message || rows.length === 0;
  controls.hidden = !!snapshot.message;
  historySection.hidden = empty || !shown;
  projectionSection.hidden = empty;
  if (empty) {
    content.replaceChildren(el('p', { className: 'message', text: snapshot.message || t.noData }));
    historySection.replaceChildren();
    projectionContext.replaceChildren();
    projectionTable.replaceChildren();
  } else {
    // The table scrolls sideways in a narrow panel, so its wrapper must be focusable to scroll by keyboard.
    const wrap = el('div', { className: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-label': t.title } }, renderTable(rows, ctx));
    const footnote = renderFootnote(rows, ctx);
    renderCompactSort(sortSelect, sortDirection, ctx);
    // The sort control stays in place (replacing it would close its dropdown); only what follows it is rebuilt.
    if (content.firstChild !== compactSort) content.replaceChildren(compactSort);
    while (compactSort.nextSibling) compactSort.nextSibling.remove();
    content.append(wrap, ...(footnote ? [footnote] : []), renderChart(rows, ctx));
    if (shown) {
      if (shown.id !== historyFor) {
        historyFor = shown.id;
        historyFocus = 0;
      }
      const steps = displaySteps(shown, view.currency, snapshot.exchangeRate);
      historySection.replaceChildren(...renderHistory(shown, steps, { strings: t, locale, focusIndex: historyFocus, onFocusPoint: (i) => (historyFocus = i) }));
    }
    const line = renderContextProjection(context, inputs.callsPerDay, ctx);
    projectionContext.replaceChildren(...(line ? [line] : []));
    projectionTable.replaceChildren(renderProjectionTable(projectRows(rows, snapshot, view.currency, inputs), t, locale));
    syncProjectionInputs();
  }
  renderAsOf(prices?.asOf);
  restoreFocus(root, focusKey);
  announce(statusText(rows, snapshot, view, t, locale));
}

function renderAsOf(asOf: PanelPrices['asOf']): void {
  asOfLine.hidden = !asOf;
  asOfLine.classList.toggle('stale', !!asOf?.stale);
  asOfLine.replaceChildren(...(asOf ? [el('span', { text: asOf.text }), ...(asOf.stale ? [el('span', { className: 'stale-note', text: ` ${asOf.stale}` })] : [])] : []));
}

function updateControls(s: PanelSnapshot, t: WebviewStrings): void {
  const vendors = vendorsOf(s.rows, locale);
  const key = JSON.stringify(vendors);
  if (key !== optionsKey) {
    // Rebuilt only when the vendor list changes, so typing in the editor never closes an open dropdown.
    optionsKey = key;
    vendorLabel.textContent = t.filterByVendor;
    currencyLabel.textContent = t.currency;
    copyButton.textContent = t.copySummary;
    sortLabel.textContent = t.sortBy;
    sortSelect.replaceChildren(...SORT_KEYS.map((k) => el('option', { text: t[k], attrs: { value: k } })));
    showTokensButton.textContent = t.showTokens;
    dateLabel.textContent = t.atDate;
    clearDateButton.textContent = t.atDateClear;
    projectionTitle.textContent = t.projectionTitle;
    callsLabel.textContent = t.callsPerDay;
    outputLabel.textContent = t.outputPerCall;
    cacheLabel.textContent = t.cacheHitPercent;
    projectionNote.textContent = t.projectionNote;
    vendorSelect.replaceChildren(el('option', { text: t.allVendors, attrs: { value: '' } }), ...vendors.map((v) => el('option', { text: v, attrs: { value: v } })));
    currencySelect.replaceChildren(
      el('option', { text: 'CNY', attrs: { value: 'CNY' } }),
      el('option', { text: 'USD', attrs: { value: 'USD' } }),
      el('option', { text: t.currencyNative, attrs: { value: 'native' } }),
    );
  }
  vendorSelect.value = effectiveVendor(s.rows, view.vendor);
  currencySelect.value = view.currency;
  const min = earliestPriceDate(s.rows);
  if (min) dateInput.min = min;
  dateInput.max = localToday();
  if (document.activeElement !== dateInput && dateInput.value !== view.atDate) dateInput.value = view.atDate;
}

function numberInput(id: string, range: NumberRange, step: string): HTMLInputElement {
  return el('input', { attrs: { type: 'number', id, min: String(range.min), max: String(range.max), step, inputmode: range.integer ? 'numeric' : 'decimal' }, data: { focusKey: id } });
}

/** Updates the live region after the text settles, so typing in the editor does not make a screen reader chatter. */
function announce(text: string, now = false): void {
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  if (status.textContent === '' || now) {
    status.textContent = text;
    return;
  }
  statusTimer = setTimeout(() => {
    if (status.textContent !== text) status.textContent = text;
  }, 600);
}
