// Byte-level BPE over a rank table, counting tokens without materialising them. Same merge rule as tiktoken:
// repeatedly merge the adjacent pair whose concatenation has the lowest rank, leftmost first.
import type { PreTokenizer } from './pretokenize';

/** Pieces longer than this (in bytes) use the heap merge; short ones a linear scan, which is faster for them. */
const HEAP_THRESHOLD = 24;
const CACHE_LIMIT = 200_000;
const ID_CACHE_LIMIT = 50_000;

export class BpeCounter {
  /** Piece → token count. Pieces repeat a lot in real text (words, punctuation, indentation). */
  private readonly cache = new Map<string, number>();

  private readonly pairs: PairRanks;
  /** Token id of each single byte. */
  private readonly byteIds = new Int32Array(256);
  private byId: string[] | undefined;
  /** Piece → token ids, for encodePieces (showing the tokens of a screenful, which repeats words as counting does). */
  private readonly idCache = new Map<string, readonly number[]>();

  constructor(
    private readonly ranks: Map<string, number>,
    private readonly pre: PreTokenizer,
  ) {
    this.pairs = new PairRanks(ranks);
    for (let b = 0; b < 256; b++) {
      const id = ranks.get(String.fromCharCode(b));
      if (id === undefined) throw new Error(`rank table lacks byte ${b}`);
      this.byteIds[b] = id;
    }
  }

  count(text: string): number {
    if (this.pre.nfc) text = text.normalize('NFC');
    let total = 0;
    this.pre.split(text, (piece) => {
      total += this.countPiece(piece);
    });
    return total;
  }

  /** Token ids, for tests that compare against reference implementations token by token. */
  encode(text: string): number[] {
    if (this.pre.nfc) text = text.normalize('NFC');
    const ids: number[] = [];
    this.pre.split(text, (piece) => {
      const bytes = utf8Latin1(piece);
      const whole = this.ranks.get(bytes);
      if (whole !== undefined) ids.push(whole);
      else for (const id of linearMerge(bytes, this.pairs, this.byteIds)) ids.push(id);
    });
    return ids;
  }

  /** Whether text is NFC-normalised before splitting: callers of encodePieces normalise it themselves. */
  get normalizesNfc(): boolean {
    return this.pre.nfc;
  }

  /**
   * The pre-tokenizer's pieces of `text` with each piece's token ids, in order, for showing tokens. The text is
   * taken as given: no NFC here, so the caller can map offsets across normalisation.
   */
  encodePieces(text: string, sink: (piece: string, ids: readonly number[]) => void): void {
    const cache = this.idCache;
    this.pre.split(text, (piece) => {
      const hit = cache.get(piece);
      if (hit) return sink(piece, hit);
      const bytes = utf8Latin1(piece);
      const whole = this.ranks.get(bytes);
      let ids: number[];
      if (whole !== undefined) ids = [whole];
      else if (bytes.length > HEAP_THRESHOLD) heapMergeCount(bytes, this.pairs, this.byteIds, (ids = []));
      else ids = linearMerge(bytes, this.pairs, this.byteIds);
      if (cache.size >= ID_CACHE_LIMIT) cache.clear();
      cache.set(piece, ids);
      sink(piece, ids);
    });
  }

  /** A token's bytes (one char per byte), or undefined for an unused id. The reverse table is built on first use. */
  tokenBytes(id: number): string | undefined {
    if (!this.byId) {
      this.byId = [];
      for (const [bytes, rank] of this.ranks) this.byId[rank] = bytes;
    }
    return this.byId[id];
  }

  countPiece(piece: string): number {
    const cache = this.cache;
    const hit = cache.get(piece);
    if (hit !== undefined) return hit;
    const bytes = utf8Latin1(piece);
    const n = this.ranks.has(bytes) ? 1 : bytes.length > HEAP_THRESHOLD ? heapMergeCount(bytes, this.pairs, this.byteIds) : linearMerge(bytes, this.pairs, this.byteIds).length;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(piece, n);
    return n;
  }

  clearCache(): void {
    this.cache.clear();
    this.idCache.clear();
  }
}

/** UTF-8 bytes of a string, as a string of chars 0–255. Lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8Latin1(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
          continue;
        }
        c = 0xfffd;
      }
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    }
  }
  let r = '';
  for (let i = 0; i < out.length; i += 8192) r += String.fromCharCode.apply(null, out.slice(i, i + 8192));
  return r;
}

const NONE = Number.MAX_SAFE_INTEGER;

/**
 * Ranks of merged pairs keyed by the two parts' token ids, so repeated pairs skip slicing and hashing byte strings.
 * Rank = token id in all four vocabularies, so a merged part's id is the pair's rank. Byte pairs come from a dense
 * 256×256 table; longer pairs from an open-addressing hash filled on demand (a Map with non-small-integer keys is
 * several times slower here).
 */
