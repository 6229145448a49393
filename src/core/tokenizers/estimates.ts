// Estimates for vendors whose tokenizer is closed or not available offline. Each rule counts the text with a
// public "proxy" tokenizer; where the vendor publishes its own ratio for Chinese (where vendors differ most), Han
// characters are priced at that ratio and the proxy counts only the rest. Always flagged exact: false.
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
    scale: 1,
    basis: 'Gemini’s tokenizer is not available offline; o200k_base, in line with Google’s “1 token ≈ 4 characters” for English.',
  },
  'estimate:doubao': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 0.5,
    basis: 'Doubao’s tokenizer is closed; Qwen’s for non-Chinese text, 0.5 token per Chinese character from Volcengine’s example (天空为什么这么蓝 → 4 tokens).',
  },
  'estimate:ernie': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 1,
    basis: 'ERNIE’s tokenizer is closed; Baidu Qianfan’s own estimate: Chinese characters + English words × 1.3 (Qwen’s count stands in for words × 1.3).',
  },
  'estimate:hunyuan': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 0.67,
    basis: 'Hunyuan’s tokenizer is not on npm; Qwen’s for non-Chinese text, 0.67 token per Chinese character from Tencent’s example (你是谁 → 2 tokens).',
  },
  'estimate:spark': {
    proxy: 'qwen',
    scale: 1,
    hanTokensPerChar: 0.67,
    basis: 'Spark’s tokenizer is closed; iFlytek: 1 token ≈ 1.5 Chinese characters or 0.8 English words.',
  },
  'estimate:glm': {
    proxy: 'qwen',
    scale: 1,
    basis: 'GLM-4’s 151K tiktoken-format vocabulary is not on npm; Qwen’s 151K vocabulary is the closest public one.',
  },
  'estimate:kimi': {
    proxy: 'deepseek-v3',
    scale: 1,
    basis: 'Kimi’s 160K tiktoken-format vocabulary is not on npm; DeepSeek V3’s is the closest public one.',
  },
  'estimate:minimax': {
    proxy: 'qwen',
    scale: 1,
    basis: 'MiniMax’s 200K vocabulary is not on npm; Qwen’s stands in.',
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
    basis: 'StepFun’s tokenizer is not public; Qwen’s stands in.',
  },
  'estimate:xai': {
    proxy: 'o200k_base',
    scale: 1,
    basis: 'Rough: xAI’s Grok tokenizer is not public; o200k_base stands in, unscaled and unmeasured.',
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
