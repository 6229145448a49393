// Pre-tokenizers: the regular expressions that cut text into pieces before BPE, rewritten for JavaScript so that
// they split exactly as the reference engines do (OpenAI's tiktoken in Rust, Hugging Face tokenizers with
// Oniguruma). Differences handled here:
// - `\s` becomes \p{White_Space}: JavaScript's `\s` includes U+FEFF and excludes U+0085, the reverse of Rust/Onig.
// - Inline `(?i:…)` groups (not in Node 20) are expanded by hand; Unicode simple case folding adds ſ (U+017F) to s.
// - DeepSeek V3's three sequential Split stages run as three stages, so lookaheads see piece ends as they do there.
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

// Qwen 1.5–3: cl100k's shape with single digits.
const QWEN = CL100K.replace('\\p{N}{1,3}', '\\p{N}');

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
  constructor(source: string, readonly nfc: boolean, private readonly keepGaps: boolean) {
    this.re = new RegExp(source, 'gu');
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

export function createPreTokenizer(id: ExactTokenizerId): PreTokenizer {
  switch (id) {
    case 'cl100k_base':
      return new RegexPreTokenizer(CL100K, false, false);
    case 'o200k_base':
      return new RegexPreTokenizer(O200K, false, false);
    case 'qwen':
      return new RegexPreTokenizer(QWEN, true, true);
    case 'deepseek-v3':
      return new DeepSeekPreTokenizer();
  }
}
