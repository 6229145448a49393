// Which price lists were in force at a date or instant: history, current lists from their effectiveDate, promotions
// until their validUntil, and scheduled lists from theirs. Pure and free of Node APIs (the webview bundles it), and
// free of the cost model so cost() can use it without an import cycle.
import type { Currency, HistoricalPrice, ModelEntry } from './types';
import { CURRENCIES } from './types';

export type DatedModel = Pick<ModelEntry, 'prices' | 'history' | 'scheduled'>;

export interface Dated {
  list: HistoricalPrice;
  /** A current or scheduled list: what the vendor charges (or has announced), never superseded by another list. */
  current: boolean;
  /** Position among all lists (history, then current, then scheduled): later wins ties on the same date. */
  order: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A real calendar date written YYYY-MM-DD (not 2024-02-30). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * The table's dates have no time zone; an instant is matched to them by its UTC calendar day. (Vendors in China date
 * changes in Beijing time, 8 hours ahead: `listAt` already treats a one-day gap between currencies as one change.)
 */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The currency of the model's own list: the first current one, or for a retired model its last historical one. */
export function nativeCurrency(model: DatedModel): Currency | undefined {
  return model.prices[0]?.currency ?? model.history?.[model.history.length - 1]?.currency;
}

/**
 * The list in effect on `date`, preferring one in `currency` (as `pickList` does) and otherwise the other currency's,
 * for the caller to convert. Undefined before the model's first list ("no price at that date").
 *
 * - A list applies from its effectiveDate through its validUntil (a promotion's end), if any.
 * - Current lists (`prices`) and scheduled ones are never superseded: they are what the vendor charges now or has
 *   announced, one per currency; of several in effect in one currency the latest-dated wins (a scheduled list takes
 *   over on its date).
 * - A historical list is superseded by any later list, in either currency: vendors often published a change in one
 *   currency only (DeepSeek V3 in USD), and the older list in the other currency no longer applied. A list in the
 *   other currency dated one day later is the same change, dated in Beijing time and in UTC, and does not supersede.
 * - A retired model (no current list): the table has no retirement date. For a chart (`untilRetired` true, the
 *   default) its last list stays in effect. For pricing a call (`untilRetired` false, as cost() does) a wrong price is
 *   worse than none: a list of a retired model is in force on `date` only through its validUntil or while the table
 *   has a later-dated list (proof the model was still sold then). Give the last list a validUntil (the retirement
 *   day) to price calls up to the retirement.
 */
export function listAt(model: DatedModel, date: string, currency: Currency | 'native', untilRetired = true): HistoricalPrice | undefined {
  // cost() asks this for every model on every recount, nearly always for the same day: remember the answers per
  // model (by identity, checked against its list arrays so an edited model is recomputed).
  let memo = memos.get(model);
  if (!memo || memo.prices !== model.prices || memo.history !== model.history || memo.scheduled !== model.scheduled) {
    memo = { prices: model.prices, history: model.history, scheduled: model.scheduled, lists: datedLists(model), answers: new Map() };
    memos.set(model, memo);
  }
  const key = `${date}|${currency}|${untilRetired}`;
  if (memo.answers.has(key)) return memo.answers.get(key);
  const answer = datedAt(model, memo.lists, date, currency, untilRetired)?.list;
  if (memo.answers.size >= 64) memo.answers.clear(); // a chart or a date picker walking many dates stays bounded
  memo.answers.set(key, answer);
  return answer;
}

interface Memo {
  prices: DatedModel['prices'];
  history: DatedModel['history'];
  scheduled: DatedModel['scheduled'];
  lists: Dated[];
  answers: Map<string, HistoricalPrice | undefined>;
}
const memos = new WeakMap<DatedModel, Memo>();

/**
 * The lists in force at an instant, at most one per currency, the model's native currency first: each is the list
 * `listAt` (pricing a call: `untilRetired` false) picks for that currency on the instant's UTC day. Empty before the
 * model's first price, and for a retired model after its last known list.
 */
export function listsInForce(model: DatedModel, at: Date): HistoricalPrice[] {
  const date = utcDay(at);
  const native = nativeCurrency(model);
  const order = native ? [native, ...CURRENCIES.filter((c) => c !== native)] : [...CURRENCIES];
  const out: HistoricalPrice[] = [];
  for (const c of order) {
    const l = listAt(model, date, c, false);
    if (l && l.currency === c) out.push(l);
  }
  return out;
}

export function datedAt(model: DatedModel, lists: readonly Dated[], date: string, currency: Currency | 'native', untilRetired = true): Dated | undefined {
  if (!isIsoDate(date)) return undefined;
  const retiredEnds = !untilRetired && model.prices.length === 0 && !lists.some((d) => d.list.effectiveDate > date);
  const inEffect = lists.filter(
    (d) => appliesOn(d, date) && (d.current || !supersededOn(d, lists, date)) && !(retiredEnds && d.list.validUntil === undefined),
  );
  const want = currency === 'native' ? nativeCurrency(model) : currency;
  return latest(inEffect.filter((d) => d.list.currency === want)) ?? latest(inEffect);
}

/** The earliest effective date of any of the model's lists (its release, as far as the table knows). */
export function firstPriceDate(model: DatedModel): string | undefined {
  let first: string | undefined;
  for (const { list } of datedLists(model)) if (isIsoDate(list.effectiveDate) && (first === undefined || list.effectiveDate < first)) first = list.effectiveDate;
  return first;
}

export function datedLists(model: DatedModel): Dated[] {
  const history = (model.history ?? []).map((list) => ({ list, current: false }));
  const current = model.prices.map((list) => ({ list: list as HistoricalPrice, current: true }));
  const scheduled = (model.scheduled ?? []).map((list) => ({ list, current: true }));
  return [...history, ...current, ...scheduled].map((d, order) => ({ ...d, order }));
}

function appliesOn({ list }: Dated, date: string): boolean {
  return list.effectiveDate <= date && (list.validUntil === undefined || date <= list.validUntil);
}

function supersededOn(d: Dated, lists: readonly Dated[], date: string): boolean {
  const own = d.list;
  return lists.some((o) => {
    const l = o.list;
    if (o === d || !(l.effectiveDate > own.effectiveDate) || !appliesOn(o, date)) return false;
    return l.currency === own.currency || daysBetween(own.effectiveDate, l.effectiveDate) > 1;
  });
}

function latest(ds: readonly Dated[]): Dated | undefined {
  let best: Dated | undefined;
  for (const d of ds) {
    if (!best || d.list.effectiveDate > best.list.effectiveDate || (d.list.effectiveDate === best.list.effectiveDate && d.order > best.order)) best = d;
  }
  return best;
}

function utc(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b) - utc(a)) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(utc(date) + days * DAY_MS).toISOString().slice(0, 10);
}
