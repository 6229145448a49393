// Time travel: cost() at an instant prices with the lists in force then (history, current lists from their
// effectiveDate, promotions until validUntil, scheduled lists), with that list's off-peak windows on top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cost, type CostOptions } from '../../../../src/core/cost';
import { historySteps } from '../../../../src/core/history';
import { listsInForce, utcDay } from '../../../../src/core/prices/inForce';
import { defaultModels, findModel } from '../../../../src/core/prices/priceTable';
import type { HistoricalPrice, ModelEntry } from '../../../../src/core/prices/types';

const M = 1_000_000;
const opts = (currency: CostOptions['currency'], at?: string): CostOptions => ({ currency, exchangeRate: 7.2, outputTokens: M, at: at === undefined ? undefined : new Date(at) });

const list = (effectiveDate: string, currency: 'CNY' | 'USD', input: number, output: number, extra: Partial<HistoricalPrice> = {}): HistoricalPrice => ({
  currency,
  input,
  output,
  effectiveDate,
  source: `src ${effectiveDate}`,
  ...extra,
});
const model = (parts: Partial<ModelEntry>): ModelEntry => ({ id: 'm', vendor: 'V', name: 'M', tokenizer: 'qwen', contextWindow: 1000, prices: [], ...parts });

test('--at 2024-06-01 prices DeepSeek (deepseek-chat → V2) at ¥1 / ¥2 per 1M, not at today’s list', () => {
  const ds = findModel(defaultModels(), 'deepseek-chat');
  assert.ok(ds);
  const c = cost(M, ds, opts('CNY', '2024-06-01T12:00:00Z'));
  assert.ok(c);
  assert.equal(c.list.currency, 'CNY');
  assert.equal(c.list.effectiveDate, '2024-05-01');
  assert.deepEqual([c.applied.input, c.applied.output, c.totalCost, c.converted], [1, 2, 3, false]);
  // In USD it is the 2024 CNY list converted (there was no USD list then), not a 2026 USD price.
  const usd = cost(M, ds, opts('USD', '2024-06-01T12:00:00Z'));
  assert.ok(usd);
  assert.equal(usd.converted, true);
  assert.ok(Math.abs(usd.totalCost - 3 / 7.2) < 1e-12, String(usd.totalCost));
  // Without an instant: today's list, as before.
  const today = cost(M, ds, opts('CNY'));
  assert.equal(today?.list, ds.prices.find((p) => p.currency === 'CNY'));
});

test('before the first known price there is no price at that date (not today’s)', () => {
  const ds = findModel(defaultModels(), 'deepseek-chat');
  assert.ok(ds);
  assert.equal(cost(M, ds, opts('CNY', '2024-04-30T23:59:59Z')), undefined);
  assert.equal(cost(M, ds, opts('native', '2023-01-01T00:00:00Z')), undefined);
  assert.deepEqual(listsInForce(ds, new Date('2024-04-30T12:00:00Z')), []);
  assert.equal(cost(M, ds, { ...opts('CNY'), at: new Date('not a date') }), undefined);
});

test('a promotion applies through its validUntil day (UTC) and the scheduled list price from the next day', () => {
  const m = model({
    history: [list('2026-01-01', 'USD', 2, 8)],
    prices: [list('2026-11-01', 'USD', 1, 4, { validUntil: '2026-12-31', note: 'launch promotion' })],
    scheduled: [list('2027-01-01', 'USD', 3, 12, { label: 'list price after the promotion' })],
  });
  const at = (iso: string) => cost(M, m, opts('USD', iso))?.totalCost;
  assert.equal(at('2026-10-31T23:59:59Z'), 10); // the earlier list, until the promotion starts
  assert.equal(at('2026-11-01T00:00:00Z'), 5);
  assert.equal(at('2026-12-31T23:59:59Z'), 5);
  assert.equal(at('2027-01-01T00:00:00Z'), 15);
  assert.equal(at('2030-06-01T00:00:00Z'), 15);
  assert.equal(utcDay(new Date('2026-12-31T23:59:59Z')), '2026-12-31');
  // The chart sees the same steps.
  assert.deepEqual(historySteps(m, 'USD').map((s) => [s.date, s.input]), [
    ['2026-01-01', 2],
    ['2026-11-01', 1],
    ['2027-01-01', 3],
  ]);
});

