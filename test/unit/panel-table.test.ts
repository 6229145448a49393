import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PanelRow, PanelSnapshot, PanelStrings } from '../../src/panel/protocol';
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
} from '../../src/webview/table';
import { statusText } from '../../src/webview/status';
import { fill, percent } from '../../src/webview/format';

const RATE = 7; // CNY per USD

function row(id: string, vendor: string, cny: number, native: 'CNY' | 'USD', extra: Partial<PanelRow> = {}): PanelRow {
  const usd = cny / RATE;
  return {
    id,
    vendor,
    name: id,
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
  assert.deepEqual(defaultViewState('USD'), { sortKey: 'total', sortDescending: false, vendor: '', currency: 'USD' });
  assert.deepEqual(parseViewState({ sortKey: 'tokens', sortDescending: true, vendor: 'X', currency: 'native' }), {
    sortKey: 'tokens',
    sortDescending: true,
    vendor: 'X',
    currency: 'native',
  });
  for (const bad of [undefined, null, 'x', { sortKey: 'price' }, { sortKey: 'total', sortDescending: 'yes', vendor: '', currency: 'CNY' }, { sortKey: 'total', sortDescending: false, vendor: '', currency: 'EUR' }]) {
    assert.equal(parseViewState(bad), undefined);
  }
  const v = defaultViewState();
  assert.deepEqual(nextSort(v, 'total'), { ...v, sortDescending: true });
  assert.deepEqual(nextSort({ ...v, sortDescending: true }, 'model'), { ...v, sortKey: 'model', sortDescending: false });
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
