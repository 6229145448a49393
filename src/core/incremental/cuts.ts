// Where a text can be cut into chunks that tokenize independently: the pieces of every exact pre-tokenizer, and
// the Han runs of the estimates, never cross a cut, so counts add up over chunks exactly.
//
// A cut is a position p with text[p-1] === '\n' and text[p] neither \p{White_Space}, nor U+001C–U+001F (Python's
// str.isspace() counts them as space: Kimi K2's run rule below), nor '/'. Why it is safe, for every pre-tokenizer in
// src/core/tokenizers/pretokenize.ts (cl100k_base, o200k_base, qwen, deepseek-v3/v4, kimi-k2, glm-4/5, minimax,
// and hunyuan's for user-supplied files):
// - No alternative consumes '\n' and then a non-space: the letter alternatives' optional prefix class excludes
//   [\r\n] and letters/digits/marks exclude '\n'; digit groups, DeepSeek's CJK runs and Kimi's Han runs hold no
//   '\n'; punctuation alternatives can hold '\n' only in their trailing [\r\n]* — o200k's (and MiniMax's, the same
//   pattern) is [\r\n/]*, hence '/' never starts a chunk; the whitespace alternatives hold only whitespace. So
//   every piece ends at or before p. (GLM's pattern is cl100k's; Kimi's letter alternatives are o200k's with Han
//   taken out of the classes, and its punctuation is cl100k's; Hunyuan's is Qwen's.)
// - Nor does anything beyond p change how text before p splits. A match path reaching p has just consumed the
//   '\n'; the only element that then looks at text[p] and could behave differently at the end of a chunk is the
//   lookahead in `\s+(?!\S)`, and that alternative is only tried after `\s*[\r\n]+`, which already matches any
//   whitespace run ending in '\n'. A match always starts at or before the '\n' (a whitespace alternative matches
//   it), so "gaps" (text no alternative matches, kept as pieces by Qwen, DeepSeek and GLM) cannot span p either.
// - No alternative has a lookbehind or anchor, so splitting from p onwards sees the same text either way.
// - DeepSeek's stage 3 runs on the text between stage-1/2 matches; that text holds the same '\n'+non-space pair,
//   so the argument above applies to it.
// - Qwen, MiniMax and Hunyuan NFC-normalise first: '\n' is a starter that composes with nothing and blocks
//   reordering, and no non-space other than '/' normalises to a string starting with whitespace or '/' (checked
//   for every code point), so NFC(a + b) = NFC(a) + NFC(b) and the cut survives normalisation.
// - Kimi K2 also cuts runs of more than 25,000 space (str.isspace) or non-space characters. A run state restarts
//   at p in the whole text (text[p-1] is space, text[p] is not, hence the U+001C–U+001F exclusion) just as it
//   starts at p in a chunk, and run cuts before p depend only on text before p; the parts between run cuts are
//   split by the regex, for which p is a cut by the arguments above.
// - Exception: Kimi K2's encoder also cuts its input every 400,000 code points, counted from the start of the
//   whole text. That is a position, not content: a document longer than that, counted in chunks, can differ from
//   one whole count where a window edge falls inside a piece (at most a token or two per 400,000 characters, and
//   in a request the edges move with the chat template's prefix anyway). Below 400,000 code points (a chunk or a
//   whole text) it never applies.
// - Han runs (estimates.splitHan) hold only ideographs, so never cross a '\n'.
// A lone '\r' is never a cut (cl100k's `[^\r\n\p{L}\p{N}]?` shows \r is special); "\r\n" cuts after the '\n'.

/** \p{White_Space}, by code unit (all of it is in the BMP). */
export function isWhiteSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** Whether a chunk may start with code unit `c` (after a '\n'). */
function mayStart(c: number): boolean {
  return c !== 0x2f && (c < 0x1c || c > 0x1f) && !isWhiteSpace(c);
}

/** Whether a chunk may start at `p` (0 < p < text.length). */
export function isCut(text: string, p: number): boolean {
  return text.charCodeAt(p - 1) === 0x0a && mayStart(text.charCodeAt(p));
}

/** Splits text at every cut; no empty chunks (an empty text gives none). */
export function splitAtCuts(text: string, out: string[] = []): string[] {
  let start = 0;
  let nl = text.indexOf('\n');
  while (nl >= 0 && nl + 1 < text.length) {
    const p = nl + 1;
    if (mayStart(text.charCodeAt(p))) {
      out.push(text.slice(start, p));
      start = p;
    }
    nl = text.indexOf('\n', p);
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
