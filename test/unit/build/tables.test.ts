// The rank-table builder's checks: it must refuse vocabularies whose merges the rank-table BPE would not follow,
// and say where it looked when ../shared/tokenizers is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { RankTable, tableOf } from '../../../src/core/tokenizers/rankTable';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BYTE_LEVEL_CHARS, bpeRanks, buildTables } from '../../../src/build/tables';
import type { HfTokenizerJson } from '../../../src/build/tables';
import { TABLE_DIR } from '../../fixtures/tableDir';

const bl = (s: string) => Array.from(Buffer.from(s, 'latin1'), (b) => BYTE_LEVEL_CHARS[b]).join('');

/** A byte-level BPE tokenizer.json: byte b has id b, then `extra` tokens at the ids given. */
function hfJson(extra: Record<string, number>, merges: string[], options: Partial<HfTokenizerJson['model']> = {}): HfTokenizerJson {
  const vocab: Record<string, number> = {};
  BYTE_LEVEL_CHARS.forEach((ch, b) => (vocab[ch] = b));
  for (const [t, id] of Object.entries(extra)) vocab[bl(t)] = id;
  return {
    model: { type: 'BPE', vocab, merges: merges.map((m) => m.split(' ').map(bl).join(' ')), ...options },
    added_tokens: [],
    normalizer: null,
    pre_tokenizer: null,
  };
}

const text = (t: Uint8Array | undefined) => (t ? Buffer.from(t).toString('latin1') : undefined);

test('tables: ids that follow the merges are the ranks', () => {
  const tokens = bpeRanks('t', hfJson({ ab: 256, abc: 257 }, ['a b', 'ab c']));
  assert.equal(tokens.length, 258);
  assert.equal(text(tokens[256]), 'ab');
  assert.equal(text(tokens[257]), 'abc');
  assert.equal(text(tokens[97]), 'a');
});

test('tables: ids out of merge order fail the build', () => {
  assert.throws(() => bpeRanks('t', hfJson({ ab: 257, cd: 256 }, ['a b', 'c d'])), /t: merge 1 \(c d\) makes id 256 after id 257: ids do not follow merge order/);
});

test('tables: a merge list the rank-table BPE cannot follow fails the build', () => {
  // "abc": Hugging Face merges b+c first and then has no (a, bc) merge: two tokens. Tiktoken-style ranks would join
  // a+bc into abc (rank 258): one token. The check must see it.
  assert.throws(() => bpeRanks('t', hfJson({ bc: 256, ab: 257, abc: 258 }, ['b c', 'a b', 'ab c'])), /t: token "abc": the ranks build it from halves that are none of its merges/);
  // Complete merges (every split is a merge) are fine in the same order.
  assert.equal(bpeRanks('t', hfJson({ bc: 256, ab: 257, abc: 258 }, ['b c', 'a b', 'a bc', 'ab c'])).length, 259);
  assert.throws(() => bpeRanks('t', hfJson({ xyz: 256 }, [])), /token "xyz" \(id 256\) comes from no merge/);
  assert.throws(() => bpeRanks('t', hfJson({ ab: 256 }, ['a b', 'a q'])), /merge 1 .* joins tokens outside the byte-level vocabulary/);
  assert.throws(() => bpeRanks('t', hfJson({ ab: 256 }, ['a b'], { byte_fallback: true })), /byte_fallback/);
  // A second merge of a token (complete merge lists have several) after a later token's: priority would differ.
  assert.throws(() => bpeRanks('t', hfJson({ ab: 256, bc: 257, abc: 258, cd: 259 }, ['a b', 'b c', 'ab c', 'c d', 'a bc'])), /merge 4 .* makes id 258 after id 259/);
});

test('tables: a missing ../shared/tokenizers fails the build, naming where it looked', () => {
  const out = mkdtempSync(join(tmpdir(), 'tc-tables-'));
  try {
    assert.throws(() => buildTables(out, '/nonexistent/shared/tokenizers'), /tokenizer vocabularies not found: .*\.\.\/shared\/tokenizers.*looked in \/nonexistent\/shared\/tokenizers/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('shared tables: deepseek-v4 reads deepseek-v3.bin, glm-4 the first 151,329 ranks of glm-5.bin; neither ships a copy', () => {
  assert.deepEqual(tableOf('deepseek-v4'), { file: 'deepseek-v3' });
  assert.deepEqual(tableOf('glm-4'), { file: 'glm-5', ranks: 151_329 });
  for (const id of ['deepseek-v4', 'glm-4']) assert.equal(existsSync(join(TABLE_DIR, `${id}.bin`)), false, id);
  const glm5 = readFileSync(join(TABLE_DIR, 'glm-5.bin'));
  assert.equal(glm5.readUInt32LE(4), 154_820);
  assert.equal(RankTable.decode(glm5, 151_329).size, 151_329);
  assert.throws(() => RankTable.decode(glm5, 200_000), /154820 ranks, 200000 wanted/);
});
