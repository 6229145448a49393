// The four exact tokenizers must count exactly as the reference implementations do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import reference from '../../../fixtures/reference-counts.json';
import { HARD_CORPUS, corpusHash } from '../../../fixtures/corpus';
import { referenceEncoder } from '../../../fixtures/references';
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

  test(`${id}: token ids equal the live reference, whole corpus as one text`, () => {
    const text = HARD_CORPUS.join('\n');
    assert.deepEqual(tokenizers.get(id).encode(text), referenceEncoder(id)(text));
  });

  test(`${id}: random Unicode text counts as the live reference`, () => {
    const t = tokenizers.get(id);
    const ref = referenceEncoder(id);
    // Mix hostile fragments with arbitrary code points (lone surrogates excluded: Rust strings cannot hold them).
    const fragment = fc.oneof(
      fc.constantFrom(...HARD_CORPUS.slice(0, 140)),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)), maxLength: 8 }),
      fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', "'s", "'LL", '123', '4567', '中文', '哈'.repeat(40), 'ab'.repeat(40)),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 16 }), (parts) => {
        const text = parts.join('');
        assert.equal(t.count(text), ref(text).length, JSON.stringify(text));
      }),
      { numRuns: 400, seed: 20261123 },
    );
  });
}
