// Entry point of the comparison panel's webview: receives snapshots, keeps the UI state, renders.
import type { DisplayCurrency, PanelSnapshot, PanelStrings, PanelViewState, ToWebview } from '../panel/protocol';
import { el, focusKeyOf, restoreFocus } from './dom';
import { safeLocale } from './format';
import { renderChart, renderFootnote, renderHeader, renderTable, type RenderContext } from './render';
import { statusText } from './status';
import { DISPLAY_CURRENCIES, SORT_KEYS, defaultViewState, effectiveVendor, nextSort, parseViewState, vendorsOf, visibleRows, type SortKey } from './table';
import { getVsCodeApi } from './vscodeApi';

const api = getVsCodeApi();
const restored = parseViewState(api.getState());
let view: PanelViewState = restored ?? defaultViewState();
let strings: PanelStrings | undefined;
let locale: string | undefined;
let snapshot: PanelSnapshot | undefined;
let lastVersion = -Infinity;
let settingCurrency: DisplayCurrency | undefined;

const root = document.getElementById('app') ?? document.body.appendChild(el('main', { attrs: { id: 'app' } }));
const header = el('div', { className: 'header-slot' });
const vendorSelect = el('select', { attrs: { id: 'vendor' }, data: { focusKey: 'vendor' } });
const currencySelect = el('select', { attrs: { id: 'currency' }, data: { focusKey: 'currency' } });
const vendorLabel = el('label', { attrs: { for: 'vendor' } });
const currencyLabel = el('label', { attrs: { for: 'currency' } });
const copyButton = el('button', { attrs: { type: 'button' }, data: { action: 'copySummary', focusKey: 'copy' } });
const controls = el('div', { className: 'controls' }, el('span', { className: 'control' }, vendorLabel, vendorSelect), el('span', { className: 'control' }, currencyLabel, currencySelect), copyButton);
const status = el('p', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const content = el('div', { className: 'content' });
let skeletonBuilt = false;
let optionsKey = '';
let statusTimer: ReturnType<typeof setTimeout> | undefined;

window.addEventListener('message', (event: MessageEvent) => onMessage(event.data as ToWebview));
root.addEventListener('click', onClick);
vendorSelect.addEventListener('change', () => setView({ ...view, vendor: vendorSelect.value }));
currencySelect.addEventListener('change', () => {
  const c = currencySelect.value as DisplayCurrency;
  if (DISPLAY_CURRENCIES.includes(c)) setView({ ...view, currency: c });
});
api.postMessage({ type: 'ready' });

function onMessage(msg: ToWebview): void {
  if (typeof msg !== 'object' || msg === null) return;
  if (msg.type === 'init') {
    strings = msg.strings;
    locale = safeLocale(msg.locale);
    if (locale) document.documentElement.lang = locale;
    optionsKey = ''; // labels may have changed
    render();
  } else if (msg.type === 'update') {
    const s = msg.snapshot;
    if (typeof s !== 'object' || s === null || !Array.isArray(s.rows) || s.version < lastVersion) return; // out of order
    lastVersion = s.version;
    // The setting decides the currency unless the user picked one here (restored state); a changed setting wins again.
    if ((snapshot === undefined && !restored) || (settingCurrency !== undefined && s.currency !== settingCurrency)) view = { ...view, currency: s.currency };
    settingCurrency = s.currency;
    snapshot = s;
    render();
  }
}

function onClick(event: MouseEvent): void {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
  if (!target || !root.contains(target)) return;
  const { action, id, key } = target.dataset;
  if (action === 'sort' && SORT_KEYS.includes(key as SortKey)) setView(nextSort(view, key as SortKey));
  else if (action === 'openSource' && id) api.postMessage({ type: 'openSource', modelId: id });
  else if (action === 'setDefault' && id) api.postMessage({ type: 'setDefaultModel', modelId: id });
  else if (action === 'copySummary') api.postMessage({ type: 'copySummary' });
}

function setView(next: PanelViewState): void {
  view = next;
  api.setState(view); // survives reloads and hiding (retainContextWhenHidden is off)
  render();
}

function render(): void {
  if (!strings || !snapshot) return;
  const focusKey = focusKeyOf(document.activeElement);
  if (!skeletonBuilt) {
    root.replaceChildren(header, controls, status, content);
    root.removeAttribute('aria-busy');
    skeletonBuilt = true;
  }
  const ctx: RenderContext = { snapshot, view, strings, locale };
  header.replaceChildren(renderHeader(ctx));
  updateControls(snapshot, strings);

  const rows = visibleRows(snapshot, view, locale);
  if (snapshot.message) {
    controls.hidden = true;
    content.replaceChildren(el('p', { className: 'message', text: snapshot.message }));
  } else if (rows.length === 0) {
    controls.hidden = false;
    content.replaceChildren(el('p', { className: 'message', text: strings.noData }));
  } else {
    controls.hidden = false;
    // The table scrolls sideways in a narrow panel, so its wrapper must be focusable to scroll by keyboard.
    const wrap = el('div', { className: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-label': strings.title } }, renderTable(rows, ctx));
    const footnote = renderFootnote(rows, ctx);
    content.replaceChildren(wrap, ...(footnote ? [footnote] : []), renderChart(rows, ctx));
  }
  restoreFocus(root, focusKey);
  announce(statusText(rows, snapshot, view, strings, locale));
}

function updateControls(s: PanelSnapshot, t: PanelStrings): void {
  const vendors = vendorsOf(s.rows, locale);
  const key = JSON.stringify(vendors);
  if (key !== optionsKey) {
    // Rebuilt only when the vendor list changes, so typing in the editor never closes an open dropdown.
    optionsKey = key;
    vendorLabel.textContent = t.filterByVendor;
    currencyLabel.textContent = t.currency;
    copyButton.textContent = t.copySummary;
    vendorSelect.replaceChildren(el('option', { text: t.allVendors, attrs: { value: '' } }), ...vendors.map((v) => el('option', { text: v, attrs: { value: v } })));
    currencySelect.replaceChildren(
      el('option', { text: 'CNY', attrs: { value: 'CNY' } }),
      el('option', { text: 'USD', attrs: { value: 'USD' } }),
      el('option', { text: t.currencyNative, attrs: { value: 'native' } }),
    );
  }
  vendorSelect.value = effectiveVendor(s.rows, view.vendor);
  currencySelect.value = view.currency;
}

/** Updates the live region after the text settles, so typing in the editor does not make a screen reader chatter. */
function announce(text: string): void {
  if (statusTimer !== undefined) clearTimeout(statusTimer);
  if (status.textContent === '') {
    status.textContent = text;
    return;
  }
  statusTimer = setTimeout(() => {
    if (status.textContent !== text) status.textContent = text;
  }, 600);
}
