// Compares models on one text: one count per distinct tokenizer, then the cost model for each model.
import type { CostOptions, CostResult } from './cost';
import { cost } from './cost';
import type { ModelEntry } from './prices/types';
import type { TokenCounter } from './tokenizers/tokenCounter';

export interface ModelComparison {
  model: ModelEntry;
  tokens: number;
  exact: boolean;
  cost: CostResult;
  /** Share of the context window the input uses (1 = full). */
  contextUse: number;
}

export function compareModels(text: string, models: readonly ModelEntry[], counter: TokenCounter, options: CostOptions): ModelComparison[] {
  const rows: ModelComparison[] = [];
  for (const model of models) {
    const { tokens, exact } = counter.count(model.tokenizer, text);
    const c = cost(tokens, model, options);
    if (!c) continue;
    rows.push({ model, tokens, exact, cost: c, contextUse: tokens / model.contextWindow });
  }
  return sortCheapestFirst(rows, options.exchangeRate);
}

/** Cheapest first; amounts in different currencies (the 'native' display) are compared in USD. */
export function sortCheapestFirst<T extends { cost: CostResult; tokens: number; model: ModelEntry }>(rows: T[], exchangeRate: number): T[] {
  const usd = (c: CostResult) => (c.currency === 'USD' ? c.totalCost : c.totalCost / exchangeRate);
  return rows.sort((a, b) => usd(a.cost) - usd(b.cost) || a.tokens - b.tokens || a.model.id.localeCompare(b.model.id));
}
