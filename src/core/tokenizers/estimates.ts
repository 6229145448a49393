// Estimates for vendors whose tokenizer is closed or not available offline. Each rule counts the text with a
// public "proxy" tokenizer; where vendors differ most, on Chinese, Han characters are priced at a measured or
// published rate and the proxy counts only the rest. Always flagged exact: false. ESTIMATES.md has the derivations
// (texts, counts, errors before and after); test/unit/estimates.test.ts re-measures them.
import type { EstimateTokenizerId, ExactTokenizerId, TokenizerId } from '../prices/types';
import { isExactTokenizer } from './tokenizerIds';

export interface EstimateRule {
  proxy: ExactTokenizerId;
  /** Multiplier on the proxy's count (non-Chinese text). */
  scale: number;
  /** Tokens per Han character, from the vendor; the proxy then counts only the non-Han text. Absent = proxy counts all. */
  hanTokensPerChar?: number;
  /** Why these numbers, shown to users next to the estimate. */
  basis: string;
}

export const ESTIMATE_RULES: Record<EstimateTokenizerId, EstimateRule> = {
  'estimate:deepseek': {
    proxy: 'deepseek-v3',
    scale: 1,
    basis: 'DeepSeek V3 tokenizer (the newest one DeepSeek published); DeepSeek: 1 Chinese character ≈ 0.6 token, 1 English character ≈ 0.3 token.',
  },
  'estimate:claude': {
    proxy: 'cl100k_base',
    scale: 1.1,
    basis: 'Claude’s tokenizer is not public; cl100k_base + 10%, Chinese at cl100k’s rate (≈1.1 tokens per character).',
  },
  'estimate:gemini': {
    proxy: 'o200k_base',
    scale: 1.102,
    hanTokensPerChar: 0.549,
    basis: 'Gemini’s tokenizer is not offline; measured against Gemma 3’s (which Google’s SDK uses for Gemini 2.0–3.0): o200k_base + 10.2%, Chinese at 0.549 token per character (−0.2% on test text; o200k alone was −11% on English, +16% on Chinese).',
  },
  'estimate:doubao': {
    proxy: 'qwen',
    scale: 1.037,
    hanTokensPerChar: 0.509,
    basis: 'Doubao’s tokenizer is closed; ByteDance’s open Seed-OSS tokenizer reproduces Volcengine’s example id for id (天空为什么这么蓝 → 4), and against it: Qwen + 3.7%, Chinese at 0.509 token per character (−0.3% on test text, was −3.3%).',
  },
  'estimate:ernie': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 0.5,
    basis: 'ERNIE’s tokenizer is closed; Qwen, with Chinese at 0.5 token per character, reproduces Qianfan’s example (这是1段text(混合中英文) → 8; the old 1 per character gave 12). Baidu’s open ERNIE 4.5 gives 9 there, so it is not used.',
  },
  'estimate:hunyuan': {
    proxy: 'qwen',
    scale: 1,
    basis: 'Hunyuan’s tokenizer may not be bundled (licence); measured against it, Qwen’s count is +1% on mixed text, +3% on Chinese (the old 0.67 per character: +24%). Add hy.tiktoken as your own tokenizer for exact counts.',
  },
  'estimate:spark': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 0.67,
    basis: 'Spark’s tokenizer is closed; iFlytek: 1 token ≈ 1.5 Chinese characters or 0.8 English words.',
  },
  // Vendors' models whose own tokenizer is not published (Moonshot V1, Kimi K3, GLM-4-Plus/Air/Flash, MiniMax M3,
  // abab): counted with the same vendor's nearest published vocabulary, and marked ≈. Never silently "exact".
  'estimate:glm': {
    proxy: 'glm-4',
    scale: 1,
    basis: 'This GLM model’s tokenizer is not published; counted with GLM-4.5–4.7’s open vocabulary (Zhipu’s nearest), unscaled.',
  },
  'estimate:kimi': {
    proxy: 'kimi-k2',
    scale: 1,
    basis: 'This Kimi model’s tokenizer is not published; counted with Kimi K2’s open vocabulary (Moonshot’s nearest), unscaled.',
  },
  'estimate:minimax': {
    proxy: 'minimax',
    scale: 1,
    basis: 'This MiniMax model’s tokenizer is not published; counted with M1/M2’s open vocabulary (MiniMax’s nearest), unscaled.',
  },
  'estimate:yi': {
    proxy: 'qwen',
    scale: 1.09,
    hanTokensPerChar: 0.757,
    basis: 'Yi’s SentencePiece vocabulary measured against Qwen’s: +9% on English, 0.757 token per Chinese character.',
  },
  'estimate:baichuan': {
    proxy: 'qwen',
    scale: 1,
    basis: 'Baichuan’s tokenizer is not on npm; Qwen’s stands in.',
  },
  'estimate:stepfun': {
    proxy: 'qwen',
    scale: 1,
    basis: 'StepFun’s tokenizer is not bundled (no vocabulary collected yet); Qwen’s stands in, unmeasured.',
  },
  'estimate:xai': {
    proxy: 'o200k_base',
    scale: 1,
    basis: 'Rough: xAI’s Grok tokenizer is not public; o200k_base stands in, unscaled and unmeasured.',
  },
  'estimate:claude-4.7': {
    proxy: 'cl100k_base',
    scale: 1.43,
    basis: 'Claude 4.7 and later use a newer tokenizer that is not public; Anthropic says it gives about 30% more tokens than earlier Claude models for the same text, so cl100k_base + 10% (the earlier estimate) × 1.3.',
  },
  'estimate:openai': {
    proxy: 'o200k_base',
    scale: 1,
    basis: 'Rough: OpenAI has not said which encoding GPT-6 uses; o200k_base (GPT-4o to GPT-5.x) stands in, unscaled.',
  },
  'estimate:mistral': {
    proxy: 'o200k_base',
    scale: 1,
    basis: 'Rough: Mistral’s tokenizer is not bundled; o200k_base stands in, unscaled and unmeasured.',
  },
  'estimate:other': {
    proxy: 'o200k_base',
    scale: 1,
    basis: 'Rough: an imported model whose tokenizer is unknown; o200k_base stands in, unscaled and unmeasured.',
  },
};

