// Byte-level BPE over a rank table, counting tokens without materialising them. Same merge rule as tiktoken:
// repeatedly merge the adjacent pair whose concatenation has the lowest rank, leftmost first. Rank = token id in
// every vocabulary we ship, and a merged part is always a contiguous span of the piece's UTF-8, so each candidate
// pair is looked up by its byte span in the table (no strings), behind a small fixed-size cache keyed by token ids.
import { heapPop, heapPush } from './pairHeap';
import type { PreTokenizer } from './pretokenize';
import { RankTable } from './rankTable';

/** Pieces longer than this (in bytes) use the heap merge; short ones a linear scan, which is faster for them. */
const HEAP_THRESHOLD = 32;
/** Piece cache bounds: entries, and the length of a piece worth caching (long pieces rarely repeat). */
const CACHE_LIMIT = 32_768;
const CACHE_MAX_PIECE = 48;
/** Piece → token ids cache bound, for encodePieces (Show Tokens). */
const ID_CACHE_LIMIT = 50_000;
/** Longest piece (bytes) whose heap-merge arrays are kept for the next one. */
const SCRATCH_LIMIT = 4096;
/** Larger than any rank; a pair that is not a token. */
const NONE = 0x7fffffff;

export class BpeCounter {
  /** Piece → token count. Pieces repeat a lot in real text (words, punctuation, indentation). */
  private readonly cache = new Map<string, number>();
  /** Piece → token ids, for encodePieces (showing the tokens of a screenful, which repeats words as counting does). */
  private readonly idCache = new Map<string, readonly number[]>();
  private readonly table: RankTable;
  /** Token id of each single byte (the table's). */
  private readonly byteIds: Int32Array;
  /** Rank of each two-byte token, by (first << 8 | second), or -1 (the table's): the first round of every merge. */
  private readonly bytePairs: Int32Array;
  /** The current piece's UTF-8 (grown on demand; a long piece gets its own buffer, not kept). */
  private buf = new Uint8Array(256);
  // Scratch for the linear merge: part starts and the rank of each part with its successor.
  private readonly starts = new Int32Array(HEAP_THRESHOLD + 2);
  private readonly pairRank = new Int32Array(HEAP_THRESHOLD + 2);
  private readonly ids = new Int32Array(HEAP_THRESHOLD + 2);
  private readonly pairs: PairCache;
  private readonly heap: HeapMerger;

