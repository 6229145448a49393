// Compact binary rank table: "TCR1", uint32 LE token count, then per rank a varint byte length and the bytes.
// Rank = position; a zero length marks an unused rank. Smaller than tiktoken's base64 text and parsed in one pass.

// At run time a table lives in typed arrays (the file itself, record offsets, hash slots): no per-token JS string, so
// loading takes a few milliseconds and a few MB instead of a Map of 200 K strings. The hash is built at load time
// rather than shipped: it costs less to build than it would add to the package.

import type { ExactTokenizerId } from '../prices/types';

/** A table file's bytes by tokenizer id, synchronously; throws when it cannot be read. */
export type TableLoader = (id: ExactTokenizerId) => Uint8Array;

/**
 * Tokenizers that count with another's table, checked at build time (src/build/tables.ts): DeepSeek V4 has V3's
 * vocabulary, merges and pre-tokenizer; GLM-4's ids are GLM-5's first 151,329, unchanged. One file each, not two.
 */
const SHARED_TABLES: Partial<Record<ExactTokenizerId, { file: ExactTokenizerId; ranks?: number }>> = {
  'deepseek-v4': { file: 'deepseek-v3' },
  'glm-4': { file: 'glm-5', ranks: 151_329 },
};

/** Which table file a tokenizer reads, and how many of its ranks (all when absent). */
export function tableOf(id: ExactTokenizerId): { file: ExactTokenizerId; ranks?: number } {
  return SHARED_TABLES[id] ?? { file: id };
}

const MAGIC = [0x54, 0x43, 0x52, 0x31]; // "TCR1"

