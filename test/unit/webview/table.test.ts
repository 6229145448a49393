import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PanelRow, PanelSnapshot, PanelStrings } from '../../../src/panel/protocol';
import {
  comparableCost,
  defaultViewState,
  displayCost,
  effectiveVendor,
  filterRows,
  nextSort,
  parseViewState,
  sortRows,
  vendorsOf,
  visibleRows,
  barPercent,
  type SortKey,
} from '../../../src/webview/table';
import { statusText } from '../../../src/webview/status';
import { fill, percent } from '../../../src/webview/format';
import { CACHE_PERCENT, CALLS_PER_DAY, OUTPUT_TOKENS, checkDate, checkNumber, localToday } from '../../../src/webview/inputs';
import { displaySteps, earliestPriceDate, projectRows, rowCostAt } from '../../../src/webview/pricing';

const RATE = 7; // CNY per USD

function row(id: string, vendor: string, cny: number, native: 'CNY' | 'USD', extra: Partial<PanelRow> = {}): PanelRow {
  const usd = cny / RATE;
  return {
    id,
    vendor,
    name: id,
    tokenizer: 'qwen',
    tokens: 100,
    exact: true,
    contextWindow: 1000,
    contextUse: 0.1,
    costs: {
      CNY: { input: cny * 0.25, output: cny * 0.75, total: cny, converted: native !== 'CNY' },
      USD: { input: usd * 0.25, output: usd * 0.75, total: usd, converted: native !== 'USD' },
    },
    native,
    priceDate: '2025-01-01',
    source: 'https://example.com/pricing',
    isDefault: false,
    followed: false,
    prices: [{ currency: native, input: 1, output: 2, effectiveDate: '2025-01-01', source: 'https://example.com/pricing' }],
    history: [],
    ...extra,
  };
}

const rows: PanelRow[] = [
  row('qwen-max', 'Alibaba', 0.02, 'CNY', { tokens: 120, contextUse: 0.5, priceDate: '2025-03-01' }),
  row('gpt-4o', 'OpenAI', 0.07, 'USD', { tokens: 90, contextUse: 0.9, priceDate: '2024-11-20' }),
  row('deepseek-chat', 'DeepSeek', 0.001, 'CNY', { tokens: 80, contextUse: 1.4, priceDate: '2025-09-05' }),
  row('qwen-flash', 'Alibaba', 0.0005, 'CNY', { tokens: 120, contextUse: 0.02, priceDate: '2025-06-01' }),
  row('claude-sonnet', 'anthropic', 0.05, 'USD', { tokens: 95, contextUse: 0.3, priceDate: '2025-02-14' }),
];
const ids = (rs: PanelRow[]) => rs.map((r) => r.id);

const expectedAsc: Record<SortKey, string[]> = {
  vendor: ['qwen-max', 'qwen-flash', 'claude-sonnet', 'deepseek-chat', 'gpt-4o'], // case-insensitive, ties stable
  model: ['claude-sonnet', 'deepseek-chat', 'gpt-4o', 'qwen-flash', 'qwen-max'],
  tokens: ['deepseek-chat', 'gpt-4o', 'claude-sonnet', 'qwen-max', 'qwen-flash'],
  input: ['qwen-flash', 'deepseek-chat', 'qwen-max', 'claude-sonnet', 'gpt-4o'],
  output: ['qwen-flash', 'deepseek-chat', 'qwen-max', 'claude-sonnet', 'gpt-4o'],
  total: ['qwen-flash', 'deepseek-chat', 'qwen-max', 'claude-sonnet', 'gpt-4o'],
  context: ['qwen-flash', 'claude-sonnet', 'qwen-max', 'gpt-4o', 'deepseek-chat'],
  priceDate: ['gpt-4o', 'claude-sonnet', 'qwen-max', 'qwen-flash', 'deepseek-chat'],
};

