// The cost model: what a prompt of N tokens costs on a model, in a currency, at an instant.
import { listAt, nativeCurrency, utcDay } from './prices/inForce';
import type { Currency, ModelEntry, OffPeakWindow, PriceList, PriceTier } from './prices/types';

export interface CostOptions {
  /** Currency to report in; 'native' keeps the model's own (first) price list. */
  currency: Currency | 'native';
  /** CNY per 1 USD, used only when the model has no list in the requested currency. */
  exchangeRate: number;
  /** Assumed output tokens per call. */
  outputTokens: number;
  /** Share of input tokens served from the vendor's cache (0–1); applies where the model has a cache-hit price. */
  cacheHitShare?: number;
  /**
   * The instant of the call. When given, the call is priced at the lists in force then (history, current lists from
   * their effectiveDate, promotions until validUntil, scheduled lists; see `listAt`), with that list's off-peak
   * windows on top, and there is no price before the model's first list. When absent: today's `prices`, no off-peak.
   */
  at?: Date;
}

/** Prices per 1M tokens actually applied. */
export interface AppliedPrices {
  input: number;
  output: number;
  cachedInput?: number;
}

export interface CostResult {
  currency: Currency;
  inputCost: number;
  outputCost: number;
  totalCost: number;
  /** True when the amounts were converted from the model's list in another currency. */
  converted: boolean;
  /** The list the prices came from. */
  list: PriceList;
  tier?: PriceTier;
  offPeak?: OffPeakWindow;
  /** Whether a cache-hit price was applied to part of the input. */
  cacheApplied: boolean;
  /** Per-1M prices applied, in the list's own currency. */
  applied: AppliedPrices;
}

/** Converts a price quoted per `unit` tokens to per 1M, without binary noise (0.0005 per 1K → 0.5 per 1M). */
export function perMillion(value: number, unit: number | undefined): number {
  if (!unit || unit === 1_000_000) return value;
  return Number((value * (1_000_000 / unit)).toPrecision(12));
}

/** An amount in `from` expressed in `to`; `rate` is CNY per USD. */
export function convert(amount: number, from: Currency, to: Currency, rate: number): number {
  if (from === to) return amount;
  return from === 'USD' ? amount * rate : amount / rate;
}

/** The list to price in: the one in the requested currency, else the model's first list (to be converted). */
export function pickList(model: ModelEntry, currency: Currency | 'native'): PriceList | undefined {
  if (currency !== 'native') {
    const same = model.prices.find((p) => p.currency === currency);
    if (same) return same;
  }
  return model.prices[0];
}

/** The tier for an input length: the one with the highest threshold below it; undefined means base prices. */
export function pickTier(list: PriceList, inputTokens: number): PriceTier | undefined {
  let chosen: PriceTier | undefined;
  for (const t of list.tiers ?? []) if (inputTokens > t.above && (!chosen || t.above > chosen.above)) chosen = t;
  return chosen;
}

export function cost(inputTokens: number, model: ModelEntry, options: CostOptions): CostResult | undefined {
  const at = options.at;
  if (at) {
    if (Number.isNaN(at.getTime())) return undefined;
    const list = listAt(model, utcDay(at), options.currency, false);
    if (!list) return undefined;
    // 'native' stays the model's own currency of today, so a cost on a past date reads in the same currency as now.
    const target = options.currency === 'native' ? (nativeCurrency(model) ?? list.currency) : options.currency;
    return costWithList(inputTokens, list, target, options, at);
  }
  const list = pickList(model, options.currency);
  if (!list) return undefined;
  return costWithList(inputTokens, list, options.currency === 'native' ? list.currency : options.currency, options, undefined);
}

/** Prices the call at one given list in `target` currency; `offPeakAt` is the instant whose off-peak window applies. */
export function costWithList(inputTokens: number, list: PriceList, target: Currency, options: Omit<CostOptions, 'currency' | 'at'>, offPeakAt: Date | undefined): CostResult {
  const tier = pickTier(list, inputTokens);
  const base = tier ?? list;
  let applied: AppliedPrices = {
    input: perMillion(base.input, list.unit),
    output: perMillion(base.output, list.unit),
    cachedInput: base.cachedInput === undefined ? undefined : perMillion(base.cachedInput, list.unit),
  };
  const offPeak = offPeakAt ? activeOffPeak(list, offPeakAt) : undefined;
  if (offPeak) applied = applyOffPeak(applied, offPeak, list.unit);

  const share = clamp01(options.cacheHitShare ?? 0);
  const cacheApplied = share > 0 && applied.cachedInput !== undefined;
  const inputRate = cacheApplied ? (1 - share) * applied.input + share * (applied.cachedInput as number) : applied.input;
  let inputCost = (inputTokens * inputRate) / 1e6;
  let outputCost = (Math.max(0, options.outputTokens) * applied.output) / 1e6;

  const converted = target !== list.currency;
  if (converted) {
    inputCost = convert(inputCost, list.currency, target, options.exchangeRate);
    outputCost = convert(outputCost, list.currency, target, options.exchangeRate);
  }
  return { currency: target, inputCost, outputCost, totalCost: inputCost + outputCost, converted, list, tier, offPeak, cacheApplied, applied };
}

function applyOffPeak(p: AppliedPrices, w: OffPeakWindow, unit: number | undefined): AppliedPrices {
  if (w.multiplier !== undefined) {
    const m = w.multiplier;
    return { input: p.input * m, output: p.output * m, cachedInput: p.cachedInput === undefined ? undefined : p.cachedInput * m };
  }
  return {
    input: w.input === undefined ? p.input : perMillion(w.input, unit),
    output: w.output === undefined ? p.output : perMillion(w.output, unit),
    cachedInput: w.cachedInput === undefined ? p.cachedInput : perMillion(w.cachedInput, unit),
  };
}

export function activeOffPeak(list: PriceList, at: Date): OffPeakWindow | undefined {
  return list.offPeak?.find((w) => inWindow(w, at));
}

const ISO_WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local weekday (ISO, 1 = Monday) and minutes since midnight of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'weekday') day = ISO_WEEKDAY[part.value];
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minutes: hour * 60 + minute };
}

/** [start, end) in local time; a window whose end is not after its start runs past midnight (and its day is the start's). */
export function inWindow(w: OffPeakWindow, at: Date): boolean {
  const { day, minutes } = localTime(at, w.timezone);
  const start = hhmm(w.start);
  const end = hhmm(w.end);
  const days = w.days;
  if (start < end) return minutes >= start && minutes < end && (!days || days.includes(day));
  // Wraps midnight: the part after midnight belongs to the previous day's window.
  if (minutes >= start) return !days || days.includes(day);
  if (minutes < end) return !days || days.includes(day === 1 ? 7 : day - 1);
  return false;
}

function hhmm(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
