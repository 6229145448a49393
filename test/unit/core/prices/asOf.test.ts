import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pricesAsOf, STALE_AFTER_DAYS } from '../../../../src/core/prices/asOf';
import type { ModelEntry, PriceList } from '../../../../src/core/prices/types';

const list = (currency: 'CNY' | 'USD', checked?: string): PriceList => ({ currency, input: 1, output: 2, effectiveDate: '2026-01-01', source: 's', ...(checked ? { checked } : {}) });
const model = (id: string, prices: PriceList[], aliases?: string[]): ModelEntry => ({ id, vendor: 'V', name: id, tokenizer: 'qwen', contextWindow: 1000, prices, ...(aliases ? { aliases } : {}) });

const table = {
  updated: '2026-11-20',
  models: [model('a', [list('USD', '2026-11-01'), list('CNY', '2026-10-15')], ['a-alias']), model('b', [list('USD', '2026-11-25')]), model('c', [list('USD')])],
};

test('the oldest checked date among the shown models, and the table date', () => {
  const r = pricesAsOf(table, ['b', 'a-alias', 'nope'], new Date('2026-12-03T10:00:00Z'));
  assert.deepEqual(r, { oldestChecked: '2026-10-15', tableDate: '2026-11-20', stale: false, ageDays: 49, unchecked: [] });
  // Only shown models count: b alone is fresher.
  assert.equal(pricesAsOf(table, ['b'], new Date('2026-12-03T00:00:00Z')).oldestChecked, '2026-11-25');
});

test(`stale when more than ${STALE_AFTER_DAYS} days old, at the day boundary`, () => {
  // 2026-10-15 + 60 days = 2026-12-14.
  assert.equal(pricesAsOf(table, ['a'], new Date('2026-12-14T23:59:59Z')).stale, false);
  const r = pricesAsOf(table, ['a'], new Date('2026-12-15T00:00:00Z'));
  assert.equal(r.stale, true);
  assert.equal(r.ageDays, 61);
});

test('models without a checked date: listed, and the table date stands in when none of the shown ones has one', () => {
  const r = pricesAsOf(table, ['c'], new Date('2026-12-03T00:00:00Z'));
  assert.deepEqual(r, { tableDate: '2026-11-20', stale: false, ageDays: 13, unchecked: ['c'] });
  assert.deepEqual(pricesAsOf({ models: table.models }, ['c'], new Date('2026-12-03T00:00:00Z')), { stale: true, unchecked: ['c'] });
  assert.deepEqual(pricesAsOf({ models: [] }, [], new Date('2026-12-03T00:00:00Z')), { stale: true, unchecked: [] });
});
