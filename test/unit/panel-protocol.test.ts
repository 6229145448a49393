import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview } from '../../src/panel/protocol';

test('accepts the four webview messages', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromWebview({ type: 'copySummary', extra: 1 }), { type: 'copySummary' });
  assert.deepEqual(parseFromWebview({ type: 'openSource', modelId: 'deepseek-chat' }), { type: 'openSource', modelId: 'deepseek-chat' });
  assert.deepEqual(parseFromWebview({ type: 'setDefaultModel', modelId: 'gpt-4o', x: '<b>' }), { type: 'setDefaultModel', modelId: 'gpt-4o' });
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
