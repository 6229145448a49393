// The webview's own pricing: history steps, the cost at a past date and the volume projection, from the rows' price
// lists with core's pure functions, so changing a date or an input recomputes at once without asking the extension.
// No DOM here, so unit tests import it directly.
import { convert, cost, type CostResult } from '../core/cost';
import { costAt, firstPriceDate, historySteps, type PriceStep } from '../core/history';
import type { Currency, ModelEntry } from '../core/prices/types';
import { project, type Projection } from '../core/projection';
import type { DisplayCurrency } from '../core/money';
import type { PanelRow, PanelSnapshot } from '../panel/protocol';
import { rowCurrency } from './table';

/** The row as core's model type: its lists are already per 1M tokens. */
export function modelOf(row: PanelRow): ModelEntry {
  return { id: row.id, vendor: row.vendor, name: row.name, tokenizer: row.tokenizer, contextWindow: row.contextWindow, prices: row.prices, history: row.history, ...(row.scheduled ? { scheduled: row.scheduled } : {}) };
}

/** A history step in the display currency: converted (and marked) when the list of the time was in the other one. */
export interface DisplayStep extends PriceStep {
  shownIn: Currency;
  shownInput: number;
  shownOutput: number;
  shownCached?: number;
  converted: boolean;
}

export function displaySteps(row: PanelRow, display: DisplayCurrency, rate: number): DisplayStep[] {
  const shownIn = rowCurrency(row, display);
  return historySteps(modelOf(row), shownIn).map((s) => ({
    ...s,
    shownIn,
    shownInput: convert(s.input, s.currency, shownIn, rate),
    shownOutput: convert(s.output, s.currency, shownIn, rate),
    shownCached: s.cachedInput === undefined ? undefined : convert(s.cachedInput, s.currency, shownIn, rate),
    converted: s.currency !== shownIn,
  }));
}

/** What the row's text (with the snapshot's output tokens and cache-hit share) would have cost on `date`; undefined = no price yet. */
export function rowCostAt(row: PanelRow, snapshot: PanelSnapshot, display: DisplayCurrency, date: string): CostResult | undefined {
  return costAt(modelOf(row), date, row.tokens, {
    currency: rowCurrency(row, display),
    exchangeRate: snapshot.exchangeRate,
    outputTokens: snapshot.outputTokens,
    cacheHitShare: snapshot.cacheHitShare,
  });
}

/** The earliest date any row has a price for: the date input's minimum. */
export function earliestPriceDate(rows: readonly PanelRow[]): string | undefined {
  let first: string | undefined;
  for (const r of rows) {
    const d = firstPriceDate(modelOf(r));
    if (d !== undefined && (first === undefined || d < first)) first = d;
  }
  return first;
}

export interface ProjectionInputs {
  callsPerDay: number;
  outputTokens: number;
  cacheHitShare: number;
}

export interface ProjectedRow {
  row: PanelRow;
  projection: Projection;
}

/**
 * Each row's projection with its text as the input of every call, cheapest first. In 'native' mode rows
 * are in different currencies, so they are compared in USD (CNY divided by the exchange rate), as the table does.
 */
export function projectRows(rows: readonly PanelRow[], snapshot: PanelSnapshot, display: DisplayCurrency, inputs: ProjectionInputs): ProjectedRow[] {
  const out: ProjectedRow[] = [];
  for (const row of rows) {
    const projection = project(
      modelOf(row),
      { inputTokens: row.tokens, outputTokens: inputs.outputTokens, callsPerDay: inputs.callsPerDay },
      { currency: rowCurrency(row, display), exchangeRate: snapshot.exchangeRate, outputTokens: inputs.outputTokens, cacheHitShare: inputs.cacheHitShare },
    );
    if (projection) out.push({ row, projection });
  }
  // Per call, so the order holds at zero calls a day too.
  const usd = (p: Projection) => convert(p.perCall, p.currency, 'USD', snapshot.exchangeRate > 0 ? snapshot.exchangeRate : 1);
  return out
    .map((p, index) => ({ p, index, v: usd(p.projection) }))
    .sort((a, b) => a.v - b.v || a.index - b.index)
    .map((x) => x.p);
}

/** What the context files add on a row's model: tokens, the input cost of one request, and the projection at list price. */
export interface ContextAdded {
  row: PanelRow;
  tokens: number;
  exact: boolean;
  files: number;
  target: string;
  /** Undefined when the model has no price at `now`. */
  perRequest?: { amount: number; currency: Currency; converted: boolean };
  /** Daily and monthly at the projection's calls a day, list price like the projection table; undefined without a price. */
  projection?: Projection;
}

/**
 * The default model's context files: priced alone at the input rate, as the status bar does (priced at `now`, with
 * the cache-hit share setting, like the row's own cost); undefined when none apply or its tokenizer was not counted.
 */
export function contextAdded(snapshot: PanelSnapshot, display: DisplayCurrency, inputs: ProjectionInputs, now: Date): ContextAdded | undefined {
  const c = snapshot.contextFiles;
  const row = snapshot.rows.find((r) => r.isDefault);
  const counted = row && c?.tokens[row.tokenizer];
  if (!c || !row || !counted || c.files < 1) return undefined;
  const model = modelOf(row);
  const currency = rowCurrency(row, display);
  const priced = cost(counted.tokens, model, { currency, exchangeRate: snapshot.exchangeRate, outputTokens: 0, cacheHitShare: snapshot.cacheHitShare, at: now });
  const projection = project(model, { inputTokens: counted.tokens, outputTokens: 0, callsPerDay: inputs.callsPerDay }, { currency, exchangeRate: snapshot.exchangeRate, outputTokens: 0, cacheHitShare: inputs.cacheHitShare });
  return {
    row,
    tokens: counted.tokens,
    exact: counted.exact,
    files: c.files,
    target: c.target,
    ...(priced ? { perRequest: { amount: priced.inputCost, currency: priced.currency, converted: priced.converted } } : {}),
    ...(projection ? { projection } : {}),
  };
}
