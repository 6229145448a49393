// One entry point for counting: exact tokenizers and per-vendor estimates, by tokenizer id.
import { ExactTokenizers } from './exactTokenizers';
import { ESTIMATE_RULES, applyEstimate, splitHan } from './estimates';
import type { EstimateTokenizerId, ExactTokenizerId, TokenizerId } from '../prices/types';
import { isExactTokenizer } from './tokenizerIds';

export interface TokenCount {
  tokenizer: TokenizerId;
  tokens: number;
  exact: boolean;
}

export class TokenCounter {
  private readonly exact: ExactTokenizers;
  /** The last text counted per exact tokenizer: comparing many models on one text counts it once per tokenizer. */
  private readonly last = new Map<ExactTokenizerId, { text: string; tokens: number }>();
  private readonly lastNonHan = new Map<ExactTokenizerId, { text: string; rest: number; han: number }>();

  constructor(tableDir: string) {
    this.exact = new ExactTokenizers(tableDir);
  }

  count(tokenizer: TokenizerId, text: string): TokenCount {
    if (isExactTokenizer(tokenizer)) return { tokenizer, tokens: this.countExact(tokenizer, text), exact: true };
    const rule = ESTIMATE_RULES[tokenizer as EstimateTokenizerId];
    if (!rule) throw new Error(`unknown tokenizer "${tokenizer}"`);
    if (rule.hanTokensPerChar === undefined) return { tokenizer, tokens: applyEstimate(rule, this.countExact(rule.proxy, text), 0), exact: false };
    const { rest, han } = this.countNonHan(rule.proxy, text);
    return { tokenizer, tokens: applyEstimate(rule, rest, han), exact: false };
  }

  /** The proxy's count of the non-Han text, and the Han characters, for rules that price Chinese themselves. */
  private countNonHan(proxy: ExactTokenizerId, text: string): { rest: number; han: number } {
    const memo = this.lastNonHan.get(proxy);
    if (memo?.text === text) return memo;
    const { segments, han } = splitHan(text);
    const t = this.exact.get(proxy);
    let rest = 0;
    for (const s of segments) rest += t.count(s);
    this.lastNonHan.set(proxy, { text, rest, han });
    return { rest, han };
  }

  private countExact(id: ExactTokenizerId, text: string): number {
    const memo = this.last.get(id);
    if (memo?.text === text) return memo.tokens;
    const tokens = this.exact.get(id).count(text);
    this.last.set(id, { text, tokens });
    return tokens;
  }

  release(): void {
    this.last.clear();
    this.lastNonHan.clear();
    this.exact.release();
  }
}