  /** `ranks`: a decoded table (RankTable.decode), or a token → rank map of latin1 byte strings. */
  constructor(
    ranks: RankTable | ReadonlyMap<string, number>,
    private readonly pre: PreTokenizer,
  ) {
    const table = ranks instanceof RankTable ? ranks : RankTable.fromMap(ranks);
    this.table = table;
    this.byteIds = table.byteRanks;
    this.bytePairs = table.pairRanks;
    this.pairs = new PairCache(table);
    this.heap = new HeapMerger(this.pairs, this.bytePairs, this.byteIds);
    const missing = this.byteIds.indexOf(-1);
    if (missing >= 0) throw new Error(`rank table lacks byte ${missing}`);
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
      const buf = this.utf8(piece);
      const n = this.bytesLength;
      const starts: number[] = [];
      this.merge(buf, n, starts);
      starts.push(n);
      for (let i = 0; i + 1 < starts.length; i++) ids.push(this.table.rank(buf, starts[i], starts[i + 1]));
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
      const buf = this.utf8(piece);
      const n = this.bytesLength;
      const starts: number[] = [];
      this.merge(buf, n, starts);
      starts.push(n);
      const ids: number[] = [];
      for (let i = 0; i + 1 < starts.length; i++) ids.push(this.table.rank(buf, starts[i], starts[i + 1]));
      if (cache.size >= ID_CACHE_LIMIT) cache.clear();
      cache.set(piece, ids);
      sink(piece, ids);
    });
  }

  /** A token's bytes (one char per byte), or undefined for an unused id. */
  tokenBytes(id: number): string | undefined {
    const bytes = this.table.token(id);
    return bytes && String.fromCharCode(...bytes);
  }

  countPiece(piece: string): number {
    const cache = this.cache;
    const hit = cache.get(piece);
    if (hit !== undefined) return hit;
    const n = this.merge(this.utf8(piece), this.bytesLength);
    if (piece.length <= CACHE_MAX_PIECE) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(piece, n);
    }
    return n;
  }

  clearCache(): void {
    this.cache.clear();
    this.idCache.clear();
  }

  private bytesLength = 0;

  /** The piece's UTF-8 in a reused buffer (length in bytesLength). */
  private utf8(s: string): Uint8Array {
    let out = this.buf;
    const need = s.length * 3;
    if (need > out.length) {
      out = new Uint8Array(need);
      if (need <= 65536) this.buf = out;
    }
    this.bytesLength = utf8Into(s, out);
    return out;
  }

  /** Token count of buf[0..n); with `out`, also the start of each token in it. */
  private merge(buf: Uint8Array, n: number, out?: number[]): number {
    if (n <= 1) {
      if (n === 1) out?.push(0);
      return n;
    }
    if (this.table.rank(buf, 0, n) >= 0) {
      out?.push(0);
      return 1;
    }
    return n > HEAP_THRESHOLD ? this.heap.merge(buf, n, out) : this.linearMerge(buf, n, out);
  }

  /** tiktoken's algorithm: O(n²) but allocation-free, best for short pieces. */
  private linearMerge(buf: Uint8Array, n: number, out?: number[]): number {
    const pairs = this.pairs;
    const starts = this.starts;
    const ids = this.ids;
    const pr = this.pairRank;
    const bytePairs = this.bytePairs;
    const byteIds = this.byteIds;
    for (let i = 0; i <= n; i++) starts[i] = i;
    for (let i = 0; i < n; i++) ids[i] = byteIds[buf[i]];
    for (let i = 0; i < n - 1; i++) {
      const r = bytePairs[(buf[i] << 8) | buf[i + 1]];
      pr[i] = r < 0 ? NONE : r;
    }
    pr[n - 1] = NONE;
    pr[n] = NONE;
    let parts = n;
    for (;;) {
      let min = NONE;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if (pr[i] < min) {
          min = pr[i];
          at = i;
        }
      }
      if (at < 0) break;
      // Merge part at+1 into part at (the merged token's id is the pair's rank): drop its start, id and pair.
      ids[at] = min;
      for (let i = at + 1; i < parts; i++) {
        starts[i] = starts[i + 1];
        ids[i] = ids[i + 1];
        pr[i] = pr[i + 1];
      }
      parts--;
      pr[at] = at + 1 < parts ? pairs.get(min, ids[at + 1], buf, starts[at], starts[at + 2]) : NONE;
      if (at > 0) pr[at - 1] = pairs.get(ids[at - 1], min, buf, starts[at - 1], starts[at + 1]);
    }
    if (out) for (let i = 0; i < parts; i++) out.push(starts[i]);
    return parts;
  }
}

/**
 * Ranks of merged pairs by the two parts' token ids, in a small direct-mapped cache (fixed size, so bounded, and
 * small enough to stay in the CPU cache, unlike the table): the same pairs recur across pieces of one language.
 * A miss asks the table for the pair's byte span.
 */
class PairCache {
  private static readonly BITS = 14;
  /** Per entry: left id, right id, rank (NONE for "not a token"), padding. */
  private readonly entries = new Int32Array(4 << PairCache.BITS).fill(-1);
  constructor(private readonly table: RankTable) {}

  get(left: number, right: number, buf: Uint8Array, start: number, end: number): number {
    const i = ((Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca6b)) >>> (32 - PairCache.BITS)) << 2;
    const e = this.entries;
    if (e[i] === left && e[i + 1] === right) return e[i + 2];
    const r = this.table.rank(buf, start, end);
    const v = r < 0 ? NONE : r;
    e[i] = left;
    e[i + 1] = right;
    e[i + 2] = v;
    return v;
  }
}

/** Builds a counter from a table file's bytes (see rankTable.ts) and the vocabulary's pre-tokenizer. */
export function bpeCounterFromTable(data: Uint8Array, pre: PreTokenizer): BpeCounter {
  return new BpeCounter(RankTable.decode(data), pre);
}

