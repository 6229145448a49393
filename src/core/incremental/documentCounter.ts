// Counts documents incrementally (per chunk, ./chunkedText.ts) and arbitrary texts through one content-keyed
// cache, for every tokenizer id. Results equal TokenCounter.count on the same full text exactly.
import { ExactTokenizers } from '../tokenizers/exactTokenizers';
import { ESTIMATE_RULES, applyEstimate, countHan, splitHan, tableFor } from '../tokenizers/estimates';
import { isExactTokenizer } from '../tokenizers/tokenizerIds';
import { roughTokens } from '../tokenizers/tokenCounter';
import type { TokenCount } from '../tokenizers/tokenCounter';
import { countCharacters } from '../textInput';
import type { EstimateTokenizerId, ExactTokenizerId, TokenizerId } from '../prices/types';
import type { ChunkedText } from './chunkedText';
import { ContentCache, DEFAULT_CACHE_UNITS } from './contentCache';
import { splitAtCuts } from './cuts';
import { UserTokenizers } from '../tokenizers/userTokenizers';
import type { UserTokenizerSource, UserTokenizerStatus } from '../tokenizers/userTokenizers';
import type { TextTokenCounter } from '../tokenizers/userTokenizer';
import type { TableLoader } from '../tokenizers/rankTable';

/**
 * Thrown by a count when its time slice is over (see DocumentCounter.sliceUntil). Every chunk counted so far is kept
 * (in the document's per-chunk counts and the content cache), so calling the same count again resumes where it
 * stopped; the result is the same as an uninterrupted count.
 */
export class CountPaused extends Error {
  constructor() {
    super('count paused: time slice over');
    this.name = 'CountPaused';
  }
}

type Sum = (kind: string, countChunk: (chunk: string) => number) => number;
/** The whole text, for tokenizers whose pieces may cross a chunk cut. */
type Whole = () => string;

export class DocumentCounter {
  private readonly exact: ExactTokenizers;
  private readonly cache: ContentCache;
  /** Cached per-chunk counting function per kind ('qwen', 'rest:qwen'); its index is the cache's kind slot. */
  private readonly counters = new Map<string, (chunk: string) => number>();
  private readonly user = new UserTokenizers();
  /** Bumped when the user's tokenizers change, so per-chunk counts of a replaced file are never reused. */
  private userGeneration = 0;
  private readonly lastWhole = new Map<TextTokenCounter, { text: string; tokens: number }>();
  /** performance.now() after which counting a new chunk throws CountPaused; undefined = never. */
  private deadline?: number;
  /** A chunk was counted in this slice: every slice makes progress, however short. */
  private progressed = false;
  /** The last text cut by countText, so a resumed count does not cut it again. */
  private lastSplit?: { text: string; chunks: string[] };

  /**
   * `tableDir`: the folder holding `<id>.bin` rank tables, as for TokenCounter (each DocumentCounter loads its
   * own tables on first use). `cacheUnits`: content-cache budget in UTF-16 code units of cached text.
   */
  constructor(tableDir: string | TableLoader, cacheUnits = DEFAULT_CACHE_UNITS) {
    this.exact = new ExactTokenizers(tableDir);
    this.cache = new ContentCache(cacheUnits);
  }

  /**
   * Until `deadline` (performance.now() time) counts run normally; after it, the next chunk that is not already
   * counted throws CountPaused instead. A scheduler uses this to pre-empt long counts between chunks. A single chunk
   * is never interrupted, and whole-text user tokenizers (no chunking) run to the end.
   */
  sliceUntil(deadline: number | undefined): void {
    this.deadline = deadline;
    this.progressed = false;
  }

  /** Token count of the whole document for any tokenizer id (exact or estimate), incrementally. */
  count(doc: ChunkedText, tokenizer: TokenizerId): TokenCount {
    return this.measure(tokenizer, (kind, fn) => doc.total(kind, fn), () => doc.toString());
  }

  /** Replaces the user's own tokenizers (parsed here, from the bytes the host read); returns what loaded. */
  setUserTokenizers(sources: readonly UserTokenizerSource[]): UserTokenizerStatus[] {
    this.userGeneration++;
    this.lastWhole.clear();
    return this.user.set(sources);
  }

  /** Count of arbitrary text (selections, hover blocks), through a content-keyed cache shared by all callers. */
  countText(text: string, tokenizer: TokenizerId): TokenCount {
    // Cut into the same chunks as documents, so a selection inside a counted document mostly hits the cache.
    let chunks: string[];
    if (this.lastSplit?.text === text) chunks = this.lastSplit.chunks;
    else {
      chunks = splitAtCuts(text);
      this.lastSplit = { text, chunks };
    }
    return this.measure(
      tokenizer,
      (_kind, fn) => {
        let n = 0;
        for (const c of chunks) n += fn(c);
        return n;
      },
      () => text,
    );
  }

