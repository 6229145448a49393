// Pre-tokenizers: the regular expressions that cut text into pieces before BPE, rewritten for JavaScript so that
// they split exactly as the reference engines do (OpenAI's tiktoken in Rust, Hugging Face tokenizers with
// Oniguruma). Differences handled here:
// - `\s` becomes \p{White_Space}: JavaScript's `\s` includes U+FEFF and excludes U+0085, the reverse of Rust/Onig.
// - Inline `(?i:…)` groups (not in Node 20) are expanded by hand; Unicode simple case folding adds ſ (U+017F) to s.
// - DeepSeek V3's three sequential Split stages run as three stages, so lookaheads see piece ends as they do there.
// - Kimi K2's class intersections `[…&&[^\p{Han}]]` become `v`-flag differences `[[…]--\p{Script=Han}]`; Rust's
//   `\p{Han}` is the Script property (not Script_Extensions), as JS's `\p{Script=Han}` is.
// Special-token strings (`<|im_end|>`, `[gMASK]`, `<|endoftext|>`…) are not recognised by any of these: they split
// and count as the plain text they are, as the vendors' encoders do with special-token parsing off.
import type { ExactTokenizerId } from '../prices/types';

const WS = '\\p{White_Space}';
const NWS = '\\P{White_Space}';
const CONTRACTIONS = "'[sS\\u017F]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]";

const CL100K = [
  CONTRACTIONS,
  '[^\\r\\n\\p{L}\\p{N}]?\\p{L}+',
  '\\p{N}{1,3}',
  ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NWS})`,
  `${WS}+`,
].join('|');

const O200K_UPPER = '[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]';
const O200K_LOWER = '[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]';
const O200K = [
  `[^\\r\\n\\p{L}\\p{N}]?${O200K_UPPER}*${O200K_LOWER}+(?:${CONTRACTIONS})?`,
  `[^\\r\\n\\p{L}\\p{N}]?${O200K_UPPER}+${O200K_LOWER}*(?:${CONTRACTIONS})?`,
  '\\p{N}{1,3}',
  ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n/]*`,
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NWS})`,
  `${WS}+`,
].join('|');

// Qwen 1.5–3: cl100k's shape with single digits. Hunyuan (NFC first) uses the same pattern (hy.tiktoken's code).
const QWEN = CL100K.replace('\\p{N}{1,3}', '\\p{N}');

// Kimi K2 (tokenization_kimi.py): Han runs first, then o200k's letter alternatives with Han taken out of their
// classes, cl100k's punctuation (no '/' in the trailing class). Needs the `v` flag for `--`.
const HAN = '\\p{Script=Han}';
const KIMI_UPPER = `[[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]--${HAN}]`;
const KIMI_LOWER = `[[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]--${HAN}]`;
const KIMI = [
  `${HAN}+`,
  `[^\\r\\n\\p{L}\\p{N}]?${KIMI_UPPER}*${KIMI_LOWER}+(?:${CONTRACTIONS})?`,
  `[^\\r\\n\\p{L}\\p{N}]?${KIMI_UPPER}+${KIMI_LOWER}*(?:${CONTRACTIONS})?`,
  '\\p{N}{1,3}',
  ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NWS})`,
  `${WS}+`,
].join('|');

/** tokenization_kimi.py (after Llama 3): tiktoken gets at most this many characters (code points) at a time… */
export const KIMI_MAX_ENCODE_CHARS = 400_000;
/** …and runs of whitespace or of non-whitespace longer than this are cut into pieces of this length. */
export const KIMI_MAX_RUN_CHARS = 25_000;

// DeepSeek V3 stages 1 and 2 (digit groups, then runs of CJK ideographs and kana) never overlap, so one pass finds
// both; stage 3 runs on the text between them.
const DEEPSEEK_STAGE12 = '\\p{N}{1,3}|[\\u4E00-\\u9FA5\\u3040-\\u309F\\u30A0-\\u30FF]+';
const DEEPSEEK_STAGE3 = [
  "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+",
  '[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+',
  ' ?[\\p{P}\\p{S}]+[\\r\\n]*',
  `${WS}*[\\r\\n]+`,
  `${WS}+(?!${NWS})`,
  `${WS}+`,
].join('|');

export type PieceSink = (piece: string) => void;

/** Cuts text into the pieces BPE runs on. Implementations are stateless apart from their compiled regexes. */
export interface PreTokenizer {
  /** Whether the text is NFC-normalised before splitting (Qwen). */
  readonly nfc: boolean;
  split(text: string, sink: PieceSink): void;
}

