import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFocus, parseFromWebview } from '../../../src/panel/protocol';

test('accepts the four webview messages', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'copySummary', extra: 1 }), { type: 'copySummary' });
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
