import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costAt, firstPriceDate, historySteps, isIsoDate, listAt, nativeCurrency } from '../../../src/core/history';
import { defaultModels, findModel } from '../../../src/core/prices/priceTable';
import type { HistoricalPrice, ModelEntry } from '../../../src/core/prices/types';

const shipped = (id: string): ModelEntry => {
  const m = findModel(defaultModels(), id);
  assert.ok(m, `${id} in default-prices.json`);
  return m;
};

const list = (effectiveDate: string, currency: 'CNY' | 'USD', input: number, output: number, extra: Partial<HistoricalPrice> = {}): HistoricalPrice => ({
  currency,
  input,
  output,
  effectiveDate,
  source: `src ${effectiveDate} ${currency}`,
  ...extra,
});

const model = (prices: HistoricalPrice[], history: HistoricalPrice[] = []): ModelEntry => ({
  id: 'm',
  vendor: 'V',
  name: 'M',
  tokenizer: 'qwen',
  contextWindow: 1000,
  prices,
  history,
});

// ---- the 2024 price war, as shipped

test('price war: DeepSeek-V2 at ¥1 / ¥2 per million from May 2024', () => {
  const steps = historySteps(shipped('deepseek-chat'), 'CNY');
  const v2 = steps[0];
  assert.equal(v2.date, '2024-05-01');
  assert.equal(v2.currency, 'CNY');
  assert.equal(v2.input, 1);
  assert.equal(v2.output, 2);
  assert.match(v2.label ?? '', /DeepSeek-V2/);
  // The disk cache of August 2024 kept ¥1 / ¥2 and added a ¥0.1 cache-hit price.
  assert.deepEqual([steps[1].date, steps[1].input, steps[1].output, steps[1].cachedInput], ['2024-08-02', 1, 2, 0.1]);
});

test('price war: Qwen-Long input at ¥0.0005 per thousand from 2024-05-21 (¥0.5 per million)', () => {
  const m = shipped('qwen-long');
  // Still the current list, dated when it took effect and stored per 1K as published.
  const cut = m.prices.find((h) => h.effectiveDate === '2024-05-21');
  assert.ok(cut);
  assert.deepEqual([cut.currency, cut.unit, cut.input, cut.output], ['CNY', 1000, 0.0005, 0.002]);
  const steps = historySteps(m, 'CNY');
  assert.deepEqual(steps.map((s) => [s.date, s.input, s.output]), [['2024-05-21', 0.5, 2]]);
});

// The pre-cut input price (¥0.02 per thousand) is sourced, its output price is not: a list needs both, so no
// pre-cut step is drawn (a made-up price would be wrong) and the model's note states the cut.
test('price war: the Qwen-Long cut from ¥0.02 per thousand is stated, not drawn as an invented step', () => {
  const m = shipped('qwen-long');
  assert.equal(historySteps(m, 'CNY')[0].date, '2024-05-21');
  assert.match(m.note ?? '', /0\.02 CNY\/1K/);
});

test('price war: Doubao Pro 32K at ¥0.0008 per thousand from 2024-05-15', () => {
  const m = shipped('doubao-pro-32k');
  const h = [...(m.history ?? []), ...m.prices].find((x) => x.effectiveDate === '2024-05-15');
  assert.ok(h);
  assert.deepEqual([h.unit, h.input, h.output], [1000, 0.0008, 0.002]);
  assert.deepEqual(historySteps(m, 'CNY').map((s) => [s.date, s.input, s.output]), [['2024-05-15', 0.8, 2]]);
});

test('price war: ERNIE Speed and Lite free from 2024-05-21, Hunyuan Lite free from 2024-05-22', () => {
  for (const id of ['ernie-speed-128k', 'ernie-speed-8k', 'ernie-lite-8k']) {
    assert.deepEqual(historySteps(shipped(id), 'CNY').map((s) => [s.date, s.input, s.output]), [['2024-05-21', 0, 0]], id);
  }
  assert.deepEqual(historySteps(shipped('hunyuan-lite'), 'CNY').map((s) => [s.date, s.input, s.output]), [['2024-05-22', 0, 0]]);
  // Free is a price, not a missing one: the step is kept and priced at zero.
  const c = costAt(shipped('ernie-speed-128k'), '2024-06-01', 5000, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 500 });
  assert.equal(c?.totalCost, 0);
});