  /** Time spent loading rank tables so far, in ms. */
  get tableLoadMs(): number {
    return this.exact.loadMs;
  }

  /** Frees tokenizer tables and caches (they reload on next use). Documents keep their per-chunk counts. */
  release(): void {
    this.exact.release();
    this.cache.clear();
    this.lastWhole.clear();
    this.lastSplit = undefined;
    this.user.clearCaches();
  }

  /** The TokenCounter.count formula over additive per-chunk sums; rounding happens once, on the total. */
  private measure(tokenizer: TokenizerId, sum: Sum, whole: Whole): TokenCount {
    const user = this.user.get(tokenizer);
    if (user) {
      if ('error' in user) {
        const han = sum('han', countHan);
        return { tokenizer, tokens: roughTokens(han, sum('chars', countCharacters) - han), exact: false, fallback: user.error };
      }
      if (user.chunked) return { tokenizer, tokens: sum(`user${this.userGeneration}:${tokenizer}`, this.userCounter(tokenizer, user.counter)), exact: true };
      // A custom pattern or a tokenizer.json: the whole text at once (see UserTokenizers.set), remembered per text.
      const text = whole();
      const memo = this.lastWhole.get(user.counter);
      if (memo?.text === text) return { tokenizer, tokens: memo.tokens, exact: true };
      const tokens = user.counter.count(text);
      this.lastWhole.set(user.counter, { text, tokens });
      return { tokenizer, tokens, exact: true };
    }
    // Load the table before summing, so a broken table never leaves a half-counted total behind.
    const needs = tableFor(tokenizer);
    if (needs) {
      try {
        this.exact.get(needs);
      } catch (e) {
        const han = sum('han', countHan);
        const chars = sum('chars', countCharacters);
        return { tokenizer, tokens: roughTokens(han, chars - han), exact: false, fallback: (e as Error).message };
      }
    }
    if (isExactTokenizer(tokenizer)) return { tokenizer, tokens: sum(tokenizer, this.counter(tokenizer)), exact: true };
    const rule = ESTIMATE_RULES[tokenizer as EstimateTokenizerId];
    if (!rule) throw new Error(`unknown tokenizer "${tokenizer}"`);
    if (rule.hanTokensPerChar === undefined) return { tokenizer, tokens: applyEstimate(rule, sum(rule.proxy, this.counter(rule.proxy)), 0), exact: false };
    // splitHan per chunk gives the whole text's segments cut at chunk edges (Han runs never cross a cut), so
    // the rest and Han sums equal the whole-text ones.
    const rest = sum(`rest:${rule.proxy}`, this.counter(`rest:${rule.proxy}`));
    const han = sum('han', countHan);
    return { tokenizer, tokens: applyEstimate(rule, rest, han), exact: false };
  }

  /** A user tokenizer's cached per-chunk counter; its kind names the generation, so a replaced file starts afresh. */
  private userCounter(id: TokenizerId, counter: TextTokenCounter): (chunk: string) => number {
    return this.counter(`user${this.userGeneration}:${id}`, (chunk) => counter.count(chunk));
  }

  private counter(kind: string, raw?: (chunk: string) => number): (chunk: string) => number {
    let fn = this.counters.get(kind);
    if (fn) return fn;
    const slot = this.counters.size;
    raw ??= kind.startsWith('rest:') ? this.restCounter(kind.slice(5) as ExactTokenizerId) : (chunk: string) => this.exact.get(kind as ExactTokenizerId).count(chunk);
    fn = (chunk: string) => {
      const hit = this.cache.get(chunk, slot);
      if (hit !== undefined) return hit;
      if (this.deadline !== undefined && this.progressed && performance.now() > this.deadline) throw new CountPaused();
      const n = raw(chunk);
      this.progressed = true;
      this.cache.set(chunk, slot, n);
      return n;
    };
    this.counters.set(kind, fn);
    return fn;
  }

  /** The proxy's count of the text between Han runs (estimates that price Han characters themselves). */
  private restCounter(proxy: ExactTokenizerId): (chunk: string) => number {
    return (chunk) => {
      const t = this.exact.get(proxy);
      let n = 0;
      for (const s of splitHan(chunk).segments) n += t.count(s);
      return n;
    };
  }
}
