// Compact binary rank table: "TCR1", uint32 LE token count, then per rank a varint byte length and the bytes.
// Rank = position; a zero length marks an unused rank. Smaller than tiktoken's base64 text and parsed in one pass.

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
  if (data.length < 8 || MAGIC.some((b, i) => data[i] !== b)) throw new Error('not a Token Cost rank table');
  const count = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(4, true);
  const ranks = new Map<string, number>();
  let p = 8;
  for (let rank = 0; rank < count; rank++) {
    let len = 0;
    let shift = 0;
    for (;;) {
      if (p >= data.length) throw new Error('truncated rank table');
      const b = data[p++];
      len |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (len === 0) continue;
    if (p + len > data.length) throw new Error('truncated rank table');
    ranks.set(latin1(data, p, p + len), rank);
    p += len;
  }
  return ranks;
}

function latin1(data: Uint8Array, start: number, end: number): string {
  // Tokens are short; fromCharCode over a subarray is the fastest portable way.
  return String.fromCharCode.apply(null, data.subarray(start, end) as unknown as number[]);
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n >>>= 7;
    len++;
  }
  return len;
}