// ---- listAt

test('listAt: before the first list nothing, from its effectiveDate on the list, the latest wins', () => {
  const m = model([list('2025-01-01', 'CNY', 2, 4)], [list('2024-05-01', 'CNY', 10, 20), list('2024-09-01', 'CNY', 5, 10)]);
  assert.equal(listAt(m, '2024-04-30', 'CNY'), undefined);
  assert.equal(listAt(m, '2024-05-01', 'CNY')?.input, 10);
  assert.equal(listAt(m, '2024-08-31', 'CNY')?.input, 10);
  assert.equal(listAt(m, '2024-09-01', 'CNY')?.input, 5);
  assert.equal(listAt(m, '2030-01-01', 'CNY')?.input, 2);
  assert.equal(firstPriceDate(m), '2024-05-01');
});

test('listAt: another currency stands in (to be converted), as pickList does', () => {
  const m = model([list('2025-06-14', 'CNY', 0.8, 2), list('2026-07-24', 'USD', 0.4, 1.2)]);
  assert.equal(listAt(m, '2025-07-01', 'USD')?.currency, 'CNY');
  assert.equal(listAt(m, '2026-07-24', 'USD')?.currency, 'USD');
  // Current lists are never superseded: the later USD list does not replace today's CNY one.
  assert.equal(listAt(m, '2026-11-01', 'CNY')?.input, 0.8);
  assert.equal(listAt(m, '2026-11-01', 'native')?.currency, 'CNY');
});

test('listAt: a change published in one currency supersedes the older list in the other (DeepSeek V2 → V3)', () => {
  const ds = shipped('deepseek-flash');
  // 2026-04-24: V4-Flash launched with a USD list only; the CNY V3.2 list of 2025-09-29 no longer applied.
  const apr25 = listAt(ds, '2026-04-25', 'CNY');
  assert.equal(apr25?.currency, 'USD');
  assert.match(apr25?.label ?? '', /V4-Flash/i);
  assert.equal(listAt(ds, '2026-04-23', 'CNY')?.input, 2);
  // V2 with disk caching until V3 (2025-02-09, both currencies).
  assert.equal(listAt(ds, '2025-02-08', 'CNY')?.cachedInput, 0.1);
  assert.match(listAt(ds, '2025-02-10', 'CNY')?.label ?? '', /DeepSeek-V3/);
  // 2025-02-26: lists in both currencies on the same day, each wins in its own.
  assert.equal(listAt(ds, '2025-03-01', 'CNY')?.input, 2);
  assert.equal(listAt(ds, '2025-03-01', 'USD')?.input, 0.27);
  // A day apart (UTC vs Beijing) is one change: USD from 2026-08-16 stays USD after the CNY list of 2026-08-17.
  assert.equal(listAt(ds, '2026-08-20', 'USD')?.input, 0.44);
  assert.equal(listAt(ds, '2026-08-20', 'CNY')?.input, 3);
  assert.equal(listAt(ds, '2026-08-16', 'CNY')?.currency, 'USD');
});

test('listAt: a promotion ends on validUntil and the earlier list applies again', () => {
  const m = model([], [list('2024-01-01', 'CNY', 4, 8), list('2024-05-01', 'CNY', 1, 2, { validUntil: '2024-05-31', label: 'promo' })]);
  assert.equal(listAt(m, '2024-05-31', 'CNY')?.label, 'promo');
  assert.equal(listAt(m, '2024-06-01', 'CNY')?.input, 4);
  assert.deepEqual(historySteps(m, 'CNY').map((s) => [s.date, s.input]), [
    ['2024-01-01', 4],
    ['2024-05-01', 1],
    ['2024-06-01', 4],
  ]);
  const glm = shipped('glm-5.3-flash');
  assert.equal(listAt(glm, '2026-09-09', 'CNY')?.input, 0.4);
  assert.equal(listAt(glm, '2026-09-10', 'CNY')?.input, 0.8);
});