for (const [key, asc] of Object.entries(expectedAsc) as [SortKey, string[]][]) {
  test(`sorts by ${key} ascending and descending`, () => {
    assert.deepEqual(ids(sortRows(rows, key, false, 'CNY', RATE, 'en')), asc);
    const desc = ids(sortRows(rows, key, true, 'CNY', RATE, 'en'));
    if (key === 'vendor') assert.deepEqual(desc, ['gpt-4o', 'deepseek-chat', 'claude-sonnet', 'qwen-max', 'qwen-flash']);
    else if (key === 'tokens') assert.deepEqual(desc, ['qwen-max', 'qwen-flash', 'claude-sonnet', 'gpt-4o', 'deepseek-chat']);
    else assert.deepEqual(desc, [...asc].reverse());
  });
}

test('ties keep the incoming order in both directions', () => {
  const tied = [row('a', 'V', 1, 'CNY'), row('b', 'V', 1, 'CNY'), row('c', 'V', 1, 'CNY')];
  for (const key of Object.keys(expectedAsc) as SortKey[]) {
    assert.deepEqual(ids(sortRows(tied, key === 'model' ? 'vendor' : key, false, 'USD', RATE)), ['a', 'b', 'c']);
    assert.deepEqual(ids(sortRows(tied, key === 'model' ? 'vendor' : key, true, 'USD', RATE)), ['a', 'b', 'c']);
  }
});

test('numbers sort numerically and text naturally', () => {
  const rs = [row('m10', 'V', 1, 'CNY', { tokens: 10 }), row('m9', 'V', 1, 'CNY', { tokens: 9 }), row('m100', 'V', 1, 'CNY', { tokens: 100 })];
  assert.deepEqual(ids(sortRows(rs, 'tokens', false, 'CNY', RATE)), ['m9', 'm10', 'm100']);
  assert.deepEqual(ids(sortRows(rs, 'model', false, 'CNY', RATE)), ['m9', 'm10', 'm100']);
});

test('non-finite values go last whatever the direction', () => {
  const rs = [row('inf', 'V', 1, 'CNY', { contextUse: Number.POSITIVE_INFINITY }), row('x', 'V', 1, 'CNY', { contextUse: 0.5 }), row('nan', 'V', 1, 'CNY', { contextUse: Number.NaN }), row('y', 'V', 1, 'CNY', { contextUse: 0.1 })];
  assert.deepEqual(ids(sortRows(rs, 'context', false, 'CNY', RATE)), ['y', 'x', 'inf', 'nan']);
  assert.deepEqual(ids(sortRows(rs, 'context', true, 'CNY', RATE)), ['x', 'y', 'inf', 'nan']);
});

test('sortRows does not mutate its input', () => {
  const copy = [...rows];
  sortRows(rows, 'total', true, 'CNY', RATE);
  assert.deepEqual(rows, copy);
});

test('vendor filter, vendor list and a vendor that disappeared', () => {
  assert.deepEqual(ids(filterRows(rows, 'Alibaba')), ['qwen-max', 'qwen-flash']);
  assert.equal(filterRows(rows, '').length, rows.length);
  assert.deepEqual(vendorsOf(rows, 'en'), ['Alibaba', 'anthropic', 'DeepSeek', 'OpenAI']);
  assert.equal(effectiveVendor(rows, 'Alibaba'), 'Alibaba');
  assert.equal(effectiveVendor(rows, 'Gone'), '');
});

test('currency pick: fixed currencies and each model its own', () => {
  const gpt = rows[1];
  assert.deepEqual(displayCost(gpt, 'CNY'), { ...gpt.costs.CNY, currency: 'CNY' });
  assert.deepEqual(displayCost(gpt, 'USD'), { ...gpt.costs.USD, currency: 'USD' });
  assert.equal(displayCost(gpt, 'native').currency, 'USD');
  assert.equal(displayCost(gpt, 'native').converted, false);
  assert.equal(displayCost(rows[0], 'native').currency, 'CNY');
});

