// The compact rank table: round trips, hash collisions and duplicates, and damaged files (a clear error, never a
// crash or a silently wrong table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { RankTable, decodeRankTable, encodeRankTable, hashBytes, tableOf } from '../../../../src/core/tokenizers/rankTable';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const bytes = (s: string) => new TextEncoder().encode(s);
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
const DAMAGE = /not a Token Cost rank table|truncated rank table|corrupt rank table/;

test('round trip: every token finds its rank, gaps and long tokens included; other spans find none', () => {
  const tokens = [bytes('a'), undefined, new Uint8Array(200).fill(7), bytes('中'), bytes('ab'), undefined, new Uint8Array(300).fill(0x80), bytes(' the')];
  const table = RankTable.decode(encodeRankTable(tokens));
  assert.equal(table.size, tokens.length);
  tokens.forEach((t, rank) => {
    if (!t) return assert.equal(table.token(rank), undefined);
    assert.deepEqual(table.token(rank), t);
    assert.equal(table.tokenLength(rank), t.length);
    // Looked up inside a larger buffer, as BPE does.
    const buf = new Uint8Array([9, 9, ...t, 9]);
    assert.equal(table.rank(buf, 2, 2 + t.length), rank);
  });
  for (const s of ['b', 'abc', ' th', '', '中文']) assert.equal(table.rank(bytes(s), 0, bytes(s).length), -1, s);
  assert.equal(table.token(-1), undefined);
  assert.equal(table.token(tokens.length), undefined);
  assert.deepEqual([...decodeRankTable(encodeRankTable(tokens))], [...(tokens.flatMap((t, r) => (t ? [[latin1(t), r]] : [])) as [string, number][])]);
});

test('a token map round-trips through fromMap', () => {
  const map = new Map([['a', 0], ['b', 1], ['ab', 5], ['\xe4\xb8\xad', 9]]);
  const table = RankTable.fromMap(map);
  assert.equal(table.size, 10);
  for (const [k, r] of map) assert.equal(table.rank(new Uint8Array([...k].map((c) => c.charCodeAt(0))), 0, k.length), r);
  assert.throws(() => RankTable.fromMap(new Map([['中', 0]])), /latin1/);
  assert.throws(() => RankTable.fromMap(new Map([['a', -1]])), /invalid rank/);
});

