// Compares models on one text (or several selections, summed): one count per distinct tokenizer, then the cost
// model for each model.
import type { CostOptions, CostResult } from './cost';
import { cost } from './cost';
import type { ModelEntry, TokenizerId } from './prices/types';
import type { TokenCounter } from './tokenizers/tokenCounter';

export interface ModelComparison {
  model: ModelEntry;
  tokens: number;
  exact: boolean;
  cost: CostResult;
  /** Share of the context window the input uses (1 = full). */
  contextUse: number;
}

/** Tokens per distinct tokenizer over all the texts. */
export function countByTokenizer(texts: readonly string[], tokenizers: Iterable<TokenizerId>, counter: TokenCounter): Map<TokenizerId, { tokens: number; exact: boolean }> {
  const out = new Map<TokenizerId, { tokens: number; exact: boolean }>();
  for (const id of tokenizers) {
    if (out.has(id)) continue;
    let tokens = 0;
    let exact = true;
    for (const t of texts) {
      const c = counter.count(id, t);
      tokens += c.tokens;
      exact = c.exact;
    }
    out.set(id, { tokens, exact });
  }
  return out;
}

export function compareModels(text: string | readonly string[], models: readonly ModelEntry[], counter: TokenCounter, options: CostOptions): ModelComparison[] {
  const texts = typeof text === 'string' ? [text] : text;
  const counts = countByTokenizer(texts, models.map((m) => m.tokenizer), counter);
  return priceModels(counts, models, options);
}

/** Prices already-counted tokens for each model; retired models (no current list) are left out. */
export function priceModels(counts: ReadonlyMap<TokenizerId, { tokens: number; exact: boolean }>, models: readonly ModelEntry[], options: CostOptions): ModelComparison[] {
  const rows: ModelComparison[] = [];
  for (const model of models) {
    const count = counts.get(model.tokenizer);
    if (!count) continue;
    const c = cost(count.tokens, model, options);
    if (!c) continue;
    rows.push({ model, tokens: count.tokens, exact: count.exact, cost: c, contextUse: count.tokens / model.contextWindow });
  }
  return sortCheapestFirst(rows, options.exchangeRate);
}

/** Cheapest first; amounts in different currencies (the 'native' display) are compared in USD. */
export function sortCheapestFirst<T extends { cost: CostResult; tokens: number; model: ModelEntry }>(rows: T[], exchangeRate: number): T[] {
  const usd = (c: CostResult) => (c.currency === 'USD' ? c.totalCost : c.totalCost / exchangeRate);
  return rows.sort((a, b) => usd(a.cost) - usd(b.cost) || a.tokens - b.tokens || a.model.id.localeCompare(b.model.id));
}