/** Combines the proxy's count (of the non-Han text when the rule has a Han rate) with the Han characters. */
export function applyEstimate(rule: EstimateRule, proxyTokens: number, han: number): number {
  const tokens = proxyTokens * rule.scale + (rule.hanTokensPerChar === undefined ? 0 : han * rule.hanTokensPerChar);
  return Math.max(0, Math.round(tokens));
}

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{33fff}]+/gu;

/** The text between runs of Han characters (counted apart, so neighbours never merge), and the Han count. */
export function splitHan(text: string): { segments: string[]; han: number } {
  const segments: string[] = [];
  let han = 0;
  let last = 0;
  HAN_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HAN_RUN.exec(text)) !== null) {
    if (m.index > last) segments.push(text.slice(last, m.index));
    han += countHan(m[0]);
    last = HAN_RUN.lastIndex;
  }
  if (last < text.length) segments.push(text.slice(last));
  return { segments, han };
}

/** Han ideographs: the CJK Unified blocks, Extension A, compatibility ideographs and the astral extensions. */
export function countHan(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) n++;
    else if (c >= 0xd840 && c <= 0xd88f && i + 1 < text.length) {
      // U+20000–U+33FFF (Extensions B–I and the compatibility supplement) live behind these lead surrogates.
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n++;
        i++;
      }
    }
  }
  return n;
}

/** The rank table a tokenizer id counts with: its own, or its estimate's proxy. */
export function tableFor(id: TokenizerId): ExactTokenizerId | undefined {
  return isExactTokenizer(id) ? id : ESTIMATE_RULES[id as EstimateTokenizerId]?.proxy;
}
