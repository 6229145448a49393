// What a workload costs per day and per month on a model, and what cache hits and off-peak hours would save.
// Priced by cost() so tiers, currencies and off-peak rules stay in one place. Pure: the panel's webview bundles it.
import { activeOffPeak, cost, costWithList, inWindow, localTime, type CostOptions, type CostResult } from './cost';
import type { Currency, ModelEntry, OffPeakWindow } from './prices/types';

/** A month, for projections, is 30 days (vendors bill by calendar month; 30 keeps months comparable). */
export const DAYS_PER_MONTH = 30;

export interface Workload {
  /** Input tokens per call (the text being priced). */
  inputTokens: number;
  /** Output tokens per call; replaces CostOptions.outputTokens. */
  outputTokens: number;
  callsPerDay: number;
}

export interface Amounts {
  perCall: number;
  daily: number;
  /** daily × DAYS_PER_MONTH. */
  monthly: number;
}

export interface Projection extends Amounts {
  currency: Currency;
  converted: boolean;
  /** Saved by the cache-hit share (CostOptions.cacheHitShare) against no cache hits; undefined without a cache-hit price. */
  cacheSavings?: Amounts;
  /** Saved if every call ran in the model's cheapest off-peak window; undefined without off-peak pricing. */
  offPeakSavings?: Amounts;
}

/**
 * The workload at list price (no cache hits, no off-peak discount, whatever `options.at` says), plus each saving
 * on its own against that list price. Undefined when the model has no current price.
 */
export function project(model: ModelEntry, workload: Workload, options: CostOptions): Projection | undefined {
  const input = nonNegative(workload.inputTokens);
  const calls = nonNegative(workload.callsPerDay);
  const priced = { ...options, outputTokens: nonNegative(workload.outputTokens) };
  const list = cost(input, model, { ...priced, cacheHitShare: 0, at: undefined });
  if (!list) return undefined;
  const amounts = (perCall: number): Amounts => ({ perCall, daily: perCall * calls, monthly: perCall * calls * DAYS_PER_MONTH });

  let cacheSavings: Amounts | undefined;
  if (list.applied.cachedInput !== undefined) {
    const cached = cost(input, model, { ...priced, at: undefined });
    if (cached) cacheSavings = amounts(list.totalCost - cached.totalCost);
  }

  let offPeakSavings: Amounts | undefined;
  let cheapest: CostResult | undefined;
  for (const window of list.list.offPeak ?? []) {
    const at = instantInWindow(window);
    if (!at || !activeOffPeak(list.list, at)) continue;
    // The same list with the window's discount: `at` is only a time of day here, not a date to look prices up on.
    const c = costWithList(input, list.list, list.currency, { ...priced, cacheHitShare: 0 }, at);
    if (!cheapest || c.totalCost < cheapest.totalCost) cheapest = c;
  }
  if (cheapest) offPeakSavings = amounts(list.totalCost - cheapest.totalCost);

  return { currency: list.currency, converted: list.converted, ...amounts(list.totalCost), cacheSavings, offPeakSavings };
}

// A fixed Monday noon (UTC) to search from: any week would do, a fixed one keeps results reproducible.
const REFERENCE_MS = Date.UTC(2025, 0, 6, 12);
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** An instant at which `window` is open (its start, local time, on a day it applies), or undefined if none is found. */
export function instantInWindow(window: OffPeakWindow): Date | undefined {
  const [h, m] = window.start.split(':').map(Number);
  const start = h * 60 + m;
  if (!Number.isFinite(start)) return undefined;
  let zoneOk = true;
  for (let day = 0; day < 7 && zoneOk; day++) {
    const probe = new Date(REFERENCE_MS + day * DAY_MS);
    try {
      const at = new Date(probe.getTime() + (start - localTime(probe, window.timezone).minutes) * MINUTE_MS);
      if (inWindow(window, at)) return at;
    } catch {
      zoneOk = false; // an unknown time zone: Intl throws, and there is no instant to find
    }
  }
  return undefined;
}

function nonNegative(x: number): number {
  return Number.isFinite(x) && x > 0 ? x : 0;
}
