// tokenSpans: the ids are the reference's, the bytes add up to the text's UTF-8, the spans cover the text in order,
// and characters split between tokens or changed by NFC are reported as such.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HARD_CORPUS } from '../../../fixtures/corpus';
import { referenceEncoderAsync } from '../../../fixtures/references';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { hexBytes, tokenSpans } from '../../../../src/core/tokenizers/tokenSpans';
import type { TokenSpan } from '../../../../src/core/tokenizers/tokenSpans';
import { EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const tokenizers = new ExactTokenizers(TABLE_DIR);

/** The spans' invariants against the text they came from. */
function checkSpans(text: string, spans: TokenSpan[], nfc: boolean): void {
  const tokenized = nfc ? text.normalize('NFC') : text;
  const bytes = spans.map((s) => s.bytes).join('');
  assert.equal(bytes, Buffer.from(tokenized, 'utf8').toString('latin1'), 'token bytes are the text\'s UTF-8');
  let byte = 0;
  let covered = 0;
  for (const s of spans) {
    assert.equal(s.byteStart, byte);
    assert.equal(s.byteEnd, byte + s.bytes.length);
    byte = s.byteEnd;
    assert.ok(s.start < s.end, 'a token touches at least one character');
    // Consecutive tokens meet, or share the character one of them splits.
    if (s.start < covered) assert.ok(s.partialStart || s.normalized, `overlap without a split character at ${s.start}`);
    else assert.equal(s.start, covered, 'no gap between tokens');
    covered = Math.max(covered, s.end);
    if (!s.normalized && !s.partialStart && !s.partialEnd) assert.equal(Buffer.from(text.slice(s.start, s.end), 'utf8').toString('latin1'), s.bytes);
  }
  assert.equal(covered, text.length, 'the tokens cover the text');
}

for (const id of EXACT_TOKENIZER_IDS) {
  test(`${id}: span ids equal the live reference's, and the spans cover the text byte for byte`, async () => {
    const t = tokenizers.get(id);
    const ref = referenceEncoderAsync(id);
    const lines = HARD_CORPUS.filter((l) => !/[\ud800-\udfff]/u.test(l.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));
    for (const line of lines) {
      const spans = tokenSpans(t, line);
      assert.deepEqual(spans.map((s) => s.id), await ref(line), JSON.stringify(line));
      checkSpans(line, spans, t.normalizesNfc);
    }
    const text = lines.join('\n');
    const spans = tokenSpans(t, text);
    assert.deepEqual(spans.map((s) => s.id), await ref(text));
    checkSpans(text, spans, t.normalizesNfc);
  });
}

test('a Han character split between two tokens is shown as shared, with each token\'s bytes', () => {
  // cl100k_base has no token for 龘 (U+9F98, e9 be 98): it takes two, cutting the character.
  const spans = tokenSpans(tokenizers.get('cl100k_base'), '龘 x');
  const [a, b] = spans;
  assert.deepEqual([a.start, a.end, a.partialStart, a.partialEnd, hexBytes(a.bytes)], [0, 1, false, true, 'e9 be']);
  assert.deepEqual([b.start, b.end, b.partialStart, b.partialEnd, hexBytes(b.bytes)], [0, 1, true, false, '98']);
  assert.equal(spans[2].start, 1);
});

test('an astral character (two UTF-16 units) split by bytes keeps its whole UTF-16 span', () => {
  const spans = tokenSpans(tokenizers.get('cl100k_base'), '😀x');
  assert.deepEqual(spans.map((s) => [s.start, s.end, hexBytes(s.bytes)]), [[0, 2, 'f0 9f 98'], [0, 2, '80'], [2, 3, '78']]);
});

test('NFC (Qwen): a decomposed é is tokenized composed; its token spans the original e + U+0301', () => {
  const text = 'cafe\u0301 ok';
  const spans = tokenSpans(tokenizers.get('qwen'), text);
  const accented = spans.find((s) => s.bytes.includes('\xc3\xa9'));
  assert.ok(accented?.normalized);
  assert.equal(text.slice(accented.start, accented.end), 'fe\u0301');
  checkSpans(text, spans, true);
  // Without NFC (cl100k) the combining mark is its own bytes and nothing is marked normalised.
  assert.ok(tokenSpans(tokenizers.get('cl100k_base'), text).every((s) => !s.normalized));
});

test('offset shifts the UTF-16 positions only; a long piece (heap merge) gives the same ids as encode', () => {
  const t = tokenizers.get('o200k_base');
  const spans = tokenSpans(t, 'ab cd', 100);
  assert.deepEqual(spans.map((s) => [s.start, s.end, s.byteStart]), [[100, 102, 0], [102, 105, 2]]);
  const han = '我们今天讨论一下这个问题的解决方案以及后续计划安排'.repeat(20);
  assert.deepEqual(tokenSpans(t, han).map((s) => s.id), t.encode(han));
});