test('native mode compares in USD: CNY amounts divided by the exchange rate', () => {
  // A CNY model at ¥0.70 and a USD model at $0.11: in USD the CNY one ($0.10) is cheaper, though 0.70 > 0.11.
  const cnyModel = row('cny', 'A', 0.7, 'CNY');
  cnyModel.costs.USD.total = 999; // prove the CNY list is used, not a stored USD conversion
  const usdModel = row('usd', 'B', 0.77, 'USD');
  assert.ok(Math.abs(comparableCost(cnyModel, 'total', 'native', RATE) - 0.1) < 1e-12);
  assert.equal(comparableCost(usdModel, 'total', 'native', RATE), usdModel.costs.USD.total);
  assert.deepEqual(ids(sortRows([usdModel, cnyModel], 'total', false, 'native', RATE)), ['cny', 'usd']);
  assert.deepEqual(ids(sortRows([cnyModel, usdModel], 'total', true, 'native', RATE)), ['usd', 'cny']);
  // A broken rate falls back to the USD column rather than dividing by zero.
  assert.equal(comparableCost(cnyModel, 'total', 'native', 0), 999);
});

test('view state: default, restore validation, next sort', () => {
  assert.deepEqual(defaultViewState('USD'), { sortKey: 'total', sortDescending: false, vendor: '', currency: 'USD', historyModel: '', atDate: '', callsPerDay: 1000 });
  // A state saved by the previous version of the panel (no history or projection fields) still restores.
  assert.deepEqual(parseViewState({ sortKey: 'tokens', sortDescending: true, vendor: 'X', currency: 'native' }), {
    sortKey: 'tokens',
    sortDescending: true,
    vendor: 'X',
    currency: 'native',
    historyModel: '',
    atDate: '',
    callsPerDay: 1000,
  });
  for (const bad of [undefined, null, 'x', { sortKey: 'price' }, { sortKey: 'total', sortDescending: 'yes', vendor: '', currency: 'CNY' }, { sortKey: 'total', sortDescending: false, vendor: '', currency: 'EUR' }]) {
    assert.equal(parseViewState(bad), undefined);
  }
  const v = defaultViewState();
  assert.deepEqual(nextSort(v, 'total'), { ...v, sortDescending: true });
  assert.deepEqual(nextSort({ ...v, sortDescending: true }, 'model'), { ...v, sortKey: 'model', sortDescending: false });
});

test('view state: history, date and projection fields restore when valid', () => {
  const base = { sortKey: 'total', sortDescending: false, vendor: '', currency: 'CNY' };
  assert.deepEqual(parseViewState({ ...base, historyModel: 'deepseek-chat', atDate: '2024-06-01', callsPerDay: 250, outputTokens: 800, cacheHitShare: 0.25 }), {
    ...base,
    historyModel: 'deepseek-chat',
    atDate: '2024-06-01',
    callsPerDay: 250,
    outputTokens: 800,
    cacheHitShare: 0.25,
  });
});

