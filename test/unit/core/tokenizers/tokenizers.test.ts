import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../../../package.json';
import { isKnownTokenizer } from '../../../../src/core/tokenizers/tokenizerIds';
import { decodeRankTable, encodeRankTable, tableOf } from '../../../../src/core/tokenizers/rankTable';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { TokenCounter } from '../../../../src/core/tokenizers/tokenCounter';
import { ESTIMATE_RULES, applyEstimate, countHan, splitHan } from '../../../../src/core/tokenizers/estimates';
import { utf8Latin1 } from '../../../../src/core/tokenizers/bpe';
import { ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import { referenceEncoderAsync } from '../../../fixtures/references';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const counter = new TokenCounter(TABLE_DIR);

test('rank tables round-trip, gaps included, and reject junk', () => {
  const tokens = [new Uint8Array([97]), undefined, new Uint8Array(200).fill(7), new Uint8Array([0xe4, 0xb8, 0xad])];
  const map = decodeRankTable(encodeRankTable(tokens));
  assert.equal(map.size, 3);
  assert.equal(map.get('a'), 0);
  assert.equal(map.get(String.fromCharCode(7).repeat(200)), 2);
  assert.equal(map.get('\xe4\xb8\xad'), 3);
  assert.throws(() => decodeRankTable(new Uint8Array([1, 2, 3])), /not a Token Cost rank table/);
  assert.throws(() => decodeRankTable(encodeRankTable(tokens).subarray(0, 20)), /truncated/);
});

test('UTF-8 bytes as latin1 match TextEncoder, lone surrogates as U+FFFD', () => {
  for (const s of ['abc', 'é', '中文', '𠀀😀', '\ud800x', 'x\udc00', '\ud83d']) {
    const expected = String.fromCharCode(...new TextEncoder().encode(s));
    assert.equal(utf8Latin1(s), expected, JSON.stringify(s));
  }
});

// Each vendor's own special and added strings (Kimi, GLM, MiniMax M1/M2, DeepSeek V3/V4, Qwen, OpenAI).
const SPECIAL_STRINGS = [
  '<|endoftext|>', '<think>', '</think>', '<|im_start|>', '<|im_end|>', '<｜begin▁of▁sentence｜>', '<|fim_prefix|>',
  '[gMASK]', '<sop>', '<|user|>', '/nothink', '<tool_call>', '[BOS]', '[EOS]', '<|im_user|>', '<|im_middle|>',
  ']~b]', ']!p~[', '<minimax:tool_call>', '<｜DSML｜>', '<｜begin▁sys｜>', '<|EOT|>',
];

test('special-token strings are counted as the plain text they are, never thrown on', async () => {
  for (const id of EXACT_TOKENIZER_IDS) {
    const ref = referenceEncoderAsync(id);
    for (const s of SPECIAL_STRINGS) {
      const n = counter.count(id, s).tokens;
      assert.ok(n > 1, `${id} counts ${s} as text (${n})`);
      assert.equal(n, (await ref(s)).length, `${id}: ${s}`);
      const inText = `user: ${s}hello${s}\n`;
      assert.equal(counter.count(id, inText).tokens, (await ref(inText)).length, `${id}: ${inText}`);
    }
  }
});

test('lone surrogates (invalid UTF-16 from an editor buffer) count as U+FFFD and never throw', () => {
  for (const id of EXACT_TOKENIZER_IDS) {
    assert.equal(counter.count(id, 'a\ud800b').tokens, counter.count(id, 'a\ufffdb').tokens);
  }
});

test('a long run without punctuation (heap merge) counts as the reference', async () => {
  const text = '我们今天讨论模型价格'.repeat(300);
  for (const id of EXACT_TOKENIZER_IDS) assert.equal(counter.count(id, text).tokens, (await referenceEncoderAsync(id)(text)).length, id);
});

test('every estimate is flagged, and follows its published example', () => {
  for (const id of ESTIMATE_TOKENIZER_IDS) {
    const c = counter.count(id, 'Hello world, 你好世界');
    assert.equal(c.exact, false, id);
    assert.ok(c.tokens > 0);
    assert.ok(ESTIMATE_RULES[id].basis.length > 20);
  }
  assert.equal(counter.count('estimate:doubao', '天空为什么这么蓝').tokens, 4, 'Volcengine: 8 characters → 4 tokens');
  assert.equal(counter.count('estimate:hunyuan', '你是谁').tokens, 2, 'Tencent: 你是谁 → 2 tokens');
  assert.equal(counter.count('estimate:ernie', '这是1段text(混合中英文)').tokens, 8, 'Baidu Qianfan: 这是1段text(混合中英文) → 8 tokens');
  assert.equal(counter.count('qwen', '').tokens, 0);
  assert.equal(counter.count('estimate:claude', '').tokens, 0);
});

test('estimate arithmetic: proxy scale plus a per-character rate for Chinese', () => {
  assert.equal(applyEstimate({ proxy: 'qwen', scale: 1, basis: '' }, 100, 50), 100);
  assert.equal(applyEstimate({ proxy: 'qwen', scale: 1.1, basis: '' }, 100, 0), 110);
  assert.equal(applyEstimate({ proxy: 'qwen', scale: 1, hanTokensPerChar: 0.5, basis: '' }, 100, 40), 120);
  assert.deepEqual(splitHan('abc中文def𠀀!'), { segments: ['abc', 'def', '!'], han: 3 });
  assert.deepEqual(splitHan('中文'), { segments: [], han: 2 });
});

test('Han characters across the CJK blocks and astral extensions', () => {
  assert.equal(countHan('中文abc'), 2);
  assert.equal(countHan('㐀𠀀𪜀𰀀'), 4);
  assert.equal(countHan('かなカナ한글'), 0);
  assert.equal(countHan('\ud840'), 0, 'a lone lead surrogate is not a character');
});

test('tables load on first use and can be released', () => {
  const t = new ExactTokenizers(TABLE_DIR);
  assert.equal(t.isLoaded('qwen'), false);
  t.get('qwen').count('x');
  assert.equal(t.isLoaded('qwen'), true);
  t.release();
  assert.equal(t.isLoaded('qwen'), false);
  assert.throws(() => new ExactTokenizers('/nonexistent').get('qwen'), /ENOENT/);
});

test('every exact id has a built table, is known to the CLI and price files, and is offered in the settings schema', () => {
  for (const id of EXACT_TOKENIZER_IDS) {
    assert.ok(existsSync(join(TABLE_DIR, `${tableOf(id).file}.bin`)), id);
    assert.equal(isKnownTokenizer(id), true, id);
  }
  const props = pkg.contributes.configuration.properties['tokenCost.prices'].items.properties;
  assert.deepEqual(props.tokenizer.enum, [...EXACT_TOKENIZER_IDS, ...ESTIMATE_TOKENIZER_IDS]);
});
