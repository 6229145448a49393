// Money and count formatting. Small amounts keep two significant digits so a short prompt never shows as 0.
import type { Currency } from './prices/types';

/** The currency costs are shown in: one of the lists' currencies, or each model's own ('native'). */
export type DisplayCurrency = Currency | 'native';

const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** ¥0.0012, $0.000034, ¥1.50, $1,234.57. */
export function formatMoney(amount: number, currency: Currency, locale?: string): string {
  const base: Intl.NumberFormatOptions = { style: 'currency', currency, currencyDisplay: 'narrowSymbol' };
  if (!Number.isFinite(amount)) return '—';
  if (amount === 0) return formatter(locale, { ...base, maximumFractionDigits: 0 }).format(0);
  if (Math.abs(amount) >= 1) return formatter(locale, { ...base, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  return formatter(locale, { ...base, maximumSignificantDigits: 2 }).format(amount);
}

/** A price per 1M tokens: up to 4 significant digits (¥0.0028, $2.50). */
export function formatRate(perMillion: number, currency: Currency, locale?: string): string {
  return formatter(locale, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    maximumSignificantDigits: 4,
  }).format(perMillion);
}

export function formatCount(n: number, locale?: string): string {
  return formatter(locale, { maximumFractionDigits: 0 }).format(n);
}