test('view state: hostile history, date and projection values fall back or are clamped, one by one', () => {
  const base = { sortKey: 'total', sortDescending: false, vendor: '', currency: 'CNY' } as const;
  const parsed = (extra: Record<string, unknown>) => parseViewState({ ...base, ...extra });
  for (const h of [42, null, { toString: () => 'x' }, 'x'.repeat(201)]) assert.equal(parsed({ historyModel: h })?.historyModel, '', String(h));
  for (const d of ['2024-02-30', '2024-6-1', '<img src=x>', 20240601, '2024-06-01T00:00:00Z', null]) assert.equal(parsed({ atDate: d })?.atDate, '', String(d));
  // Calls per day: negative → 0, huge or infinite → the maximum, fractions rounded, non-numbers → the default.
  assert.equal(parsed({ callsPerDay: -5 })?.callsPerDay, 0);
  assert.equal(parsed({ callsPerDay: 1e30 })?.callsPerDay, 100_000_000);
  assert.equal(parsed({ callsPerDay: Number.POSITIVE_INFINITY })?.callsPerDay, 100_000_000);
  assert.equal(parsed({ callsPerDay: 12.6 })?.callsPerDay, 13);
  for (const c of ['1000; alert(1)', '50', null, Number.NaN, {}]) assert.equal(parsed({ callsPerDay: c })?.callsPerDay, 1000, String(c));
  // Output tokens and cache share: absent unless a number (then clamped); absent means "follow the setting".
  assert.equal(parsed({ outputTokens: -1 })?.outputTokens, 0);
  assert.equal(parsed({ outputTokens: 1e12 })?.outputTokens, 10_000_000);
  assert.equal(parsed({ outputTokens: '500' })?.outputTokens, undefined);
  assert.equal(parsed({ outputTokens: Number.NaN })?.outputTokens, undefined);
  assert.equal(parsed({ cacheHitShare: 7 })?.cacheHitShare, 1);
  assert.equal(parsed({ cacheHitShare: -0.5 })?.cacheHitShare, 0);
  assert.equal(parsed({ cacheHitShare: '0.5' })?.cacheHitShare, undefined);
  // None of them rejects the table's state.
  assert.equal(parsed({ historyModel: 1, atDate: 2, callsPerDay: 'x', outputTokens: 'y', cacheHitShare: 'z' })?.sortKey, 'total');
});