test('full 32-bit hash collisions and a crowded table still resolve by bytes', () => {
  // Find two 6-byte strings with the same hash (birthday search over ~2^16 random candidates; FNV-1a cannot
  // collide on inputs of four bytes or fewer).
  const seen = new Map<number, Uint8Array>();
  let pair: [Uint8Array, Uint8Array] | undefined;
  let s = 1;
  while (!pair) {
    const b = new Uint8Array(6);
    for (let j = 0; j < 6; j++) b[j] = (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24;
    const h = hashBytes(b, 0, 6);
    const other = seen.get(h);
    if (other) pair = [other, b];
    else seen.set(h, b);
  }
  const [x, y] = pair;
  assert.notDeepEqual(x, y);
  assert.equal(hashBytes(x, 0, 6), hashBytes(y, 0, 6));
  // Plus 600 tokens in the smallest table (1024 slots), so probe chains are long.
  const filler = Array.from({ length: 600 }, (_, i) => bytes(`t${i}`));
  const table = RankTable.decode(encodeRankTable([x, ...filler, y]));
  assert.equal(table.rank(x, 0, 6), 0);
  assert.equal(table.rank(y, 0, 6), 601);
  filler.forEach((t, i) => assert.equal(table.rank(t, 0, t.length), i + 1));
  const absent = new Uint8Array([...x]);
  absent[5] ^= 1;
  assert.equal(table.rank(absent, 0, 6), -1);
});

test('two ranks with the same bytes: the later wins, as in the Map', () => {
  const tokens = [bytes('x'), bytes('dup'), bytes('y'), bytes('dup')];
  assert.equal(RankTable.decode(encodeRankTable(tokens)).rank(bytes('dup'), 0, 3), 3);
  assert.equal(decodeRankTable(encodeRankTable(tokens)).get('dup'), 3);
});

test('every truncation of a table, trailing bytes, bad lengths and huge counts are clear errors', () => {
  const good = encodeRankTable([bytes('a'), new Uint8Array(130).fill(1), undefined, bytes('bc')]);
  RankTable.decode(good);
  for (let n = 0; n < good.length; n++) assert.throws(() => RankTable.decode(good.subarray(0, n)), DAMAGE, `prefix ${n}`);
  assert.throws(() => RankTable.decode(new Uint8Array([...good, 0])), /trailing bytes/);
  const badMagic = good.slice();
  badMagic[3] = 0x32;
  assert.throws(() => RankTable.decode(badMagic), /not a Token Cost rank table/);
  // Count far beyond the file: refused before any allocation.
  const huge = good.slice();
  new DataView(huge.buffer).setUint32(4, 0xffffffff, true);
  assert.throws(() => RankTable.decode(huge), /truncated/);
  // A length varint that never ends.
  const endless = new Uint8Array([0x54, 0x43, 0x52, 0x31, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assert.throws(() => RankTable.decode(endless), /corrupt/);
  // More ranks than a slot can hold.
  const big = new Uint8Array(8 + 0x100000);
  big.set([0x54, 0x43, 0x52, 0x31]);
  new DataView(big.buffer).setUint32(4, 0x100000, true);
  assert.throws(() => RankTable.decode(big), /too large/);
});

test('random bytes after a valid header: a table or a clear error, never another exception', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(40), (body, count) => {
      const data = new Uint8Array(8 + body.length);
      data.set([0x54, 0x43, 0x52, 0x31]);
      new DataView(data.buffer).setUint32(4, count, true);
      data.set(body, 8);
      try {
        const t = RankTable.decode(data);
        assert.equal(t.size, count);
      } catch (e) {
        assert.ok(e instanceof Error && DAMAGE.test(e.message), String(e));
      }
    }),
    { seed: 20261203, numRuns: 2000 },
  );
});

for (const id of EXACT_TOKENIZER_IDS) {
  test(`${id}: the typed-array table agrees with the decoded Map on every token`, () => {
    const data = readFileSync(join(TABLE_DIR, `${tableOf(id).file}.bin`));
    const table = RankTable.decode(data, tableOf(id).ranks);
    const map = decodeRankTable(data);
    const limit = tableOf(id).ranks ?? Infinity;
    let n = 0;
    for (const [k, rank] of map) {
      if (rank >= limit) {
        assert.ok(tableOf(id).ranks, 'only a prefix table leaves ranks out');
        continue;
      }
      const b = new Uint8Array(k.length);
      for (let i = 0; i < k.length; i++) b[i] = k.charCodeAt(i);
      if (table.rank(b, 0, b.length) !== rank) assert.fail(`${id}: ${JSON.stringify(k)} → ${table.rank(b, 0, b.length)}, want ${rank}`);
      n++;
    }
    assert.ok(n > 50_000);
    // Held in a few MB, not tens.
    assert.ok(table.byteLength < 6 * 1024 * 1024, `${table.byteLength} bytes`);
  });
}

test('ExactTokenizers takes a loader function (no file system) as well as a folder', () => {
  const asked: string[] = [];
  const fromLoader = new ExactTokenizers((id) => {
    asked.push(id);
    return new Uint8Array(readFileSync(join(TABLE_DIR, `${id}.bin`)));
  });
  const fromDir = new ExactTokenizers(TABLE_DIR);
  const text = 'Hello, 世界! 12345 tokens\n\tindent';
  for (const id of EXACT_TOKENIZER_IDS) assert.deepEqual(fromLoader.get(id).encode(text), fromDir.get(id).encode(text));
  fromLoader.get('qwen');
  // Each tokenizer's table read once, by the file it reads (shared tables: tableOf).
  assert.deepEqual(asked, EXACT_TOKENIZER_IDS.map((id) => tableOf(id).file), 'each table read once');
  const broken = new ExactTokenizers(() => new Uint8Array([0x54, 0x43, 0x52, 0x31, 9, 0, 0, 0]));
  assert.throws(() => broken.get('o200k_base'), /the o200k_base tokenizer could not be loaded \(truncated rank table\)/);
});
