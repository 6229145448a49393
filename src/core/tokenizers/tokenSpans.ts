// Where each token of a text lies, for an exact tokenizer: its id, its bytes, its byte range in the UTF-8 that was
// tokenized, and the UTF-16 span of the characters it touches in the text as given. Byte-level BPE can cut a
// character between tokens (a Han character is 3 UTF-8 bytes, often 2 + 1): such a token is marked partial at that
// end and its span still covers the whole character, so neighbours then share it.
import type { BpeCounter } from './bpe';
import { utf8Latin1 } from './bpe';

export interface TokenSpan {
  id: number;
  /** The token's bytes, one char per byte (0–255). */
  bytes: string;
  /** Byte range in the UTF-8 of the text as tokenized (after NFC, for tokenizers that normalise). */
  byteStart: number;
  byteEnd: number;
  /** UTF-16 range, in the text given, of the characters the token touches. */
  start: number;
  end: number;
  /** The token begins after the first byte of its first character. */
  partialStart: boolean;
  /** The token ends before the last byte of its last character. */
  partialEnd: boolean;
  /** NFC changed these characters before tokenizing, so the span covers the original characters as a whole. */
  normalized: boolean;
}

/**
 * Every token of `text`, in order. `offset` is added to the UTF-16 positions (the text's place in a document); byte
 * positions count from the start of `text`. The ids are the counter's own (`encode` gives the same sequence).
 */
export function tokenSpans(counter: BpeCounter, text: string, offset = 0): TokenSpan[] {
  const out: TokenSpan[] = [];
  const segments = counter.normalizesNfc ? nfcSegments(text) : [{ orig: 0, origEnd: text.length, norm: 0, normEnd: text.length, changed: false }];
  const tokenized = counter.normalizesNfc ? segments.map((s) => text.slice(s.orig, s.origEnd).normalize('NFC')).join('') : text;
  const nfcChanged = tokenized !== text;
  let seg = 0;
  // Normalised UTF-16 offset → offset in `text`; a position inside a changed segment moves to its start or end.
  const map = (x: number, atEnd: boolean): { at: number; changed: boolean } => {
    while (seg + 1 < segments.length && segments[seg].normEnd <= x && !(atEnd && segments[seg].normEnd === x)) seg++;
    const s = segments[seg];
    if (!s.changed) return { at: s.orig + (x - s.norm), changed: false };
    return { at: atEnd ? s.origEnd : s.orig, changed: true };
  };
  let pos = 0; // UTF-16 position in `tokenized`
  let byteBase = 0;
  counter.encodePieces(tokenized, (piece, ids) => {
    // Text no alternative matched is dropped by tiktoken-style splitters: skip it, bytes included.
    if (!tokenized.startsWith(piece, pos)) {
      const at = tokenized.indexOf(piece, pos);
      byteBase += utf8Latin1(tokenized.slice(pos, at)).length;
      pos = at;
    }
    if (isAscii(piece) && !nfcChanged) {
      // One byte per character: positions are byte offsets (most pieces of code and English).
      let tb = 0;
      for (const id of ids) {
        const bytes = tokenBytesOf(counter, id);
        const end = tb + bytes.length;
        out.push({ id, bytes, byteStart: byteBase + tb, byteEnd: byteBase + end, start: offset + pos + tb, end: offset + pos + end, partialStart: false, partialEnd: false, normalized: false });
        tb = end;
      }
      if (tb !== piece.length) throw new Error(`token bytes (${tb}) do not add up to the piece's ${piece.length}`);
      pos += piece.length;
      byteBase += tb;
      return;
    }
    // Per character of the piece: its first byte and its UTF-16 start, relative to the piece.
    const charByte: number[] = [];
    const charUnit: number[] = [];
    let b = 0;
    for (let i = 0; i < piece.length; ) {
      const c = piece.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < piece.length && (piece.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      charByte.push(b);
      charUnit.push(i);
      b += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3; // a lone surrogate is encoded as U+FFFD (3 bytes)
      i += pair ? 2 : 1;
    }
    charByte.push(b);
    charUnit.push(piece.length);
    let tb = 0;
    let ci = 0; // index of the character holding byte tb
    for (const id of ids) {
      const bytes = tokenBytesOf(counter, id);
      const end = tb + bytes.length;
      while (charByte[ci + 1] <= tb) ci++;
      let cj = ci;
      while (charByte[cj + 1] < end) cj++;
      const s = map(pos + charUnit[ci], false);
      const e = map(pos + charUnit[cj + 1], true);
      out.push({
        id,
        bytes,
        byteStart: byteBase + tb,
        byteEnd: byteBase + end,
        start: offset + s.at,
        end: offset + e.at,
        partialStart: tb !== charByte[ci],
        partialEnd: end !== charByte[cj + 1],
        // Also when a changed character lies inside the token, between exact ends.
        normalized: s.changed || e.changed || (nfcChanged && tokenized.slice(pos + charUnit[ci], pos + charUnit[cj + 1]) !== text.slice(s.at, e.at)),
      });
      tb = end;
    }
    if (tb !== b) throw new Error(`token bytes (${tb}) do not add up to the piece's ${b}`);
    pos += piece.length;
    byteBase += b;
  });
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function tokenBytesOf(counter: BpeCounter, id: number): string {
  const bytes = counter.tokenBytes(id);
  if (bytes === undefined) throw new Error(`token id ${id} is not in the vocabulary`);
  return bytes;
}

/** A token's bytes as hex pairs: "e4 bd a0". */
export function hexBytes(bytes: string): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? ' ' : '') + bytes.charCodeAt(i).toString(16).padStart(2, '0');
  return s;
}

interface Segment {
  orig: number;
  origEnd: number;
  norm: number;
  normEnd: number;
  changed: boolean;
}

/**
 * The text cut where NFC of the parts, joined, equals NFC of the whole: before each code point that NFC can
 * neither reorder nor compose with what precedes it (not a mark, not a Hangul vowel or final jamo). When that does
 * not hold (a rare composing starter), one segment covers the text and only its ends are exact.
 */
function nfcSegments(text: string): Segment[] {
  const whole = text.normalize('NFC');
  if (whole === text) return [{ orig: 0, origEnd: text.length, norm: 0, normEnd: text.length, changed: false }];
  const out: Segment[] = [];
  let norm = 0;
  let start = 0;
  const close = (end: number) => {
    const part = text.slice(start, end);
    const n = part.normalize('NFC');
    out.push({ orig: start, origEnd: end, norm, normEnd: norm + n.length, changed: n !== part });
    norm += n.length;
    start = end;
  };
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i) as number;
    if (i > start && startsSegment(c)) close(i);
    i += c > 0xffff ? 2 : 1;
  }
  if (start < text.length) close(text.length);
  if (norm !== whole.length || out.map((s) => text.slice(s.orig, s.origEnd).normalize('NFC')).join('') !== whole) {
    return [{ orig: 0, origEnd: text.length, norm: 0, normEnd: whole.length, changed: true }];
  }
  return out;
}

const MARK = /\p{M}/u;

function startsSegment(c: number): boolean {
  if (c < 0x300) return true;
  if ((c >= 0x1160 && c <= 0x11ff) || (c >= 0xd7b0 && c <= 0xd7ff)) return false;
  return !MARK.test(String.fromCodePoint(c));
}