test('input checks: numbers clamped with the reason, dates kept in range', () => {
  assert.deepEqual(checkNumber('250', CALLS_PER_DAY, 1000), { value: 250 });
  assert.deepEqual(checkNumber('-3', CALLS_PER_DAY, 1000), { value: 0, problem: 'tooLow' });
  assert.deepEqual(checkNumber('1e12', CALLS_PER_DAY, 1000), { value: 100_000_000, problem: 'tooHigh' });
  assert.deepEqual(checkNumber('', CALLS_PER_DAY, 42), { value: 42, problem: 'notANumber' });
  assert.deepEqual(checkNumber('abc', OUTPUT_TOKENS, 7), { value: 7, problem: 'notANumber' });
  assert.deepEqual(checkNumber('2.5', OUTPUT_TOKENS, 0), { value: 3 });
  assert.deepEqual(checkNumber('12.5', CACHE_PERCENT, 0), { value: 12.5 });
  assert.deepEqual(checkNumber('101', CACHE_PERCENT, 0), { value: 100, problem: 'tooHigh' });
  assert.deepEqual(checkDate('', '2024-05-01', '2026-11-23'), { value: '' });
  assert.deepEqual(checkDate('2025-01-01', '2024-05-01', '2026-11-23'), { value: '2025-01-01' });
  assert.deepEqual(checkDate('2020-01-01', '2024-05-01', '2026-11-23'), { value: '2024-05-01', problem: 'tooLow' });
  assert.deepEqual(checkDate('2099-01-01', '2024-05-01', '2026-11-23'), { value: '2026-11-23', problem: 'tooHigh' });
  assert.deepEqual(checkDate('2024-02-31', '2024-05-01', '2026-11-23'), { value: '', problem: 'notANumber' });
  assert.equal(localToday(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
});

test('webview pricing: history steps in the display currency, cost at a date, projections cheapest first', () => {
  const ds = row('ds', 'DeepSeek', 0.001, 'CNY', {
    tokens: 2000,
    prices: [{ currency: 'CNY', input: 2, output: 8, cachedInput: 0.2, effectiveDate: '2025-09-05', source: 's', offPeak: [{ timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.5 }] }],
    history: [
      { currency: 'CNY', input: 1, output: 2, effectiveDate: '2024-05-01', source: 'v2', label: 'DeepSeek-V2' },
      { currency: 'USD', input: 0.27, output: 1.1, effectiveDate: '2025-02-09', source: 'v3', label: 'DeepSeek-V3' },
    ],
  });
  const steps = displaySteps(ds, 'CNY', RATE);
  assert.deepEqual(steps.map((s) => [s.date, s.shownIn, s.shownInput, s.shownOutput, s.converted, s.list]), [
    ['2024-05-01', 'CNY', 1, 2, false, 0],
    ['2025-02-09', 'CNY', 0.27 * RATE, 1.1 * RATE, true, 1],
    ['2025-09-05', 'CNY', 2, 8, false, 2],
  ]);
  assert.deepEqual(displaySteps(ds, 'USD', RATE).map((s) => [s.shownInput, s.converted]), [[1 / RATE, true], [0.27, false], [2 / RATE, true]]);
  assert.equal(earliestPriceDate([rows[0], ds]), '2024-05-01');

  const snapshot = snap({ outputTokens: 500, cacheHitShare: 0 });
  // 2024-06-01: 2000 × ¥1/M + 500 × ¥2/M = ¥0.003; before 2024-05-01: no price.
  assert.equal(rowCostAt(ds, snapshot, 'CNY', '2024-06-01')?.totalCost, 0.003);
  assert.equal(rowCostAt(ds, snapshot, 'CNY', '2024-04-30'), undefined);

  // 10 calls a day of 2000 in + 1000 out at ¥2/¥8: ¥0.012 a call, ¥0.12 a day, ¥3.6 a month; off-peak saves half.
  const cheap = row('cheap', 'X', 0.001, 'USD', { tokens: 10, prices: [{ currency: 'USD', input: 0.01, output: 0.01, effectiveDate: '2025-01-01', source: 's' }] });
  const projected = projectRows([ds, cheap], snapshot, 'CNY', { callsPerDay: 10, outputTokens: 1000, cacheHitShare: 0 });
  assert.deepEqual(projected.map((p) => p.row.id), ['cheap', 'ds']);
  const p = projected[1].projection;
  assert.ok(Math.abs(p.daily - 0.12) < 1e-12 && Math.abs(p.monthly - 3.6) < 1e-12, `${p.daily} ${p.monthly}`);
  assert.ok(p.offPeakSavings && Math.abs(p.offPeakSavings.monthly - 1.8) < 1e-12);
  assert.equal(projected[0].projection.offPeakSavings, undefined);
  assert.equal(projected[0].projection.converted, true);
});

const strings = new Proxy({} as PanelStrings, { get: (_t, k) => (k === 'statusLine' ? '{0} models · cheapest: {1} {2}' : String(k)) });
function snap(extra: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return { documentName: 'a.md', scope: 'document', characters: 10, outputTokens: 500, cacheHitShare: 0, exchangeRate: RATE, currency: 'CNY', rows, version: 1, ...extra };
}

test('visibleRows filters then sorts; default is cheapest first', () => {
  assert.deepEqual(ids(visibleRows(snap(), defaultViewState(), 'en')), expectedAsc.total);
  assert.deepEqual(ids(visibleRows(snap(), { ...defaultViewState(), vendor: 'Alibaba' }, 'en')), ['qwen-flash', 'qwen-max']);
});

test('status line names the count, the sort and the cheapest model', () => {
  const view = { ...defaultViewState(), sortKey: 'model' as const };
  const text = statusText(visibleRows(snap(), view, 'en'), snap(), view, strings, 'en-US');
  assert.equal(text, '5 models · cheapest: qwen-flash ¥0.0005 · sortedBy model, ascending');
  assert.equal(statusText([], snap(), view, strings, 'en-US'), 'noData');
  assert.equal(statusText(rows, snap({ message: 'File too large' }), view, strings, 'en-US'), 'File too large');
});

test('bars and percentages', () => {
  assert.equal(barPercent(0.5), 50);
  assert.equal(barPercent(3), 100);
  assert.equal(barPercent(Number.NaN), 0);
  assert.equal(barPercent(-1), 0);
  assert.equal(percent(1.4, 'en-US'), '140%');
  assert.equal(percent(0.0004, 'en-US'), '0.04%');
  assert.equal(fill('Assumes {0} output tokens', '500'), 'Assumes 500 output tokens');
  assert.equal(fill('assumed output tokens per call', '500'), '500 assumed output tokens per call');
});
