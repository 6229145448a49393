// Terminal rendering helpers in-process: escaping of file names, rounding, column alignment by display width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerPriceTables } from '../../../src/core/prices/priceTable';
import { printable, renderModelList, renderTokenizerCount, round } from '../../../src/cli/render';

test('printable: control characters and bidi overrides become visible escapes; other text is untouched', () => {
  assert.equal(printable('a\u001b[31mb'), 'a\\u{1b}[31mb');
  assert.equal(printable('x\u202ey\u2066z\u0085'), 'x\\u{202e}y\\u{2066}z\\u{85}');
  assert.equal(printable('提示/ok é.md'), '提示/ok é.md');
});

test('round keeps twelve significant digits', () => {
  assert.equal(round(0.000009600000000000001), 0.0000096);
  assert.equal(round(0.1 + 0.2), 0.3);
  assert.equal(round(123456.789), 123456.789);
});

test('table columns align by display width: a wide character takes two columns', () => {
  const [model] = layerPriceTables([]).models;
  const lines = renderModelList([{ ...model, vendor: 'ab' }, { ...model, vendor: '中' }, { ...model, vendor: 'abc' }]).split('\n');
  assert.equal(lines.length, 5);
  // Same model otherwise: what follows each vendor cell starts at the same terminal column.
  const after = (line: string, vendor: string) => line.slice(line.indexOf(vendor) + vendor.length);
  assert.equal(after(lines[1], 'ab').length, after(lines[3], 'abc').length + 1);
  assert.equal(after(lines[2], '中'), after(lines[1], 'ab'));
  assert.ok(lines.every((l) => l === '' || l.startsWith('  ')));
  assert.ok(lines.every((l) => l === l.trimEnd()));
});

test('--tokenizer line: an estimate is marked ≈ and says so; chat details follow', () => {
  assert.equal(renderTokenizerCount('f', 'qwen', { tokenizer: 'qwen', tokens: 1234, exact: true }, undefined), 'f: 1,234 tokens (qwen)\n');
  assert.equal(
    renderTokenizerCount('c.json', 'estimate:claude', { tokenizer: 'estimate:claude', tokens: 7, exact: false }, { messages: 2, overheadTokens: 9, overheadKnown: false, basis: 'b' }),
    'c.json: ≈7 tokens (estimate:claude, estimate), chat: 2 messages, 9 overhead tokens (estimated)\n',
  );
});
