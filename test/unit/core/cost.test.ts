import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeOffPeak, cost, inWindow, localTime, perMillion, pickTier } from '../../../src/core/cost';
import type { ModelEntry, PriceList } from '../../../src/core/prices/types';

const qwenLike: ModelEntry = {
  id: 'qwen3-max',
  vendor: 'Alibaba Qwen',
  name: 'Qwen3-Max',
  tokenizer: 'qwen',
  contextWindow: 262144,
  prices: [
    {
      currency: 'CNY',
      input: 2.5,
      output: 10,
      cachedInput: 0.5,
      tiers: [
        { above: 32000, input: 4, output: 16, cachedInput: 0.8 },
        { above: 128000, input: 7, output: 28, cachedInput: 1.4 },
      ],
      effectiveDate: '2026-05-01',
      source: 'test',
    },
    { currency: 'USD', input: 1.2, output: 6, effectiveDate: '2026-07-24', source: 'test' },
  ],
};

const usdOnly: ModelEntry = {
  id: 'gpt-x',
  vendor: 'OpenAI',
  name: 'GPT-X',
  tokenizer: 'o200k_base',
  contextWindow: 128000,
  prices: [{ currency: 'USD', input: 2.5, output: 10, cachedInput: 1.25, effectiveDate: '2024-08-06', source: 'test' }],
};

const per1k: ModelEntry = {
  id: 'qwen-long',
  vendor: 'Alibaba Qwen',
  name: 'Qwen-Long',
  tokenizer: 'qwen',
  contextWindow: 10_000_000,
  prices: [{ currency: 'CNY', unit: 1000, input: 0.0005, output: 0.002, effectiveDate: '2024-05-21', source: 'test' }],
};

const opts = { currency: 'CNY' as const, exchangeRate: 7.2, outputTokens: 0 };

test('per-1K and per-10K prices normalise to per 1M without float noise', () => {
  assert.equal(perMillion(0.0005, 1000), 0.5);
  assert.equal(perMillion(0.0008, 1000), 0.8);
  assert.equal(perMillion(0.36, 10000), 36);
  assert.equal(perMillion(0.0028, undefined), 0.0028);
  const c = cost(1_000_000, per1k, opts)!;
  assert.equal(c.inputCost, 0.5);
  assert.equal(c.applied.input, 0.5);
});

test('input-length tiers: boundaries are exclusive below, the whole request is re-priced', () => {
  const list = qwenLike.prices[0];
  assert.equal(pickTier(list, 0), undefined);
  assert.equal(pickTier(list, 32000), undefined, 'exactly 32,000 is still the base tier');
  assert.equal(pickTier(list, 32001)?.above, 32000);
  assert.equal(pickTier(list, 128000)?.above, 32000);
  assert.equal(pickTier(list, 128001)?.above, 128000);
  const atEdge = cost(32000, qwenLike, opts)!;
  assert.equal(atEdge.inputCost, (32000 * 2.5) / 1e6);
  const above = cost(32001, qwenLike, opts)!;
  assert.equal(above.inputCost, (32001 * 4) / 1e6);
  assert.equal(above.tier?.above, 32000);
  const big = cost(200000, qwenLike, { ...opts, outputTokens: 1000 })!;
  assert.equal(big.inputCost, (200000 * 7) / 1e6);
  assert.equal(big.outputCost, (1000 * 28) / 1e6, 'output is priced by the input tier too');
});

test('tiers given out of order still pick the highest threshold below the input', () => {
  const list: PriceList = { ...qwenLike.prices[0], tiers: [...qwenLike.prices[0].tiers!].reverse() };
  assert.equal(pickTier(list, 130000)?.above, 128000);
});

test('currency: a list in the requested currency is used as is, never converted', () => {
  const cny = cost(10_000, qwenLike, opts)!;
  assert.equal(cny.currency, 'CNY');
  assert.equal(cny.converted, false);
  assert.equal(cny.inputCost, (10_000 * 2.5) / 1e6);
  const usd = cost(10_000, qwenLike, { ...opts, currency: 'USD' })!;
  assert.equal(usd.currency, 'USD');
  assert.equal(usd.converted, false);
  assert.equal(usd.inputCost, (10_000 * 1.2) / 1e6, 'the USD list, not 2.5 / 7.2');
});

test('currency: a model without a list in the requested currency is converted and says so', () => {
  const c = cost(1_000_000, usdOnly, { ...opts, outputTokens: 1_000_000 })!;
  assert.equal(c.currency, 'CNY');
  assert.equal(c.converted, true);
  assert.equal(c.inputCost, 2.5 * 7.2);
  assert.equal(c.outputCost, 10 * 7.2);
  assert.equal(c.totalCost, 2.5 * 7.2 + 10 * 7.2);
  const back = cost(1_000_000, per1k, { ...opts, currency: 'USD', exchangeRate: 8 })!;
  assert.equal(back.converted, true);
  assert.equal(back.inputCost, 0.5 / 8);
});

test("currency: 'native' keeps each model's first list", () => {
  const c = cost(1000, usdOnly, { ...opts, currency: 'native' })!;
  assert.equal(c.currency, 'USD');
  assert.equal(c.converted, false);
});

