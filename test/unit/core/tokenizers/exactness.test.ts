// Every exact tokenizer must count exactly as its reference implementation does (test/fixtures/references.ts),
// token id by token id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import reference from '../../../fixtures/reference-counts.json';
import { HARD_CORPUS, corpusHash } from '../../../fixtures/corpus';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MINIMAX_M2_FILE, hfRustFile, hunyuanReference, kimiTiktokenOnly, readShared, referenceEncoder, referenceEncoderAsync } from '../../../fixtures/references';
import { BpeCounter } from '../../../../src/core/tokenizers/bpe';
import { createPreTokenizer } from '../../../../src/core/tokenizers/pretokenize';
import { BYTE_LEVEL_CHARS } from '../../../../src/build/tables';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const tokenizers = new ExactTokenizers(TABLE_DIR);

test('reference counts belong to this corpus', () => {
  assert.equal(reference.corpusSha256, corpusHash(), 'corpus changed: run "npm run fixtures"');
});

for (const id of EXACT_TOKENIZER_IDS) {
  test(`${id}: every hard-corpus line counts as the reference`, () => {
    const t = tokenizers.get(id);
    const expected = (reference.counts as Record<string, number[]>)[id];
    assert.equal(expected.length, HARD_CORPUS.length);
    const wrong = HARD_CORPUS.map((line, i) => ({ line, want: expected[i], got: t.count(line) })).filter((r) => r.want !== r.got);
    assert.deepEqual(wrong, []);
  });

  test(`${id}: token ids equal the live reference, line by line and the whole corpus as one text`, async () => {
    const t = tokenizers.get(id);
    const ref = referenceEncoderAsync(id);
    const wrong: string[] = [];
    for (const line of HARD_CORPUS) if (JSON.stringify(t.encode(line)) !== JSON.stringify(await ref(line))) wrong.push(line);
    assert.deepEqual(wrong, []);
    const text = HARD_CORPUS.join('\n');
    assert.deepEqual(t.encode(text), await ref(text));
  });

  test(`${id}: random Unicode text gives the live reference's token ids`, async () => {
    const t = tokenizers.get(id);
    const ref = referenceEncoderAsync(id);
    // Mix hostile fragments with arbitrary code points (lone surrogates excluded: Rust strings cannot hold them).
    const fragment = fc.oneof(
      fc.constantFrom(...HARD_CORPUS.slice(0, 140)),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)), maxLength: 8 }),
      fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", '123', '4567', '中文', '哈'.repeat(40), 'ab'.repeat(40)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fragment, { maxLength: 16 }), async (parts) => {
        const text = parts.join('');
        const want = await ref(text);
        assert.deepEqual(t.encode(text), want, JSON.stringify(text));
        assert.equal(t.count(text), want.length, JSON.stringify(text));
      }),
      { numRuns: 400, seed: 20261123 },
    );
  });
}

test("kimi-k2: the Python encoder's 25,000-character runs and 400,000-character windows, as the reference", () => {
  const t = tokenizers.get('kimi-k2');
  const ref = referenceEncoder('kimi-k2');
  const plain = kimiTiktokenOnly();
  const cases = {
    // 30,000 digits: the run cut at 25,000 leaves a lone digit (25,000 = 3 × 8,333 + 1), one token more.
    digits: '1234567890'.repeat(3000),
    // 26,000 spaces, then a letter: cut at 25,000.
    spaces: ' '.repeat(26_000) + 'x',
    // Over 400,000 code points with astral ones first: the window edge falls inside "wordy" only if code points,
    // not UTF-16 units, are counted.
    window: '😀'.repeat(7) + 'wordy '.repeat(66_668) + 'tail',
  };
  for (const [name, text] of Object.entries(cases)) {
    const want = ref(text);
    assert.notDeepEqual(want, plain(text), `${name}: the case exercises the Python rule`);
    assert.deepEqual(t.encode(text), want, name);
    assert.equal(t.count(text), want.length, name);
  }
});

test('hunyuan pre-tokenizer (user-supplied hy.tiktoken; never built or shipped) gives the reference token ids', () => {
  assert.equal(existsSync(join(TABLE_DIR, 'hunyuan.bin')), false, 'Tencent licence: no bundled table');
  // tokenization_hy.py ranks tokens by line order; the file's own numbers agree (checked here).
  const ranks = new Map<string, number>();
  readShared('hunyuan/hy.tiktoken').toString('utf8').split('\n').filter(Boolean).forEach((line, i) => {
    const [b64, n] = line.split(' ');
    assert.equal(Number(n), i);
    ranks.set(Buffer.from(b64, 'base64').toString('latin1'), i);
  });
  const t = new BpeCounter(ranks, createPreTokenizer('hunyuan'));
  const ref = hunyuanReference();
  const wrong = HARD_CORPUS.filter((line) => JSON.stringify(t.encode(line)) !== JSON.stringify(ref(line)));
  assert.deepEqual(wrong, []);
  const text = HARD_CORPUS.join('\n');
  assert.deepEqual(t.encode(text), ref(text));
  assert.equal(t.count('2024年'), 5, 'single digits');
});

test("minimax: M1's table gives MiniMax M2's own tokenizer.json ids (its added tokens counted as text)", async () => {
  const t = tokenizers.get('minimax');
  const m2 = hfRustFile(MINIMAX_M2_FILE);
  const text = HARD_CORPUS.join('\n') + '<think>x</think><minimax:tool_call>y</minimax:tool_call>';
  assert.deepEqual(t.encode(text), await m2(text));
});

// The one place tiktoken-style ranks and a merge list can disagree: GLM's files list several merges per token, and
// where a token t = x+y = y+z has its right merge (y, z) before its left one (x, y), Hugging Face would merge
// [x][y][z] on the right and tiktoken on the left. Every such token (679 in each file), in a few contexts.
for (const [id, file] of [['glm-4', 'glm-4/tokenizer.json.br'], ['glm-5', 'glm-5/tokenizer.json.gz']] as const) {
  test(`${id}: tokens with overlapping merges of the same result give the reference ids`, async () => {
    const json = JSON.parse(readShared(file).toString('utf8')) as { model: { merges: [string, string][] } };
    const merges = new Map<string, [string, string, number][]>();
    json.model.merges.forEach(([x, y], i) => merges.set(x + y, [...(merges.get(x + y) ?? []), [x, y, i]]));
    const byteOf = new Map(BYTE_LEVEL_CHARS.map((ch, b) => [ch, b]));
    const texts: string[] = [];
    for (const ms of merges.values()) {
      for (const [x, y, i] of ms) {
        for (const [y2, z, k] of ms) {
          if (y2 !== y || x === z || k > i) continue;
          const s = Buffer.from(Array.from(x + y + z, (ch) => byteOf.get(ch) as number)).toString('utf8');
          texts.push(s, 'x' + s + 's', s + s, ' m' + s + 'ing');
        }
      }
    }
    assert.ok(texts.length > 2000, `${texts.length / 4} overlapping tokens`);
    const t = tokenizers.get(id);
    const ref = referenceEncoderAsync(id);
    const wrong: string[] = [];
    for (const s of texts) if (JSON.stringify(t.encode(s)) !== JSON.stringify(await ref(s))) wrong.push(s);
    assert.deepEqual(wrong, []);
  });
}