class PairRanks {
  private static readonly BITS = 18;
  private readonly bytePairs = new Int32Array(65536);
  private readonly keysL = new Int32Array(1 << PairRanks.BITS).fill(-1);
  private readonly keysR = new Int32Array(1 << PairRanks.BITS);
  private readonly vals = new Float64Array(1 << PairRanks.BITS);
  private used = 0;

  constructor(private readonly ranks: Map<string, number>) {
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) this.bytePairs[(a << 8) | b] = ranks.get(String.fromCharCode(a, b)) ?? -1;
    }
  }

  /** Rank of the pair of single bytes at `i`, or NONE. */
  byte(bytes: string, i: number): number {
    const r = this.bytePairs[(bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)];
    return r < 0 ? NONE : r;
  }

  get(left: number, right: number, bytes: string, start: number, end: number): number {
    const mask = (1 << PairRanks.BITS) - 1;
    let h = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) >>> (32 - PairRanks.BITS);
    for (;;) {
      const k = this.keysL[h];
      if (k === -1) break;
      if (k === left && this.keysR[h] === right) return this.vals[h];
      h = (h + 1) & mask;
    }
    const r = this.ranks.get(bytes.slice(start, end)) ?? NONE;
    if (this.used > (mask >> 1)) {
      // Half full: start over rather than let probes grow long.
      this.keysL.fill(-1);
      this.used = 0;
      return r;
    }
    this.keysL[h] = left;
    this.keysR[h] = right;
    this.vals[h] = r;
    this.used++;
    return r;
  }
}

/**
 * tiktoken's algorithm: O(n²) but allocation-light, best for short pieces. Returns the token ids of the parts
 * (their count is the piece's token count).
 */
function linearMerge(bytes: string, pairs: PairRanks, byteIds: Int32Array): number[] {
  const n = bytes.length;
  const starts = new Array<number>(n + 1);
  const ids = new Array<number>(n);
  const pair = new Array<number>(n);
  for (let i = 0; i <= n; i++) starts[i] = i;
  for (let i = 0; i < n; i++) ids[i] = byteIds[bytes.charCodeAt(i)];
  for (let i = 0; i < n - 1; i++) pair[i] = pairs.byte(bytes, i);
  let parts = n;
  for (;;) {
    let min = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if (pair[i] < min) {
        min = pair[i];
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = min;
    starts.splice(at + 1, 1);
    pair.splice(at + 1, 1);
    ids.splice(at + 1, 1);
    parts--;
    if (at + 1 < parts) pair[at] = pairs.get(min, ids[at + 1], bytes, starts[at], starts[at + 2]);
    else pair[at] = NONE;
    if (at > 0) pair[at - 1] = pairs.get(ids[at - 1], min, bytes, starts[at - 1], starts[at + 1]);
  }
  return ids;
}

/**
 * The same merges with a binary heap over (rank, position) and a linked list of parts: O(n log n), so a long run
 * of Han characters with no punctuation (one piece for o200k) never goes quadratic.
 */
function heapMergeCount(bytes: string, pairs: PairRanks, byteIds: Int32Array, idsOut?: number[]): number {
  const n = bytes.length;
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const ids = new Int32Array(n);
  const pairRank = new Float64Array(n).fill(NONE);
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  for (let i = 0; i < n; i++) ids[i] = byteIds[bytes.charCodeAt(i)];
  const heap = new MinHeap(n);
  for (let i = 0; i < n - 1; i++) {
    const r = pairs.byte(bytes, i);
    if (r !== NONE) {
      pairRank[i] = r;
      heap.push(r * 4294967296 + i);
    }
  }
  let parts = n;
  while (heap.size > 0) {
    const key = heap.pop();
    const pos = key % 4294967296;
    const rank = (key - pos) / 4294967296;
    if (pairRank[pos] !== rank) continue; // stale: the pair changed since it was pushed
    // Merge the part at pos with its successor; rank is the merged token's id.
    const right = next[pos];
    const after = next[right];
    ids[pos] = rank;
    next[pos] = after;
    if (after <= n) prev[after] = pos;
    pairRank[right] = NONE;
    parts--;
    if (after < n) {
      const r = pairs.get(rank, ids[after], bytes, pos, next[after]);
      pairRank[pos] = r;
      if (r !== NONE) heap.push(r * 4294967296 + pos);
    } else pairRank[pos] = NONE;
    const before = prev[pos];
    if (before >= 0) {
      const r = pairs.get(ids[before], rank, bytes, before, after);
      pairRank[before] = r;
      if (r !== NONE) heap.push(r * 4294967296 + before);
    }
  }
  if (idsOut) for (let i = 0; i < n; i = next[i]) idsOut.push(ids[i]);
  return parts;
}

class MinHeap {
  private data: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity * 2));
  }
  push(v: number): void {
    if (this.size === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    const a = this.data;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.data;
    const top = a[0];
    const v = a[--this.size];
    let i = 0;
    const half = this.size >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      if (c + 1 < this.size && a[c + 1] < a[c]) c++;
      if (a[c] >= v) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = v;
    return top;
  }
}