/**
 * One regex over the text. `keepGaps`: text no alternative matches becomes a piece of its own (Hugging Face Split
 * "Isolated"); tiktoken drops it, but its patterns match every character, so the flag only matters for DeepSeek.
 */
class RegexPreTokenizer implements PreTokenizer {
  private readonly re: RegExp;
  constructor(source: string, readonly nfc: boolean, private readonly keepGaps: boolean, flags = 'gu') {
    this.re = new RegExp(source, flags);
  }
  split(text: string, sink: PieceSink): void {
    const re = this.re;
    re.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (this.keepGaps && m.index > last) sink(text.slice(last, m.index));
      sink(m[0]);
      last = re.lastIndex;
    }
    if (this.keepGaps && last < text.length) sink(text.slice(last));
  }
}

class DeepSeekPreTokenizer implements PreTokenizer {
  readonly nfc = false;
  private readonly stage12 = new RegExp(DEEPSEEK_STAGE12, 'gu');
  private readonly stage3 = new RegexPreTokenizer(DEEPSEEK_STAGE3, false, true);
  split(text: string, sink: PieceSink): void {
    const re = this.stage12;
    re.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) this.stage3.split(text.slice(last, m.index), sink);
      sink(m[0]);
      last = re.lastIndex;
    }
    if (last < text.length) this.stage3.split(text.slice(last), sink);
  }
}

/** Python's str.isspace(): White_Space plus U+001C–U+001F (bidi class B/S), by code point. */
export function isPythonSpace(c: number): boolean {
  return (c >= 0x1c && c <= 0x1f) || isWhiteSpaceCodePoint(c);
}

function isWhiteSpaceCodePoint(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * Kimi K2: before the regex, the Python encoder cuts the text into windows of 400,000 code points and each window
 * where a run of whitespace (str.isspace) or of non-whitespace exceeds 25,000 code points; each part is encoded on
 * its own. Lengths count code points, as Python's str does; a lone surrogate counts as one.
 */
class KimiPreTokenizer implements PreTokenizer {
  readonly nfc = false;
  private readonly regex = new RegexPreTokenizer(KIMI, false, false, 'gv');
  split(text: string, sink: PieceSink): void {
    // Fewer UTF-16 units than the run limit: no run can exceed it and the text is a single window.
    if (text.length <= KIMI_MAX_RUN_CHARS) {
      this.regex.split(text, sink);
      return;
    }
    let start = 0; // start of the part being collected
    let windowLeft = KIMI_MAX_ENCODE_CHARS;
    let runIsSpace = false;
    let runLength = 0;
    let i = 0;
    while (i < text.length) {
      if (windowLeft === 0) {
        // New window: the part ends here and the run state starts over, as the Python loop does per window.
        this.regex.split(text.slice(start, i), sink);
        start = i;
        windowLeft = KIMI_MAX_ENCODE_CHARS;
        runLength = 0;
      }
      const c = text.codePointAt(i) as number;
      const space = isPythonSpace(c);
      if (runLength === 0 || space !== runIsSpace) {
        runIsSpace = space;
        runLength = 1;
      } else if (++runLength > KIMI_MAX_RUN_CHARS) {
        this.regex.split(text.slice(start, i), sink);
        start = i;
        runLength = 1;
      }
      windowLeft--;
      i += c > 0xffff ? 2 : 1;
    }
    if (start < text.length) this.regex.split(text.slice(start), sink);
  }
}

/** Pre-tokenizers that serve no bundled table: Hunyuan's, for a user-supplied hy.tiktoken (licence: not shipped). */
export type UnbundledPreTokenizerId = 'hunyuan';

export function createPreTokenizer(id: ExactTokenizerId | UnbundledPreTokenizerId): PreTokenizer {
  switch (id) {
    case 'cl100k_base':
      return new RegexPreTokenizer(CL100K, false, false);
    case 'o200k_base':
      return new RegexPreTokenizer(O200K, false, false);
    case 'qwen':
      return new RegexPreTokenizer(QWEN, true, true);
    case 'deepseek-v3':
    case 'deepseek-v4':
      return new DeepSeekPreTokenizer();
    case 'kimi-k2':
      return new KimiPreTokenizer();
    case 'glm-4':
    case 'glm-5':
      // tokenizer.json: Split "Isolated" (gaps kept; the pattern leaves none), no normaliser.
      return new RegexPreTokenizer(CL100K, false, true);
    case 'minimax':
      // tokenizer.json: NFC, then Split "Removed" + invert, i.e. only matches are pieces (they cover every char).
      return new RegexPreTokenizer(O200K, true, false);
    case 'hunyuan':
      return new RegexPreTokenizer(QWEN, true, false);
  }
}
