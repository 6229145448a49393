// One entry point for counting: exact tokenizers and per-vendor estimates, by tokenizer id.
import { ExactTokenizers } from './exactTokenizers';
import { ESTIMATE_RULES, applyEstimate, countHan, splitHan, tableFor } from './estimates';
import { countCharacters } from '../textInput';
import type { EstimateTokenizerId, ExactTokenizerId, TokenizerId } from '../prices/types';
import { isExactTokenizer } from './tokenizerIds';
import type { TextTokenCounter } from './userTokenizer';
import { UserTokenizers } from './userTokenizers';

export interface TokenCount {
  tokenizer: TokenizerId;
  tokens: number;
  exact: boolean;
  /** Set when the tokenizer could not be loaded and a rough character-based estimate stands in: why. */
  fallback?: string;
}

/**
 * The rough estimate used when a tokenizer's table cannot be loaded: 0.7 token per Han character (between the
 * public vocabularies' 0.65–1.1) and 1 per 4 other characters (GPT-style English). Additive, so per-chunk sums work.
 */
export function roughTokens(han: number, otherCharacters: number): number {
  return Math.round(han * 0.7 + otherCharacters / 4);
}

/** A flagged rough estimate standing in for a tokenizer that could not load, with the reason. */
export function roughCount(tokenizer: TokenizerId, text: string, fallback: string): TokenCount {
  const han = countHan(text);
  return { tokenizer, tokens: roughTokens(han, countCharacters(text) - han), exact: false, fallback };
}

export class TokenCounter {
  private readonly exact: ExactTokenizers;
  /** The user's own tokenizers (tokenCost.tokenizers, --tokenizer-file); replace them with `user.set(...)`. */
  readonly user = new UserTokenizers();
  private readonly lastUser = new Map<TextTokenCounter, { text: string; tokens: number }>();
  /** The last text counted per exact tokenizer: comparing many models on one text counts it once per tokenizer. */
  private readonly last = new Map<ExactTokenizerId, { text: string; tokens: number }>();
  private readonly lastNonHan = new Map<ExactTokenizerId, { text: string; rest: number; han: number }>();

  constructor(tableDir: string) {
    this.exact = new ExactTokenizers(tableDir);
  }

  count(tokenizer: TokenizerId, text: string): TokenCount {
    const user = this.user.get(tokenizer);
    if (user) {
      if ('error' in user) return roughCount(tokenizer, text, user.error);
      const memo = this.lastUser.get(user.counter);
      if (memo?.text === text) return { tokenizer, tokens: memo.tokens, exact: true };
      if (this.lastUser.size > 8) this.lastUser.clear(); // counters of replaced sets must not stay reachable
      const tokens = user.counter.count(text);
      this.lastUser.set(user.counter, { text, tokens });
      return { tokenizer, tokens, exact: true };
    }
    const needs = tableFor(tokenizer);
    if (needs) {
      try {
        this.exact.get(needs);
      } catch (e) {
        return roughCount(tokenizer, text, (e as Error).message);
      }
    }
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
    this.lastUser.clear();
    this.user.clearCaches();
    this.exact.release();
  }
}
