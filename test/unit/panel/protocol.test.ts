import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPanelPrices, isPanelUpdate, joinSnapshot, parseFocus, parseFromWebview } from '../../../src/panel/protocol';

test('accepts the four webview messages', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'copySummary', extra: 1 }), { type: 'copySummary' });
  assert.deepEqual(parseFromWebview({ type: 'showTokens', modelId: 'x' }), { type: 'showTokens' });
  assert.deepEqual(parseFromWebview({ type: 'openSource', modelId: 'deepseek-chat' }), { type: 'openSource', modelId: 'deepseek-chat' });
  assert.deepEqual(parseFromWebview({ type: 'setDefaultModel', modelId: 'gpt-4o', x: '<b>' }), { type: 'setDefaultModel', modelId: 'gpt-4o' });
});

test('openSource may name a list of the model’s price history by index', () => {
  assert.deepEqual(parseFromWebview({ type: 'openSource', modelId: 'deepseek-chat', list: 0 }), { type: 'openSource', modelId: 'deepseek-chat', list: 0 });
  assert.deepEqual(parseFromWebview({ type: 'openSource', modelId: 'deepseek-chat', list: 999 }), { type: 'openSource', modelId: 'deepseek-chat', list: 999 });
  // setDefaultModel carries no index; one sent anyway is dropped.
  assert.deepEqual(parseFromWebview({ type: 'setDefaultModel', modelId: 'm', list: 3 }), { type: 'setDefaultModel', modelId: 'm' });
  for (const list of [-1, 1.5, 1000, 1e308, Number.NaN, Number.POSITIVE_INFINITY, '1', '0x1', null, true, [1], { valueOf: () => 1 }]) {
    assert.equal(parseFromWebview({ type: 'openSource', modelId: 'deepseek-chat', list }), undefined, String(list));
  }
  assert.equal(parseFromWebview({ type: 'openSource', list: 1 }), undefined);
  assert.equal(parseFromWebview({ type: 'openSource', modelId: '', list: 1 }), undefined);
});

test('rejects everything else', () => {
  for (const bad of [
    undefined,
    null,
    'ready',
    42,
    [],
    ['ready'],
    {},
    { type: 'READY' },
    { type: 'update', snapshot: {} },
    { type: 'openUrl', url: 'https://x' },
    { type: 'openSource' },
    { type: 'openSource', modelId: '' },
    { type: 'openSource', modelId: 7 },
    { type: 'openSource', modelId: { toString: () => 'x' } },
    { type: 'setDefaultModel', modelId: 'x'.repeat(201) },
    { type: 'setDefaultModel', modelId: null },
    { type: '__proto__' },
    { type: 'constructor' },
  ]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  }
});

test('parseFocus: model ids and a note, nothing else; clearFocus is a message', () => {
  assert.deepEqual(parseFocus({ modelIds: ['a', 'b'], note: 'n' }), { modelIds: ['a', 'b'], note: 'n' });
  for (const bad of [undefined, null, 'x', { modelIds: [], note: '' }, { modelIds: 'a', note: '' }, { modelIds: [1], note: '' }, { modelIds: ['a'], note: 2 }, { modelIds: ['x'.repeat(201)], note: '' }, { modelIds: Array(501).fill('a'), note: '' }, { modelIds: ['a'], note: 'n'.repeat(501) }]) {
    assert.equal(parseFocus(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  }
  assert.deepEqual(parseFromWebview({ type: 'clearFocus', extra: '<script>' }), { type: 'clearFocus' });
});

const MODEL = { id: 'm1', vendor: 'V', name: 'M', tokenizer: 'qwen', contextWindow: 10, native: 'CNY', priceDate: '2025-01-01', source: 's', prices: [], history: [] } as const;
const COUNT = { id: 'm1', tokens: 5, exact: true, contextUse: 0.5, costs: { CNY: { input: 1, output: 0, total: 1, converted: false }, USD: { input: 0.1, output: 0, total: 0.1, converted: true } }, isDefault: true, followed: false };
const PRICES = { models: [{ ...MODEL, prices: [], history: [] }, { ...MODEL, id: 'm2', name: 'N', prices: [], history: [] }], exchangeRate: 7, currency: 'USD' as const, version: 3 };
const UPDATE = { documentName: 'a.md', scope: 'document' as const, characters: 9, outputTokens: 0, cacheHitShare: 0, rows: [{ ...COUNT, id: 'm2' }, COUNT, { ...COUNT, id: 'gone' }], version: 8, pricesVersion: 3 };

test('joinSnapshot: rows in the update’s order, each a model with its numbers; unknown ids dropped; settings from the prices', () => {
  const s = joinSnapshot(PRICES, UPDATE);
  assert.ok(s);
  assert.deepEqual(s.rows.map((r) => [r.id, r.name, r.tokens, r.isDefault]), [['m2', 'N', 5, true], ['m1', 'M', 5, true]]);
  assert.equal(s.currency, 'USD');
  assert.equal(s.exchangeRate, 7);
  assert.equal(s.version, 8);
  assert.equal(s.documentName, 'a.md');
  assert.ok(!('pricesVersion' in s) && !('message' in s));
  assert.equal(joinSnapshot(PRICES, { ...UPDATE, rows: [], message: 'Counting…' })?.message, 'Counting…');
});

test('joinSnapshot: an update priced with other prices does not join', () => {
  assert.equal(joinSnapshot(PRICES, { ...UPDATE, pricesVersion: 2 }), undefined);
  assert.equal(joinSnapshot({ ...PRICES, version: 4 }, UPDATE), undefined);
});

test('isPanelPrices / isPanelUpdate: the shapes the webview keeps, nothing else', () => {
  assert.equal(isPanelPrices(PRICES), true);
  assert.equal(isPanelUpdate(UPDATE), true);
  for (const bad of [null, 'x', [], {}, { ...PRICES, models: {} }, { ...PRICES, version: '3' }, { ...PRICES, version: Number.NaN }, { ...PRICES, currency: 'EUR' }, { ...PRICES, models: [{ id: 1, prices: [], history: [] }] }, { ...PRICES, models: [{ id: 'a', prices: [] }] }]) {
    assert.equal(isPanelPrices(bad), false, JSON.stringify(bad)?.slice(0, 60));
  }
  for (const bad of [null, 7, { ...UPDATE, rows: 'x' }, { ...UPDATE, version: undefined }, { ...UPDATE, pricesVersion: '3' }, { ...UPDATE, scope: 'all' }, { ...UPDATE, rows: [null] }, { ...UPDATE, rows: [{ id: 'a' }] }]) {
    assert.equal(isPanelUpdate(bad), false, JSON.stringify(bad)?.slice(0, 60));
  }
});
