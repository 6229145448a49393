// Budget values as written in front matter, settings or CLI flags: a token count (`4,000`) or an amount with its
// currency (`¥0.01`). Shared by front matter and settings parsing, so neither imports the other.
import type { Currency } from '../prices/types';

export interface Money {
  amount: number;
  currency: Currency;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const GROUPED = /^\d{1,3}(?:,\d{3})+$/;
const UNDERSCORED = /^\d+(?:_\d+)*$/;

/**
 * A token budget: a positive whole number, optionally grouped by thousands with commas (`4,000`, groups of exactly
 * three, so the European decimal comma `4,5` is refused rather than misread) or separated with underscores (`4_000`,
 * as in YAML 1.1 and JavaScript).
 */
export function parseTokenBudget(text: string): ParseResult<number> {
  const s = text.trim();
  if (s === '') return { ok: false, message: 'needs a number of tokens, e.g. 4000' };
  if (/^[+-]?\d[\d,_]*\.\d*$/.test(s)) return { ok: false, message: `must be a whole number of tokens, got "${s}"` };
  if (/^-\d/.test(s)) return { ok: false, message: `must be greater than 0, got "${s}"` };
  const body = s.startsWith('+') ? s.slice(1) : s;
  if (!GROUPED.test(body) && !UNDERSCORED.test(body)) return { ok: false, message: `must be a whole number of tokens such as 4000, 4,000 or 4_000, got "${s}"` };
  const n = Number(body.replace(/[,_]/g, ''));
  if (n <= 0) return { ok: false, message: `must be greater than 0, got "${s}"` };
  if (!Number.isSafeInteger(n)) return { ok: false, message: `is too large, got "${s}"` };
  return { ok: true, value: n };
}

// Currency marks: ¥ and $ stand for CNY and USD, the only currencies price lists use (¥ is also the yen's sign, but
// no model here is priced in yen). Letters are matched case-insensitively.
const CURRENCY_MARKS: Readonly<Record<string, Currency>> = {
  '¥': 'CNY',
  '￥': 'CNY',
  'cn¥': 'CNY',
  cny: 'CNY',
  rmb: 'CNY',
  元: 'CNY',
  $: 'USD',
  us$: 'USD',
  usd: 'USD',
};

const AMOUNT = /^(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(?:\.\d+)?|\.\d+)$/;

/**
 * A cost budget: an amount with its currency, `0.01 CNY`, `0.01USD`, `CNY 0.01`, `¥0.01`, `$0.01`, `0.01元`. A bare
 * number takes `defaultCurrency` when one is given (the CLI's --currency) and is refused otherwise: a budget in the
 * wrong currency is off by a factor of seven.
 */
export function parseCostBudget(text: string, defaultCurrency?: Currency): ParseResult<Money> {
  const s = text.trim();
  const example = '"0.01 CNY", "0.01 USD", "¥0.01" or "$0.01"';
  const m = /^(\D*?)\s*([+-]?)\s*(\d[\d.,_]*|\.\d[\d.,_]*)\s*(\D*)$/u.exec(s);
  if (!m) return { ok: false, message: `must be an amount with its currency, e.g. ${example}, got "${s}"` };
  const [, prefix, sign, number, suffix] = m;
  let currency: Currency | undefined;
  for (const mark of [prefix.trim(), suffix.trim()]) {
    if (mark === '') continue;
    const c = CURRENCY_MARKS[mark.toLowerCase()];
    if (!c) return { ok: false, message: `currency must be CNY or USD (or ¥, $), got "${mark}"` };
    if (currency && currency !== c) return { ok: false, message: `names two currencies: "${s}"` };
    currency = c;
  }
  if (!AMOUNT.test(number)) return { ok: false, message: `must be an amount such as 0.01 or 1,000.50, got "${number}"` };
  const amount = Number(number.replace(/[,_]/g, ''));
  if (sign === '-' || !(amount > 0)) return { ok: false, message: `must be greater than 0, got "${s}"` };
  if (!Number.isFinite(amount)) return { ok: false, message: `is too large, got "${s}"` };
  currency ??= defaultCurrency;
  if (!currency) return { ok: false, message: `needs a currency: write "${number} CNY" or "${number} USD"` };
  return { ok: true, value: { amount, currency } };
}
