import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTime } from '../../../src/core/cost';
import { DAYS_PER_MONTH, instantInWindow, project } from '../../../src/core/projection';
import { defaultModels, findModel } from '../../../src/core/prices/priceTable';
import type { ModelEntry } from '../../../src/core/prices/types';

const close = (actual: number | undefined, expected: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * 1e-12 + 1e-15, `${what}: ${actual} ≠ ${expected}`);

const deepseek = (): ModelEntry => {
  const m = findModel(defaultModels(), 'deepseek-flash');
  assert.ok(m);
  return m;
};

test('a month is 30 days', () => {
  assert.equal(DAYS_PER_MONTH, 30);
});

test('DeepSeek V4.1 Flash in CNY: list price, cache hits, and off-peak half price', () => {
  // List ¥2 input, ¥8 output, ¥0.04 cache hit per 1M; off-peak windows at 0.5×.
  const p = project(deepseek(), { inputTokens: 1000, outputTokens: 500, callsPerDay: 100 }, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 99999, cacheHitShare: 0.5 });
  assert.ok(p);
  assert.equal(p.currency, 'CNY');
  assert.equal(p.converted, false);
  // Per call: 1000 × 2/1e6 + 500 × 8/1e6 = 0.002 + 0.004 = ¥0.006; 100 calls: ¥0.6 a day, ¥18 a month.
  close(p.perCall, 0.006, 'per call');
  close(p.daily, 0.6, 'daily');
  close(p.monthly, 18, 'monthly');
  // Half the input at ¥0.04: (500 × 2 + 500 × 0.04)/1e6 = 0.00102 instead of 0.002, saving ¥0.00098 a call.
  close(p.cacheSavings?.perCall, 0.00098, 'cache per call');
  close(p.cacheSavings?.daily, 0.098, 'cache daily');
  close(p.cacheSavings?.monthly, 2.94, 'cache monthly');
  // Off-peak: everything at half price, ¥0.003 a call saved: ¥0.3 a day, ¥9 a month.
  close(p.offPeakSavings?.perCall, 0.003, 'off-peak per call');
  close(p.offPeakSavings?.daily, 0.3, 'off-peak daily');
  close(p.offPeakSavings?.monthly, 9, 'off-peak monthly');
});

test('list price ignores options.at, even at an off-peak instant', () => {
  const opts = { currency: 'USD' as const, exchangeRate: 7.2, outputTokens: 0 };
  const w = { inputTokens: 1_000_000, outputTokens: 1_000_000, callsPerDay: 1 };
  const saturday = new Date('2026-11-21T12:00:00Z'); // weekend: off-peak all day
  const a = project(deepseek(), w, { ...opts, at: saturday });
  const b = project(deepseek(), w, opts);
  // USD list: $0.30 + $1.20 per 1M.
  close(a?.daily, 1.5, 'daily at list price');
  assert.deepEqual(a, b);
  close(a?.offPeakSavings?.daily, 0.75, 'off-peak in USD windows');
  // With no cache-hit share the cache saving is zero, but defined: the model has a cache-hit price.
  assert.equal(a?.cacheSavings?.daily, 0);
});

test('the instant used for off-peak lies inside the window, in its own time zone', () => {
  const cny = deepseek().prices.find((p) => p.currency === 'CNY');
  assert.ok(cny?.offPeak);
  for (const w of cny.offPeak) {
    const at = instantInWindow(w);
    assert.ok(at, `${w.start}-${w.end}`);
    const local = localTime(at, 'Asia/Shanghai');
    assert.equal(local.minutes, Number(w.start.slice(0, 2)) * 60 + Number(w.start.slice(3)), `${w.start} local`);
    assert.ok(!w.days || w.days.includes(local.day), `day ${local.day} in ${w.days}`);
  }
  assert.equal(instantInWindow({ timezone: 'Not/AZone', start: '00:00', end: '08:00', multiplier: 0.5 }), undefined);
});

const r1Like: ModelEntry = {
  id: 'r1',
  vendor: 'DeepSeek',
  name: 'R1-like',
  tokenizer: 'deepseek-v3',
  contextWindow: 65536,
  prices: [
    {
      currency: 'CNY',
      input: 4,
      output: 16,
      cachedInput: 1,
      offPeak: [
        { timezone: 'Asia/Shanghai', start: '12:00', end: '13:00', multiplier: 0.9 },
        { timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', input: 1, output: 4, cachedInput: 0.25 },
      ],
      effectiveDate: '2025-02-26',
      source: 'test',
    },
  ],
};

test('explicit off-peak prices, and the cheapest of several windows', () => {
  // List: 2000 × 4/1e6 + 1000 × 16/1e6 = 0.008 + 0.016 = ¥0.024 a call; off-peak 2000 × 1/1e6 + 1000 × 4/1e6 = ¥0.006.
  const p = project(r1Like, { inputTokens: 2000, outputTokens: 1000, callsPerDay: 10 }, { currency: 'CNY', exchangeRate: 7, outputTokens: 0 });
  close(p?.daily, 0.24, 'daily');
  close(p?.offPeakSavings?.daily, 0.18, 'off-peak daily (the 75%-off window, not the 10% one)');
  close(p?.offPeakSavings?.monthly, 5.4, 'off-peak monthly');
});

test('converted currency, tiers by input length, and no savings where the model has none', () => {
  const tiered: ModelEntry = {
    id: 't',
    vendor: 'V',
    name: 'T',
    tokenizer: 'qwen',
    contextWindow: 1_000_000,
    prices: [{ currency: 'USD', unit: 1000, input: 0.001, output: 0.002, tiers: [{ above: 32000, input: 0.003, output: 0.006 }], effectiveDate: '2025-01-01', source: 'test' }],
  };
  // 40000 input tokens are above 32000: $3 and $6 per 1M. 40000 × 3/1e6 + 1000 × 6/1e6 = 0.12 + 0.006 = $0.126 a call,
  // 1000 calls a day = $126, in CNY at 7: ¥882 a day, ¥26460 a month.
  const p = project(tiered, { inputTokens: 40000, outputTokens: 1000, callsPerDay: 1000 }, { currency: 'CNY', exchangeRate: 7, outputTokens: 0, cacheHitShare: 1 });
  assert.equal(p?.currency, 'CNY');
  assert.equal(p?.converted, true);
  close(p?.daily, 882, 'daily');
  close(p?.monthly, 26460, 'monthly');
  assert.equal(p?.cacheSavings, undefined);
  assert.equal(p?.offPeakSavings, undefined);
});

test('hostile workloads price as zero rather than negative or NaN; no current price gives undefined', () => {
  for (const bad of [-5, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]) {
    const p = project(deepseek(), { inputTokens: bad, outputTokens: bad, callsPerDay: 10 }, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 });
    assert.equal(p?.daily, 0, String(bad));
    const q = project(deepseek(), { inputTokens: 1000, outputTokens: 0, callsPerDay: bad }, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 });
    assert.equal(q?.daily, 0, String(bad));
    assert.equal(q?.perCall, 0.002);
  }
  const retired = findModel(defaultModels(), 'deepseek-reasoner');
  assert.ok(retired);
  assert.equal(project(retired, { inputTokens: 1, outputTokens: 1, callsPerDay: 1 }, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 }), undefined);
});