test('output tokens and cache-hit share', () => {
  const c = cost(1_000_000, usdOnly, { currency: 'USD', exchangeRate: 7.2, outputTokens: 500_000, cacheHitShare: 0.5 })!;
  assert.equal(c.cacheApplied, true);
  assert.equal(c.inputCost, 0.5 * 2.5 + 0.5 * 1.25);
  assert.equal(c.outputCost, 5);
  const noCachePrice = cost(1_000_000, per1k, { ...opts, cacheHitShare: 0.9 })!;
  assert.equal(noCachePrice.cacheApplied, false, 'no cache price: full input price');
  assert.equal(noCachePrice.inputCost, 0.5);
  const clamped = cost(1_000_000, usdOnly, { currency: 'USD', exchangeRate: 7.2, outputTokens: 0, cacheHitShare: 7 })!;
  assert.equal(clamped.inputCost, 1.25, 'share is clamped to 1');
});

test('zero tokens cost nothing; free models cost nothing', () => {
  assert.equal(cost(0, usdOnly, opts)!.totalCost, 0);
  const free: ModelEntry = { ...per1k, id: 'free', prices: [{ currency: 'CNY', input: 0, output: 0, effectiveDate: '2024-05-21', source: 't' }] };
  assert.equal(cost(123456, free, { ...opts, outputTokens: 999 })!.totalCost, 0);
});

test('a retired model (no current list) has no cost', () => {
  const retired: ModelEntry = { ...per1k, prices: [], history: per1k.prices };
  assert.equal(cost(10, retired, opts), undefined);
});

// DeepSeek-style off-peak: 00:30–08:30 Beijing time, half price.
const offPeakModel: ModelEntry = {
  ...usdOnly,
  id: 'deepseek-chat',
  prices: [
    {
      currency: 'CNY',
      input: 2,
      output: 8,
      cachedInput: 0.5,
      offPeak: [{ timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.5 }],
      effectiveDate: '2025-02-26',
      source: 'test',
    },
  ],
};

test('off-peak window in a time zone: start inclusive, end exclusive', () => {
  const at = (iso: string) => cost(1_000_000, offPeakModel, { ...opts, at: new Date(iso) })!;
  // 00:30 Beijing = 16:30 UTC the day before.
  assert.equal(at('2025-03-03T16:29:00Z').inputCost, 2, '00:29 Beijing: peak');
  assert.equal(at('2025-03-03T16:30:00Z').inputCost, 1, '00:30 Beijing: off-peak');
  assert.equal(at('2025-03-04T00:29:00Z').inputCost, 1, '08:29 Beijing: off-peak');
  assert.equal(at('2025-03-04T00:30:00Z').inputCost, 2, '08:30 Beijing: peak again');
  assert.ok(at('2025-03-03T20:00:00Z').offPeak, 'reports the window applied');
  assert.equal(cost(1_000_000, offPeakModel, opts)!.inputCost, 2, 'no instant: list price');
});

test('off-peak windows that wrap midnight, weekdays, and explicit prices', () => {
  const list: PriceList = {
    currency: 'USD',
    input: 1,
    output: 1,
    effectiveDate: '2026-08-16',
    source: 't',
    offPeak: [{ timezone: 'UTC', start: '22:00', end: '02:00', days: [1, 2, 3, 4, 5], input: 0.25, output: 0.5 }],
  };
  const w = list.offPeak![0];
  // 2026-11-20 is a Friday, 2026-11-21 a Saturday.
  assert.equal(inWindow(w, new Date('2026-11-20T23:00:00Z')), true, 'Friday 23:00');
  assert.equal(inWindow(w, new Date('2026-11-21T01:00:00Z')), true, 'Saturday 01:00 belongs to Friday night');
  assert.equal(inWindow(w, new Date('2026-11-21T23:00:00Z')), false, 'Saturday 23:00');
  assert.equal(inWindow(w, new Date('2026-11-23T01:00:00Z')), false, 'Monday 01:00 belongs to Sunday night');
  assert.equal(inWindow(w, new Date('2026-11-20T02:00:00Z')), false, 'end is exclusive');
  const model: ModelEntry = { ...usdOnly, prices: [list] };
  const c = cost(1_000_000, model, { currency: 'USD', exchangeRate: 7, outputTokens: 1_000_000, at: new Date('2026-11-20T23:00:00Z') })!;
  assert.equal(c.inputCost, 0.25);
  assert.equal(c.outputCost, 0.5);
  assert.equal(activeOffPeak(list, new Date('2026-11-20T12:00:00Z')), undefined);
});

test('local time honours daylight saving in zones that have it', () => {
  // New York: 12:00 UTC is 07:00 in winter (EST) and 08:00 in summer (EDT).
  assert.equal(localTime(new Date('2026-01-15T12:00:00Z'), 'America/New_York').minutes, 7 * 60);
  assert.equal(localTime(new Date('2026-07-15T12:00:00Z'), 'America/New_York').minutes, 8 * 60);
  assert.equal(localTime(new Date('2026-11-23T12:00:00Z'), 'Asia/Shanghai').day, 1);
});
