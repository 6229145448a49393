// Prices over time: which list applied on a given day, and a model's prices as a step series (the 2024 price war,
// later cuts and rises). Pure and free of Node APIs: the panel's webview bundles it too.
import { perMillion, type CostOptions, type CostResult, costWithList } from './cost';
import { addDays, datedAt, datedLists, isIsoDate, listAt, nativeCurrency, type Dated, type DatedModel } from './prices/inForce';
import type { Currency, ModelEntry } from './prices/types';

// The dating rules live in prices/inForce.ts (cost() needs them too); these names stay importable from here.
export { firstPriceDate, isIsoDate, listAt, listsInForce, nativeCurrency } from './prices/inForce';

/** One step of a model's price: from `date` on, until the next step. Prices per 1M tokens, in `currency`. */
export interface PriceStep {
  /** YYYY-MM-DD from which this price applied. */
  date: string;
  /** The list's own currency; differs from the one asked for when the model had no list in it then. */
  currency: Currency;
  input: number;
  output: number;
  cachedInput?: number;
  label?: string;
  source: string;
  note?: string;
  /** Which list the step comes from: its position in the model's `history`, then `prices`, then `scheduled`. */
  list: number;
}

/**
 * The model's prices as steps, oldest first: a step wherever the list in effect (per `listAt`) changes. Free prices
 * stay as zeros; each step keeps its list's own currency, so a chart can convert and mark it.
 */
export function historySteps(model: DatedModel, currency: Currency | 'native'): PriceStep[] {
  const lists = datedLists(model);
  const dates = new Set<string>();
  for (const { list } of lists) {
    if (isIsoDate(list.effectiveDate)) dates.add(list.effectiveDate);
    if (list.validUntil !== undefined && isIsoDate(list.validUntil)) dates.add(addDays(list.validUntil, 1)); // the day after a promotion ends
  }
  const steps: PriceStep[] = [];
  let previous: Dated | undefined;
  for (const date of [...dates].sort()) {
    const d = datedAt(model, lists, date, currency);
    if (!d || d === previous) continue;
    previous = d;
    const list = d.list;
    steps.push({
      date,
      currency: list.currency,
      input: perMillion(list.input, list.unit),
      output: perMillion(list.output, list.unit),
      cachedInput: list.cachedInput === undefined ? undefined : perMillion(list.cachedInput, list.unit),
      label: list.label,
      source: list.source,
      note: list.note,
      list: d.order,
    });
  }
  return steps;
}

/**
 * What `inputTokens` (plus `options.outputTokens`) would have cost on `date` at the list then in effect: list prices,
 * without off-peak discounts (a date has no time of day). 'native' reports in the model's own currency.
 * Undefined when the model had no price yet.
 */
export function costAt(model: ModelEntry, date: string, inputTokens: number, options: CostOptions): CostResult | undefined {
  const list = listAt(model, date, options.currency);
  if (!list) return undefined;
  const currency = options.currency === 'native' ? (nativeCurrency(model) ?? list.currency) : options.currency;
  return costWithList(inputTokens, list, currency, options, undefined);
}
