// `npm run prices:check`: what a maintainer must fix before shipping the price table. Pure: takes the parsed table
// and today's date, returns findings; test/prices-check.ts prints them and sets the exit code.
import { perMillion } from '../cost';
import { daysBetween, isIsoDate, utcDay } from './inForce';
import type { HistoricalPrice, ModelEntry, PriceList } from './types';
import { validatePriceTable } from './validate';

/** A list not verified against its source for longer than this is due for a re-check. */
export const CHECK_MAX_AGE_DAYS = 45;
/**
 * CNY per USD that a converted list would plausibly have used: the 2023–2026 range of the official rate, widened a
 * little (6.8–7.4). A USD/CNY pair consistent with one rate in this range on every price is flagged.
 */
export const FX_RANGE = { min: 6.8, max: 7.4 } as const;

export type CheckRule =
  | 'invalid'
  | 'checked-missing'
  | 'checked-stale'
  | 'checked-future'
  | 'fx-conversion'
  | 'promotion-expired'
  | 'scheduled-due'
  | 'future-effective'
  | 'history-order'
  | 'cache-missing';

/** Rules that are heuristics: a hit may be correct data, acknowledged with a `checkWaivers` entry and a reason. */
export const WAIVABLE_RULES: readonly CheckRule[] = ['fx-conversion', 'cache-missing'];

export interface CheckFinding {
  rule: CheckRule;
  /** JSON path, e.g. `models[3].prices[0].checked`. */
  path: string;
  model?: string;
  message: string;
  /** Set when a `checkWaivers` entry acknowledges the finding; it is then reported but does not fail. */
  waived?: string;
  /** A note is printed for a maintainer to glance at and never fails (see the fx-conversion rule). */
  note?: boolean;
}

export interface CheckResult {
  findings: CheckFinding[];
  /** Findings that are neither waived nor notes. */
  failures: CheckFinding[];
  /** Human-readable lines, one per finding, then a summary line. */
  lines: string[];
}

/**
 * Checks a price table (the parsed JSON) as of `today`:
 * - validator errors (any: the shipped table must be clean);
 * - every current and scheduled list has a `checked` date, not in the future and at most CHECK_MAX_AGE_DAYS old;
 * - no USD/CNY pair of one model is an exchange-rate conversion of the other (see `fxConversionRate`);
 * - no promotion past its validUntil is still in `prices`; no scheduled list whose date has come is still scheduled;
 * - no current or historical list takes effect after today (future lists belong in `scheduled`);
 * - history and scheduled lists are oldest first, and no history list is dated after the current list in its currency;
 * - heuristic: a model with no cache-hit price while another model of its vendor has one (often a price left out).
 * Waivers (top-level `checkWaivers: [{ model, rule, reason }]`) acknowledge hits of the WAIVABLE_RULES.
 */