test('a scheduled list takes over from an open-ended current list on its date, in its currency only', () => {
  const m = model({
    prices: [list('2026-01-01', 'CNY', 2, 8), list('2026-01-01', 'USD', 0.3, 1.2)],
    scheduled: [list('2027-03-01', 'CNY', 4, 16)],
  });
  assert.equal(cost(M, m, opts('CNY', '2027-02-28T12:00:00Z'))?.totalCost, 10);
  assert.equal(cost(M, m, opts('CNY', '2027-03-01T12:00:00Z'))?.totalCost, 20);
  assert.equal(cost(M, m, opts('USD', '2027-03-01T12:00:00Z'))?.totalCost, 1.5);
  const inForce = listsInForce(m, new Date('2027-03-01T12:00:00Z'));
  assert.deepEqual(inForce.map((l) => [l.currency, l.input]), [
    ['CNY', 4],
    ['USD', 0.3],
  ]);
  // Without an instant cost() keeps today's `prices`: a scheduled list is only used when a date is asked for.
  assert.equal(cost(M, m, opts('CNY'))?.totalCost, 10);
});

test('off-peak windows of the list in force then are applied on top, not those of today’s list', () => {
  const m = model({
    history: [list('2025-02-26', 'CNY', 4, 16, { offPeak: [{ timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.25 }] })],
    prices: [list('2026-01-01', 'CNY', 2, 8, { offPeak: [{ timezone: 'UTC', start: '00:00', end: '01:00', multiplier: 0.5 }] })],
  });
  // 2025-03-03T18:00Z is 02:00 in Beijing: inside the 2025 window, 75% off ¥4 + ¥16.
  const night2025 = cost(M, m, opts('CNY', '2025-03-03T18:00:00Z'));
  assert.equal(night2025?.totalCost, 5);
  assert.equal(night2025?.offPeak?.multiplier, 0.25);
  // 00:30 UTC was not off-peak in 2025 (08:30 Beijing is the window's end) but is under today's list.
  assert.equal(cost(M, m, opts('CNY', '2025-03-04T00:30:00Z'))?.totalCost, 20);
  assert.equal(cost(M, m, opts('CNY', '2026-03-04T00:30:00Z'))?.totalCost, 5);
});

test('a retired model is priced while the table knows it was sold, and not after its last list unless that has a validUntil', () => {
  const history = [list('2025-01-20', 'USD', 0.55, 2.19), list('2025-12-01', 'USD', 0.28, 0.42)];
  const retired = model({ history });
  assert.equal(cost(M, retired, opts('USD', '2025-06-01T00:00:00Z'))?.totalCost, 0.55 + 2.19);
  assert.equal(cost(M, retired, opts('USD', '2026-01-01T00:00:00Z')), undefined);
  const dated = model({ history: [history[0], { ...history[1], validUntil: '2026-07-24' }] });
  assert.equal(cost(M, dated, opts('USD', '2026-07-24T12:00:00Z'))?.totalCost, 0.7);
  assert.equal(cost(M, dated, opts('USD', '2026-07-25T00:00:00Z')), undefined);
  // The chart still draws the last list (its rule: the table has no retirement date).
  assert.equal(historySteps(retired, 'USD').at(-1)?.input, 0.28);
  // A retired model has no price without an instant either (no current list).
  assert.equal(cost(M, retired, opts('USD')), undefined);
});

test('every shipped model with a current price is priced at a current instant (nothing lost by time travel)', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  const lost = defaultModels()
    .filter((m) => m.prices.length > 0 && m.prices.every((p) => p.effectiveDate <= utcDay(now) && (p.validUntil === undefined || p.validUntil >= utcDay(now))))
    .filter((m) => !cost(1000, m, { ...opts('native'), at: now }))
    .map((m) => m.id);
  assert.deepEqual(lost, []);
});