/** UTF-8 bytes of a string, as a string of chars 0–255 (tests compare this encoder with TextEncoder). */
export function utf8Latin1(s: string): string {
  const bytes = new Uint8Array(s.length * 3);
  const n = utf8Into(s, bytes);
  let r = '';
  for (let i = 0; i < n; i += 8192) r += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(n, i + 8192)) as unknown as number[]);
  return r;
}

/**
 * Writes the UTF-8 of `s` into `out` (at least 3 bytes per UTF-16 unit) and returns its length. Lone surrogates
 * become U+FFFD, as TextEncoder does. Hand-written: for the short pieces BPE sees, cheaper than encodeInto's call.
 */
export function utf8Into(s: string, out: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out[p++] = c;
    else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[p++] = 0xf0 | (c >> 18);
          out[p++] = 0x80 | ((c >> 12) & 0x3f);
          out[p++] = 0x80 | ((c >> 6) & 0x3f);
          out[p++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

/**
 * The same merges with a binary heap over (rank, position) and a linked list of parts: O(n log n), so a long run
 * of Han characters with no punctuation (one piece for o200k) never goes quadratic. Its arrays are reused between
 * pieces up to SCRATCH_LIMIT bytes; a longer piece gets its own, dropped after it.
 */
class HeapMerger {
  private cap = 0;
  private ids = new Int32Array(0);
  private next = new Int32Array(0);
  private prev = new Int32Array(0);
  private pairRank = new Int32Array(0);
  /** Keys rank * 2^32 + position; at most n - 1 initial pairs plus two per merge. */
  private heap = new Float64Array(0);

  constructor(
    private readonly pairs: PairCache,
    private readonly bytePairs: Int32Array,
    private readonly byteIds: Int32Array,
  ) {}

  merge(buf: Uint8Array, n: number, out?: number[]): number {
    let { ids, next, prev, pairRank, heap } = this;
    if (n > this.cap) {
      ids = new Int32Array(n);
      next = new Int32Array(n + 1);
      prev = new Int32Array(n + 1);
      pairRank = new Int32Array(n);
      heap = new Float64Array(3 * n);
      if (n <= SCRATCH_LIMIT) Object.assign(this, { cap: n, ids, next, prev, pairRank, heap });
    }
    const pairs = this.pairs;
    const bytePairs = this.bytePairs;
    const byteIds = this.byteIds;
    for (let i = 0; i < n; i++) {
      ids[i] = byteIds[buf[i]];
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    next[n] = n + 1;
    prev[n] = n - 1;
    let size = 0;
    for (let i = 0; i < n - 1; i++) {
      const r = bytePairs[(buf[i] << 8) | buf[i + 1]];
      pairRank[i] = r < 0 ? NONE : r;
      if (r >= 0) size = heapPush(heap, size, r * 4294967296 + i);
    }
    pairRank[n - 1] = NONE;
    let parts = n;
    while (size > 0) {
      const key = heap[0];
      size = heapPop(heap, size);
      // Division by a power of two and a floor, not %, which is a slow C call on doubles.
      const rank = Math.floor(key / 4294967296);
      const pos = key - rank * 4294967296;
      if (pairRank[pos] !== rank) continue; // stale: the pair changed since it was pushed
      // Merge the part at pos with its successor; the merged token's id is the pair's rank.
      const right = next[pos];
      const after = next[right];
      ids[pos] = rank;
      next[pos] = after;
      if (after <= n) prev[after] = pos;
      pairRank[right] = NONE;
      parts--;
      if (after < n) {
        const r = pairs.get(rank, ids[after], buf, pos, next[after]);
        pairRank[pos] = r;
        if (r !== NONE) size = heapPush(heap, size, r * 4294967296 + pos);
      } else pairRank[pos] = NONE;
      const before = prev[pos];
      if (before >= 0) {
        const r = pairs.get(ids[before], rank, buf, before, after);
        pairRank[before] = r;
        if (r !== NONE) size = heapPush(heap, size, r * 4294967296 + before);
      }
    }
    if (out) for (let i = 0; i < n; i = next[i]) out.push(i);
    return parts;
  }
}