export function checkPriceTable(input: unknown, today: Date): CheckResult {
  const day = utcDay(today);
  const findings: CheckFinding[] = [];
  const add = (rule: CheckRule, path: string, model: string | undefined, message: string) => findings.push({ rule, path, model, message });

  const { errors } = validatePriceTable(input);
  for (const e of errors) add('invalid', e.path, e.model, e.message);
  // The checks below read the raw entries (so paths match the file), skipping any that are not objects.
  const raw = isObject(input) && Array.isArray(input.models) ? (input.models as unknown[]) : [];
  const models: { m: ModelEntry; path: string }[] = [];
  raw.forEach((m, i) => {
    if (isObject(m) && typeof m.id === 'string' && Array.isArray(m.prices)) models.push({ m: m as unknown as ModelEntry, path: `models[${i}]` });
  });

  for (const { m, path } of models) {
    const current = m.prices.filter(isObject) as PriceList[];
    const scheduled = (Array.isArray(m.scheduled) ? m.scheduled.filter(isObject) : []) as HistoricalPrice[];
    const history = (Array.isArray(m.history) ? m.history.filter(isObject) : []) as HistoricalPrice[];
    const lists: [PriceList, string][] = [
      ...current.map((l, j): [PriceList, string] => [l, `${path}.prices[${j}]`]),
      ...scheduled.map((l, j): [PriceList, string] => [l, `${path}.scheduled[${j}]`]),
    ];
    for (const [l, p] of lists) {
      if (!isIsoDate(l.checked)) add('checked-missing', `${p}.checked`, m.id, `${l.currency} list has no "checked" date: verify it against ${l.source} and add the date`);
      else if (l.checked > day) add('checked-future', `${p}.checked`, m.id, `"checked" ${l.checked} is after today (${day})`);
      else if (daysBetween(l.checked, day) > CHECK_MAX_AGE_DAYS) {
        add('checked-stale', `${p}.checked`, m.id, `${l.currency} list last checked ${l.checked}, ${daysBetween(l.checked, day)} days ago (limit ${CHECK_MAX_AGE_DAYS}): re-check ${l.source}`);
      }
    }
    current.forEach((l, j) => {
      const p = `${path}.prices[${j}]`;
      if (isIsoDate(l.validUntil) && l.validUntil < day) add('promotion-expired', `${p}.validUntil`, m.id, `promotion ended ${l.validUntil} but is still a current ${l.currency} list: move it to history and the list price that followed into prices`);
      if (isIsoDate(l.effectiveDate) && l.effectiveDate > day) add('future-effective', `${p}.effectiveDate`, m.id, `current ${l.currency} list takes effect ${l.effectiveDate}, after today: put it in "scheduled"`);
    });
    scheduled.forEach((l, j) => {
      if (isIsoDate(l.effectiveDate) && l.effectiveDate <= day) add('scheduled-due', `${path}.scheduled[${j}].effectiveDate`, m.id, `scheduled ${l.currency} list took effect ${l.effectiveDate}: move it to prices (and the list it replaced to history)`);
    });
    history.forEach((l, j) => {
      if (isIsoDate(l.effectiveDate) && l.effectiveDate > day) add('future-effective', `${path}.history[${j}].effectiveDate`, m.id, `history list dated ${l.effectiveDate}, after today`);
    });
    checkOrder(history, `${path}.history`, m.id, add);
    checkOrder(scheduled, `${path}.scheduled`, m.id, add);
    history.forEach((h, j) => {
      const cur = current.find((c) => c.currency === h.currency);
      if (cur && isIsoDate(h.effectiveDate) && isIsoDate(cur.effectiveDate) && h.effectiveDate > cur.effectiveDate) {
        add('history-order', `${path}.history[${j}].effectiveDate`, m.id, `history ${h.currency} list dated ${h.effectiveDate} is after the current one (${cur.effectiveDate}): superseded lists must be older`);
      }
    });

    const usd = current.find((l) => l.currency === 'USD');
    const cny = current.find((l) => l.currency === 'CNY');
    if (usd && cny) {
      const rate = fxConversionRate(usd, cny);
      if (rate !== undefined) {
        const at = `at ≈${rate.toFixed(4)} CNY/USD on every price (rounded to 3 significant digits or more)`;
        // Vendors do set one list at a round rate (MiniMax at 7.0, DeepSeek at ≈6.82); with each list citing its own
        // page that is their published pair. One source for both means one list was derived from the other.
        if (usd.source.trim() === cny.source.trim()) {
          add('fx-conversion', `${path}.prices`, m.id, `the USD and CNY lists cite one source and are one conversion of each other ${at}: keep only the currency that source publishes, or waive if it publishes both`);
        } else {
          add('fx-conversion', `${path}.prices`, m.id, `the USD and CNY lists are proportional ${at}, each with its own source: confirm both pages publish these prices`);
          findings[findings.length - 1].note = true;
        }
      }
    }
  }

  // Heuristic: a vendor that prices cache hits usually does so for every model it prices from then on. So a model
  // whose current lists all lack a cache-hit price, and which were set on or after the first date that vendor had
  // one (on any model, current or history), is flagged; older lists (gpt-3.5-turbo's) predate the vendor's caching.
  const firstCache = new Map<string, { date: string; id: string }>();
  for (const { m } of models) {
    for (const l of [...m.prices, ...(Array.isArray(m.history) ? m.history : [])]) {
      if (!isObject(l) || l.cachedInput === undefined || !isIsoDate(l.effectiveDate)) continue;
      const f = firstCache.get(m.vendor);
      if (!f || l.effectiveDate < f.date) firstCache.set(m.vendor, { date: l.effectiveDate, id: m.id });
    }
  }
  for (const { m, path } of models) {
    const f = firstCache.get(m.vendor);
    const current = m.prices.filter(isObject) as PriceList[];
    if (!f || current.length === 0 || current.some((l) => l.cachedInput !== undefined)) continue;
    const newest = current.map((l) => l.effectiveDate).filter(isIsoDate).sort().at(-1);
    if (newest !== undefined && newest >= f.date) {
      add('cache-missing', `${path}.prices`, m.id, `no cache-hit price on a list set ${newest}, though ${m.vendor} priced cache hits from ${f.date} (${f.id}) — a heuristic: add the vendor's cache price, or waive if the model has none`);
    }
  }

  applyWaivers(findings, isObject(input) ? input.checkWaivers : undefined, add);
  const failures = findings.filter((f) => !f.waived && !f.note);
  const label = (f: CheckFinding) => (f.waived ? 'waived' : f.note ? 'note' : 'FAIL');
  const lines = findings.map((f) => `${label(f)}  ${f.rule}  ${f.path}${f.model ? ` (${f.model})` : ''}: ${f.message}${f.waived ? ` — waived: ${f.waived}` : ''}`);
  const waived = findings.filter((f) => f.waived).length;
  lines.push(`${models.length} models checked as of ${day}: ${failures.length} failure${failures.length === 1 ? '' : 's'}, ${waived} waived, ${findings.length - failures.length - waived} notes.`);
  return { findings, failures, lines };
}

