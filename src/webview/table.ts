// Pure table logic for the comparison panel: which rows show, in which order, in which currency.
// No DOM here, so unit tests import it directly.
import type { Currency } from '../core/prices/types';
import { isIsoDate } from '../core/history';
import type { DisplayCurrency } from '../core/money';
import type { PanelRow, PanelSnapshot, PanelViewState, RowCost } from '../panel/protocol';
import { CACHE_PERCENT, CALLS_PER_DAY, DEFAULT_CALLS_PER_DAY, OUTPUT_TOKENS, checkNumber } from './inputs';

export type SortKey = PanelViewState['sortKey'];
export type CostField = 'input' | 'output' | 'total';

export const SORT_KEYS: readonly SortKey[] = ['vendor', 'model', 'tokens', 'input', 'output', 'total', 'context', 'priceDate'];
export const DISPLAY_CURRENCIES: readonly DisplayCurrency[] = ['CNY', 'USD', 'native'];

/** Cheapest first: what people open the panel to find out. */
export function defaultViewState(currency: DisplayCurrency = 'CNY'): PanelViewState {
  return { sortKey: 'total', sortDescending: false, vendor: '', currency, historyModel: '', atDate: '', callsPerDay: DEFAULT_CALLS_PER_DAY };
}

/**
 * Validates state restored from vscode.getState(); it may come from an older version of the panel. The table's
 * fields must be valid; the newer ones fall back to their defaults one by one, so an older state still restores.
 */
export function parseViewState(value: unknown): PanelViewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!SORT_KEYS.includes(v.sortKey as SortKey)) return undefined;
  if (typeof v.sortDescending !== 'boolean' || typeof v.vendor !== 'string') return undefined;
  if (!DISPLAY_CURRENCIES.includes(v.currency as DisplayCurrency)) return undefined;
  const state: PanelViewState = {
    sortKey: v.sortKey as SortKey,
    sortDescending: v.sortDescending,
    vendor: v.vendor,
    currency: v.currency as DisplayCurrency,
    historyModel: typeof v.historyModel === 'string' && v.historyModel.length <= 200 ? v.historyModel : '',
    atDate: isIsoDate(v.atDate) ? v.atDate : '',
    callsPerDay: typeof v.callsPerDay === 'number' ? checkNumber(v.callsPerDay, CALLS_PER_DAY, DEFAULT_CALLS_PER_DAY).value : DEFAULT_CALLS_PER_DAY,
  };
  // Absent means "follow the setting"; only numbers are restored.
  if (typeof v.outputTokens === 'number' && !Number.isNaN(v.outputTokens)) state.outputTokens = checkNumber(v.outputTokens, OUTPUT_TOKENS, 0).value;
  if (typeof v.cacheHitShare === 'number' && !Number.isNaN(v.cacheHitShare)) state.cacheHitShare = checkNumber(v.cacheHitShare * 100, CACHE_PERCENT, 0).value / 100;
  return state;
}

/** The currency a row is shown in. */
export function rowCurrency(row: PanelRow, display: DisplayCurrency): Currency {
  return display === 'native' ? row.native : display;
}

/** The row's costs in the currency it is shown in. */
export function displayCost(row: PanelRow, display: DisplayCurrency): RowCost & { currency: Currency } {
  const currency = rowCurrency(row, display);
  return { ...row.costs[currency], currency };
}

/**
 * A cost comparable across rows. In 'native' mode rows are in different currencies, so compare in USD:
 * USD-native rows as listed, CNY-native rows divided by the exchange rate (CNY per USD).
 */
export function comparableCost(row: PanelRow, field: CostField, display: DisplayCurrency, exchangeRate: number): number {
  if (display !== 'native') return row.costs[display][field];
  if (row.native === 'USD') return row.costs.USD[field];
  if (!(exchangeRate > 0) || !Number.isFinite(exchangeRate)) return row.costs.USD[field];
  return row.costs.CNY[field] / exchangeRate;
}