export function encodeRankTable(tokens: readonly (Uint8Array | undefined)[]): Uint8Array {
  let size = 8;
  for (const t of tokens) size += varintLength(t ? t.length : 0) + (t ? t.length : 0);
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, tokens.length, true);
  let p = 8;
  for (const t of tokens) {
    let n = t ? t.length : 0;
    while (n >= 0x80) {
      out[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    out[p++] = n;
    if (t) {
      out.set(t, p);
      p += t.length;
    }
  }
  return out;
}

/** Decodes a table into a map from the token's bytes (as a latin1 string, one char per byte) to its rank. */
export function decodeRankTable(data: Uint8Array): Map<string, number> {
  const table = RankTable.decode(data);
  const ranks = new Map<string, number>();
  for (let rank = 0; rank < table.size; rank++) {
    const t = table.token(rank);
    if (t) ranks.set(latin1(t), rank);
  }
  return ranks;
}

/**
 * Token bytes → rank, over typed arrays: `data` is the table file itself (copied once), `records[r]` is where rank
 * r's length and bytes start in it, and `slots` is an open-addressing hash (linear probing, at most half full) keyed
 * by FNV-1a of the bytes. A slot holds rank + 1 in its low 20 bits (0 = empty) and 12 more bits of the hash above
 * them, so a probe that meets another token is almost always rejected without touching the token's bytes (cache
 * misses dominate). Lookups take a byte range of any buffer, so BPE can ask for a merged pair by its span in the
 * piece without building a string. When two ranks spell the same bytes, the later one wins, as it does in
 * decodeRankTable's Map.
 */
export class RankTable {
  /** One past the highest rank. */
  readonly size: number;
  /** Rank of each one-byte token by its byte, -1 where none (BPE's starting point). */
  readonly byteRanks: Int32Array;
  /** Rank of each two-byte token by (first << 8 | second), -1 where none (BPE's first merges, without hashing). */
  readonly pairRanks: Int32Array;
  private readonly data: Uint8Array;
  private readonly records: Uint32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  private constructor(data: Uint8Array, records: Uint32Array, slots: Int32Array, byteRanks: Int32Array, pairRanks: Int32Array) {
    this.data = data;
    this.records = records;
    this.slots = slots;
    this.mask = slots.length - 1;
    this.size = records.length;
    this.byteRanks = byteRanks;
    this.pairRanks = pairRanks;
  }

  /**
   * Reads a table file; throws a clear error on anything that is not a whole, well-formed table. One pass over a
   * single copy of the file: each token is hashed and inserted where it lies, so loading is a few milliseconds.
   */
  /** `ranks`: keep only the first ranks (a tokenizer whose vocabulary is a prefix of another's). */
  static decode(file: Uint8Array, ranks?: number): RankTable {
    if (file.length < 8 || MAGIC.some((b, i) => file[i] !== b)) throw new Error('not a Token Cost rank table');
    const stored = new DataView(file.buffer, file.byteOffset, file.byteLength).getUint32(4, true);
    if (ranks !== undefined && ranks > stored) throw new Error(`rank table has ${stored} ranks, ${ranks} wanted`);
    const count = ranks ?? stored;
    // Every rank takes at least one byte, so a larger count is a damaged header: refuse it before allocating.
    if (count > file.length - 8) throw new Error('truncated rank table');
    if (count > RANK_MASK - 1) throw new Error(`rank table too large (${count} tokens)`);
    primeDecoder();
    // Our own copy, so the caller's buffer may be reused and the table cannot change under us (a Buffer's slice()
    // would be a view).
    const data = new Uint8Array(file);
    const records = new Uint32Array(count);
    let cap = 1024;
    while (cap < count * 2) cap *= 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    const byteRanks = new Int32Array(256).fill(-1);
    const pairRanks = new Int32Array(65536).fill(-1);
    let p = 8;
    for (let rank = 0; rank < count; rank++) {
      records[rank] = p;
      let len = data[p++];
      if (len >= 0x80) {
        len &= 0x7f;
        for (let shift = 7; ; shift += 7) {
          if (shift > 28) throw new Error('corrupt rank table (bad token length)');
          if (p >= data.length) throw new Error('truncated rank table');
          const b = data[p++];
          len += (b & 0x7f) * 2 ** shift;
          if (b < 0x80) break;
        }
      }
      // p past the end reads undefined above: caught here as well.
      if (!(p <= data.length && len <= data.length - p)) throw new Error('truncated rank table');
      const s = p;
      let h = FNV_OFFSET;
      for (const end = p + len; p < end; p++) h = Math.imul(h ^ data[p], FNV_PRIME);
      if (len <= 2) {
        if (len === 0) continue;
        if (len === 1) byteRanks[data[s]] = rank;
        else pairRanks[(data[s] << 8) | data[s + 1]] = rank;
      }
      h = fold(h);
      const tag = h & TAG_MASK;
      let i = h & mask;
      for (;;) {
        const v = slots[i];
        if (v === 0 || ((v & TAG_MASK) === tag && sameSpan(data, records, (v & RANK_MASK) - 1, data, s, p))) break;
        i = (i + 1) & mask;
      }
      slots[i] = tag | (rank + 1);
    }
    // A prefix read (`ranks`) stops before the end by design.
    if (ranks === undefined && p !== data.length) throw new Error('corrupt rank table (trailing bytes)');
    return new RankTable(data, records, slots, byteRanks, pairRanks);
  }

  /** From a token → rank map (latin1 strings, as decodeRankTable returns): for vocabularies read elsewhere. */
  static fromMap(ranks: ReadonlyMap<string, number>): RankTable {
    const tokens: (Uint8Array | undefined)[] = [];
    for (const [token, rank] of ranks) {
      if (!Number.isSafeInteger(rank) || rank < 0 || rank > 0x7ffffffe) throw new Error(`invalid rank ${rank}`);
      const t = new Uint8Array(token.length);
      for (let i = 0; i < token.length; i++) {
        const c = token.charCodeAt(i);
        if (c > 0xff) throw new Error('rank table keys must be latin1 byte strings');
        t[i] = c;
      }
      tokens[rank] = t;
    }
    for (let i = 0; i < tokens.length; i++) if (!tokens[i]) tokens[i] = undefined;
    return RankTable.decode(encodeRankTable(tokens));
  }

  /** Rank of the token spelled by buf[start..end), or -1. */
  rank(buf: Uint8Array, start: number, end: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const h = hashBytes(buf, start, end);
    const tag = h & TAG_MASK;
    let i = h & mask;
    for (;;) {
      const v = slots[i];
      if (v === 0) return -1;
      if ((v & TAG_MASK) === tag && sameSpan(this.data, this.records, (v & RANK_MASK) - 1, buf, start, end)) return (v & RANK_MASK) - 1;
      i = (i + 1) & mask;
    }
  }

  /** Length in bytes of a rank's token (0 for an unused rank). */
  tokenLength(rank: number): number {
    return this.token(rank)?.length ?? 0;
  }

  /** The bytes of a rank (a view, not a copy), or undefined for an unused rank. */
  token(rank: number): Uint8Array | undefined {
    if (!(rank >= 0 && rank < this.size)) return undefined;
    const data = this.data;
    let p = this.records[rank];
    let b = data[p++];
    let len = b & 0x7f;
    for (let shift = 7; b >= 0x80; shift += 7) {
      b = data[p++];
      len += (b & 0x7f) * 2 ** shift;
    }
    return len > 0 ? data.subarray(p, p + len) : undefined;
  }

  /** Bytes held (the file, records and hash slots), for memory accounting. */
  get byteLength(): number {
    return this.data.byteLength + this.records.byteLength + this.slots.byteLength + this.byteRanks.byteLength + this.pairRanks.byteLength;
  }
}

/** Whether rank's token (its record in data: length varint, then bytes) equals buf[start..end). */
function sameSpan(data: Uint8Array, records: Uint32Array, rank: number, buf: Uint8Array, start: number, end: number): boolean {
  let p = records[rank];
  let b = data[p++];
  let len = b & 0x7f;
  for (let shift = 7; b >= 0x80; shift += 7) {
    b = data[p++];
    len += (b & 0x7f) * 2 ** shift;
  }
  if (len !== end - start) return false;
  for (let j = start; j < end; j++, p++) if (data[p] !== buf[j]) return false;
  return true;
}

/** Slot layout: rank + 1 below, 12 hash bits above (the index uses the low bits; they overlap only past 512 K tokens). */
const RANK_MASK = 0xfffff;
const TAG_MASK = ~RANK_MASK; // int32 arithmetic throughout: a uint32 above 2^31 would deoptimise the loops
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Mixes the high bits of a hash into the low ones (the slot index). */
function fold(h: number): number {
  return h ^ (h >>> 15);
}

let primed = false;

/**
 * Decodes a tiny table that takes every branch of the load loop (a long length, a duplicate, an unused rank)
 * once, so the optimising compiler has type feedback for all of them when the real table's loop is compiled:
 * otherwise the first long token or hash-tag match deoptimises it mid-load, and each recompile costs more than
 * the whole load.
 */
function primeDecoder(): void {
  if (primed) return;
  primed = true;
  const tokens: (Uint8Array | undefined)[] = [];
  for (let b = 0; b < 256; b++) tokens.push(new Uint8Array([b]));
  tokens.push(new Uint8Array([1, 2]), undefined, new Uint8Array(200).fill(3), new Uint8Array([1, 2]), new Uint8Array([4, 5, 6]));
  RankTable.decode(encodeRankTable(tokens));
}

/** FNV-1a over bytes, with a final fold so the low bits (the slot index) see the high ones. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  return fold(h);
}

function latin1(token: Uint8Array): string {
  // Tokens are short; fromCharCode over a subarray is the fastest portable way.
  return String.fromCharCode.apply(null, token as unknown as number[]);
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n >>>= 7;
    len++;
  }
  return len;
}
