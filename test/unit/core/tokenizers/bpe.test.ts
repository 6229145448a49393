// The merge loop against a plain reference BPE (tiktoken's rule, written the obvious way) on random vocabularies,
// and its edge cases: empty, one byte, pieces past the heap threshold, lone surrogates, the piece cache's bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BpeCounter, bpeCounterFromTable, utf8Latin1 } from '../../../../src/core/tokenizers/bpe';
import { RankTable, encodeRankTable } from '../../../../src/core/tokenizers/rankTable';
import type { PreTokenizer } from '../../../../src/core/tokenizers/pretokenize';

const SEED = 20261203;

/** Words and runs of spaces, so tests control the pieces. */
const words: PreTokenizer = {
  nfc: false,
  split(text, sink) {
    for (const m of text.matchAll(/\S+|\s+/gu)) sink(m[0]);
  },
};
/** The whole text is one piece (long pieces take the heap merge). */
const whole: PreTokenizer = { nfc: false, split: (text, sink) => (text ? sink(text) : undefined) };

/** A byte-level vocabulary as BPE training grows one: the 256 bytes, then concatenations of earlier tokens. */
function vocabulary(seed: number, merges: number, alphabet: string): Map<string, number> {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const ranks = new Map<string, number>();
  // Bytes in a shuffled order, so single-byte ids are not their values.
  const order = Array.from({ length: 256 }, (_, i) => i).sort(() => rnd() - 0.5);
  for (const b of order) ranks.set(String.fromCharCode(b), ranks.size);
  const seeds = [...new Set(utf8Latin1(alphabet))];
  const pool = [...seeds];
  while (ranks.size < 256 + merges) {
    const t = pool[Math.floor(rnd() * pool.length)] + pool[Math.floor(rnd() * pool.length)];
    if (t.length > 12 || ranks.has(t)) continue;
    ranks.set(t, ranks.size);
    pool.push(t);
  }
  return ranks;
}

/** Reference: merge the lowest-ranked adjacent pair, leftmost first, on latin1 byte strings. */
function referenceBpe(ranks: Map<string, number>, piece: string): number[] {
  const parts = [...utf8Latin1(piece)];
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < best) {
        best = r;
        at = i;
      }
    }
    if (at < 0) break;
    parts.splice(at, 2, parts[at] + parts[at + 1]);
  }
  return parts.map((p) => ranks.get(p) as number);
}

function referenceEncode(ranks: Map<string, number>, pre: PreTokenizer, text: string): number[] {
  const ids: number[] = [];
  pre.split(text, (p) => ids.push(...referenceBpe(ranks, p)));
  return ids;
}

const ALPHABET = 'ab 中文é😀';

test('random vocabularies and texts: ids equal the reference BPE, short pieces and long ones', () => {
  fc.assert(
    fc.property(
      fc.nat(1000),
      fc.integer({ min: 0, max: 300 }),
      fc.array(fc.constantFrom(...'ab 中文é😀', 'ab', 'aaaa', '中文中文'), { maxLength: 60 }),
      (seed, merges, parts) => {
        const ranks = vocabulary(seed, merges, ALPHABET);
        const text = parts.join('');
        for (const pre of [words, whole]) {
          const c = new BpeCounter(ranks, pre);
          const want = referenceEncode(ranks, pre, text);
          assert.deepEqual(c.encode(text), want);
          assert.equal(c.count(text), want.length);
          assert.equal(c.count(text), want.length, 'again, from the piece cache');
        }
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test('edge cases: empty, one byte, a lone multi-byte character, pieces far past the heap threshold', () => {
  const ranks = vocabulary(7, 400, ALPHABET);
  const c = new BpeCounter(ranks, whole);
  assert.equal(c.count(''), 0);
  assert.deepEqual(c.encode(''), []);
  assert.equal(c.count('a'), 1);
  assert.deepEqual(c.encode('a'), [ranks.get('a')]);
  for (const s of ['é', '中', '😀', 'ab'.repeat(500), '中文'.repeat(400), '😀a'.repeat(300), 'a'.repeat(5000)]) {
    assert.deepEqual(c.encode(s), referenceBpe(ranks, s), s.slice(0, 12));
    assert.equal(c.count(s), referenceBpe(ranks, s).length);
  }
});

test('a pair whose rank changed while its old entry waits in the heap is not merged by the old rank', () => {
  const ranks = new Map<string, number>();
  for (let b = 0; b < 256; b++) ranks.set(String.fromCharCode(b), b);
  // "bc" merges first; the queued (a, b) → "ab" is then stale: a joins "bc" as "abc".
  for (const t of ['bc', 'ab', 'abc', 'xx']) ranks.set(t, ranks.size);
  const c = new BpeCounter(ranks, whole);
  for (const s of ['abc', 'x'.repeat(41) + 'abc', 'abc'.repeat(30)]) assert.deepEqual(c.encode(s), referenceBpe(ranks, s), s);
  assert.deepEqual(c.encode('x'.repeat(40) + 'abc').slice(-1), [258]);
});

test('lone surrogates count as U+FFFD, never throw', () => {
  const ranks = vocabulary(3, 200, ALPHABET + '\ufffd');
  const c = new BpeCounter(ranks, words);
  for (const [bad, good] of [['\ud800', '\ufffd'], ['a\udc00b', 'a\ufffdb'], ['x\ud83d', 'x\ufffd'], ['\udc00\ud800', '\ufffd\ufffd'], ['😀\ud800😀', '😀\ufffd😀']]) {
    assert.deepEqual(c.encode(bad), c.encode(good), JSON.stringify(bad));
    assert.equal(c.count(bad), c.count(good));
  }
});

test('UTF-8 encoder equals TextEncoder on any UTF-16, lone surrogates included', () => {
  const unit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)));
  fc.assert(
    fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
      const s = units.join('');
      assert.equal(utf8Latin1(s), String.fromCharCode(...new TextEncoder().encode(s)));
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('a table file and a Map build the same counter; a table without every byte is refused', () => {
  const ranks = vocabulary(11, 300, ALPHABET);
  const tokens: (Uint8Array | undefined)[] = [];
  for (const [k, r] of ranks) tokens[r] = Uint8Array.from(k, (ch) => ch.charCodeAt(0));
  const fromFile = bpeCounterFromTable(encodeRankTable(tokens), words);
  const fromMap = new BpeCounter(ranks, words);
  const text = 'ab 中文 aaaa é😀 中文中文ab';
  assert.deepEqual(fromFile.encode(text), fromMap.encode(text));
  const noZ = new Map([...ranks].filter(([k]) => k !== 'z'));
  assert.throws(() => new BpeCounter(RankTable.fromMap(noZ), words), /lacks byte 122/);
});

test('the piece cache stays bounded over many distinct pieces, and counts stay right', () => {
  const ranks = vocabulary(5, 200, ALPHABET);
  const c = new BpeCounter(ranks, words);
  const pieces = Array.from({ length: 40_000 }, (_, i) => `ab${i.toString(36)}中`);
  const text = pieces.join(' ');
  assert.equal(c.count(text), referenceEncode(ranks, words, text).length);
  const size = (c as unknown as { cache: Map<string, number> }).cache.size;
  assert.ok(size > 0 && size <= 32_768, `cache size ${size}`);
  assert.equal(c.count(text), referenceEncode(ranks, words, text).length);
});