test('listAt: a retired model keeps its last list (the table has no retirement date)', () => {
  const r = shipped('deepseek-reasoner');
  assert.equal(r.prices.length, 0);
  assert.match(listAt(r, '2030-01-01', 'USD')?.label ?? '', /V4-Flash/);
  assert.equal(listAt(r, '2025-01-19', 'USD'), undefined);
  assert.equal(nativeCurrency(r), 'USD');
});

test('listAt and isIsoDate refuse malformed dates', () => {
  const m = model([list('2024-01-01', 'CNY', 1, 1)]);
  for (const bad of ['', '2024-1-01', '2024-02-30', '2024-13-01', '20240101', '2024-01-01T00:00', 'x', '9999-99-99']) {
    assert.equal(isIsoDate(bad), false, bad);
    assert.equal(listAt(m, bad, 'CNY'), undefined, bad);
  }
  assert.equal(isIsoDate(20240101), false);
  assert.equal(isIsoDate('2024-02-29'), true);
});

// ---- historySteps

test('historySteps: sorted by date, per 1M, one step per change, same-day current list wins', () => {
  const m = model(
    [list('2025-06-14', 'CNY', 0.5, 2, { note: 'now' })],
    [list('2024-05-21', 'CNY', 0.0005, 0.002, { unit: 1000, label: 'cut' }), list('2024-01-01', 'CNY', 0.02, 0.02, { unit: 1000, label: 'before' }), list('2025-06-14', 'CNY', 9, 9)],
  );
  const steps = historySteps(m, 'CNY');
  assert.deepEqual(steps, [
    { date: '2024-01-01', currency: 'CNY', input: 20, output: 20, cachedInput: undefined, label: 'before', source: 'src 2024-01-01 CNY', note: undefined, list: 1 },
    { date: '2024-05-21', currency: 'CNY', input: 0.5, output: 2, cachedInput: undefined, label: 'cut', source: 'src 2024-05-21 CNY', note: undefined, list: 0 },
    { date: '2025-06-14', currency: 'CNY', input: 0.5, output: 2, cachedInput: undefined, label: undefined, source: 'src 2025-06-14 CNY', note: 'now', list: 3 },
  ]);
});

test('historySteps: in USD a CNY-only period shows in CNY for the caller to convert', () => {
  const steps = historySteps(shipped('qwen-plus'), 'USD');
  assert.deepEqual(steps.map((s) => [s.date, s.currency, s.input]), [
    ['2024-05-23', 'CNY', 4],
    ['2024-09-19', 'CNY', 0.8],
  ]);
  assert.deepEqual(historySteps(model([]), 'CNY'), []);
});

// ---- costAt

test('costAt: the text priced at the list of the day, converted where needed', () => {
  const qwenLong = shipped('qwen-long');
  const opts = { currency: 'CNY' as const, exchangeRate: 7.2, outputTokens: 100 };
  assert.equal(costAt(qwenLong, '2024-05-20', 1000, opts), undefined, 'not yet released');
  const c = costAt(qwenLong, '2024-06-01', 1000, opts);
  // 1000 × ¥0.5/M + 100 × ¥2/M = ¥0.0005 + ¥0.0002.
  assert.ok(c && Math.abs(c.totalCost - 0.0007) < 1e-15, String(c?.totalCost));
  const usd = costAt(qwenLong, '2024-06-01', 1000, { ...opts, currency: 'USD' });
  assert.ok(usd && usd.converted && Math.abs(usd.totalCost - 0.0007 / 7.2) < 1e-15);
  // DeepSeek-V2 on 2024-06-01: 2000 × ¥1/M + 1000 × ¥2/M = ¥0.004, and no off-peak discount, even with an instant
  // that would be off-peak today.
  const ds = shipped('deepseek-flash');
  const v2 = costAt(ds, '2024-06-01', 2000, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 1000, at: new Date('2026-11-21T12:00:00Z') });
  assert.equal(v2?.currency, 'CNY');
  assert.equal(v2?.totalCost, 0.004);
  // 'native' means the model's own currency (its first current list, USD here): the CNY list of the day converted.
  assert.equal(nativeCurrency(ds), 'USD');
  const native = costAt(ds, '2024-06-01', 2000, { currency: 'native', exchangeRate: 8, outputTokens: 1000 });
  assert.equal(native?.currency, 'USD');
  assert.equal(native?.converted, true);
  assert.equal(native?.totalCost, 0.0005);
});