export function vendorsOf(rows: readonly PanelRow[], locale?: string): string[] {
  return [...new Set(rows.map((r) => r.vendor))].sort(collator(locale).compare);
}

/** '' means all vendors; a vendor that no longer has rows also shows all, rather than an unexplained empty table. */
export function effectiveVendor(rows: readonly PanelRow[], vendor: string): string {
  return vendor !== '' && rows.some((r) => r.vendor === vendor) ? vendor : '';
}

export function filterRows(rows: readonly PanelRow[], vendor: string): PanelRow[] {
  return vendor === '' ? [...rows] : rows.filter((r) => r.vendor === vendor);
}

type SortValue = { kind: 'number'; value: number } | { kind: 'text'; value: string };

function sortValue(row: PanelRow, key: SortKey, display: DisplayCurrency, exchangeRate: number): SortValue {
  switch (key) {
    case 'vendor':
      return { kind: 'text', value: row.vendor };
    case 'model':
      return { kind: 'text', value: row.name };
    case 'priceDate':
      return { kind: 'text', value: row.priceDate };
    case 'tokens':
      return { kind: 'number', value: row.tokens };
    case 'context':
      return { kind: 'number', value: row.contextUse };
    case 'input':
    case 'output':
    case 'total':
      return { kind: 'number', value: comparableCost(row, key, display, exchangeRate) };
  }
}

/**
 * Sorts a copy. Ties keep their incoming order in both directions (stable), and values that are not finite
 * numbers (a missing price or context window) always go last, so "descending" never puts garbage on top.
 */
export function sortRows(
  rows: readonly PanelRow[],
  key: SortKey,
  descending: boolean,
  display: DisplayCurrency,
  exchangeRate: number,
  locale?: string,
): PanelRow[] {
  const compareText = collator(locale).compare;
  const decorated = rows.map((row, index) => ({ row, index, v: sortValue(row, key, display, exchangeRate) }));
  decorated.sort((a, b) => {
    let c: number;
    if (a.v.kind === 'number' && b.v.kind === 'number') {
      const af = Number.isFinite(a.v.value);
      const bf = Number.isFinite(b.v.value);
      if (!af || !bf) return af === bf ? a.index - b.index : af ? -1 : 1;
      c = a.v.value - b.v.value;
    } else {
      c = compareText(String(a.v.value), String(b.v.value));
    }
    if (descending) c = -c;
    return c !== 0 ? c : a.index - b.index;
  });
  return decorated.map((d) => d.row);
}

/** Filter then sort: the rows the table and the chart show, in the same order. */
export function visibleRows(snapshot: PanelSnapshot, view: PanelViewState, locale?: string): PanelRow[] {
  const rows = filterRows(snapshot.rows, effectiveVendor(snapshot.rows, view.vendor));
  return sortRows(rows, view.sortKey, view.sortDescending, view.currency, snapshot.exchangeRate, locale);
}

/** The cheapest row by total (comparable across currencies), first on ties. */
export function cheapest(rows: readonly PanelRow[], display: DisplayCurrency, exchangeRate: number): PanelRow | undefined {
  return sortRows(rows, 'total', false, display, exchangeRate)[0];
}

/** Width of a bar for a share (0..1+), capped at 100%; unknown shares draw nothing. */
export function barPercent(share: number): number {
  if (!Number.isFinite(share) || share <= 0) return 0;
  return Math.min(100, share * 100);
}

/** Clicking the sorted column flips it; another column starts ascending. */
export function nextSort(view: PanelViewState, key: SortKey): PanelViewState {
  return key === view.sortKey ? { ...view, sortDescending: !view.sortDescending } : { ...view, sortKey: key, sortDescending: false };
}

const collators = new Map<string, Intl.Collator>();
function collator(locale: string | undefined): Intl.Collator {
  const k = locale ?? '';
  let c = collators.get(k);
  if (!c) {
    try {
      c = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    } catch {
      c = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }); // a bad locale tag must not break sorting
    }
    collators.set(k, c);
  }
  return c;
}