/**
 * The exchange rate (CNY per USD, within FX_RANGE) at which one list of the pair is an exact conversion of the other,
 * or undefined. "Exact" means: for one rate R and one direction, every price both lists state and that is not zero
 * (input, output, and cache-hit, cache-write and thinking-output prices where both have them; tier prices where both
 * have the same thresholds) equals the other list's price times R (or divided by R), rounded to its own number of
 * significant digits but at least 3. Per-1M prices are compared, so units do not matter. A pair with fewer than two
 * such prices is never flagged (too little evidence).
 */
export function fxConversionRate(usd: PriceList, cny: PriceList): number | undefined {
  const pairs = pricePairs(usd, cny);
  if (pairs.length < 2) return undefined;
  for (const toCny of [true, false]) {
    let lo: number = FX_RANGE.min;
    let hi: number = FX_RANGE.max;
    for (const [u, c] of pairs) {
      // toCny: cny = round(u × R), so R ∈ [cLo/u, cHi/u]; else usd = round(c / R), so R ∈ [c/uHi, c/uLo].
      const [a, b] = toCny ? roundingInterval(c).map((v) => v / u) : roundingInterval(u).map((v) => c / v).reverse();
      lo = Math.max(lo, a);
      hi = Math.min(hi, b);
      if (lo > hi) break;
    }
    if (lo <= hi) return (lo + hi) / 2;
  }
  return undefined;
}

function pricePairs(usd: PriceList, cny: PriceList): [number, number][] {
  const out: [number, number][] = [];
  const push = (u: number | undefined, c: number | undefined) => {
    if (typeof u === 'number' && typeof c === 'number' && u > 0 && c > 0) out.push([perMillion(u, usd.unit), perMillion(c, cny.unit)]);
  };
  for (const f of ['input', 'output', 'cachedInput', 'cacheWrite', 'thinkingOutput'] as const) push(usd[f], cny[f]);
  for (const t of usd.tiers ?? []) {
    const o = cny.tiers?.find((x) => x.above === t.above);
    if (o) for (const f of ['input', 'output', 'cachedInput', 'cacheWrite'] as const) push(t[f], o[f]);
  }
  return out;
}

/** The values that round to `y` at y's own number of significant digits, but at least 3. */
function roundingInterval(y: number): [number, number] {
  const digits = Math.max(3, significantDigits(y));
  const exp = Math.floor(Math.log10(y));
  const unit = 10 ** (exp - digits + 1);
  // Just below a power of ten the digits are one decade smaller (0.9995 rounds to 1.00 at 3 digits).
  const below = Number.isInteger(Math.log10(y)) ? unit / 10 : unit;
  return [y - below / 2, y + unit / 2];
}

function significantDigits(y: number): number {
  for (let d = 1; d <= 15; d++) if (Number(y.toPrecision(d)) === y) return d;
  return 15;
}

function checkOrder(lists: readonly PriceList[], path: string, model: string, add: (r: CheckRule, p: string, m: string, msg: string) => void): void {
  for (let j = 1; j < lists.length; j++) {
    const a = lists[j - 1].effectiveDate;
    const b = lists[j].effectiveDate;
    if (isIsoDate(a) && isIsoDate(b) && b < a) add('history-order', `${path}[${j}].effectiveDate`, model, `${b} comes after ${a}: list oldest first`);
  }
}

function applyWaivers(findings: CheckFinding[], raw: unknown, add: (r: CheckRule, p: string, m: string | undefined, msg: string) => void): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) return void add('invalid', 'checkWaivers', undefined, 'must be an array of { model, rule, reason }');
  raw.forEach((w, k) => {
    const p = `checkWaivers[${k}]`;
    if (!isObject(w) || typeof w.model !== 'string' || typeof w.rule !== 'string' || typeof w.reason !== 'string' || !w.reason.trim()) {
      return add('invalid', p, undefined, 'a waiver needs "model", "rule" and a non-empty "reason"');
    }
    if (!WAIVABLE_RULES.includes(w.rule as CheckRule)) return add('invalid', `${p}.rule`, w.model, `"${w.rule}" cannot be waived; only ${WAIVABLE_RULES.join(', ')}`);
    const hits = findings.filter((f) => f.rule === w.rule && f.model === w.model && !f.waived && !f.note);
    if (hits.length === 0) return add('invalid', p, w.model, `waiver matches no finding (rule ${w.rule}): remove it`);
    for (const f of hits) f.waived = w.reason.trim();
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
