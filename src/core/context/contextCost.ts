// Tokens and cost per request of the context files that apply: each file counted on its own (so a row can say what
// it adds), the total priced at the model's input rate, as the files are sent ahead of the prompt on every request.
import type { CostOptions } from '../cost';
import { cost } from '../cost';
import type { Currency, ModelEntry } from '../prices/types';
import type { ContextEntry } from './contextFiles';

export interface ContextRowCount {
  entry: ContextEntry;
  tokens: number;
  exact: boolean;
}

export interface ContextSummary {
  rows: ContextRowCount[];
  /** Files that apply (and were read). */
  files: number;
  totalTokens: number;
  /** Every applying file was counted with the model's exact tokenizer. */
  exact: boolean;
  /** Input cost of totalTokens on one request; undefined when the model has no current price. */
  costPerRequest?: number;
  currency?: Currency;
}

/** `count` gives a file's sent text's tokens on the model's tokenizer. Output tokens are not the files' cost. */
export function summarizeContext(entries: readonly ContextEntry[], count: (text: string) => { tokens: number; exact: boolean }, model: ModelEntry, options: CostOptions): ContextSummary {
  const rows = entries.map((entry) => (entry.file.problem ? { entry, tokens: 0, exact: true } : { entry, ...count(entry.file.sent) }));
  return priceContextRows(rows, model, options);
}

export function priceContextRows(rows: ContextRowCount[], model: ModelEntry, options: CostOptions): ContextSummary {
  const applying = rows.filter((r) => r.entry.applies);
  const totalTokens = applying.reduce((n, r) => n + r.tokens, 0);
  const priced = cost(totalTokens, model, { ...options, outputTokens: 0 });
  return {
    rows,
    files: applying.length,
    totalTokens,
    exact: applying.every((r) => r.exact),
    costPerRequest: priced?.inputCost,
    currency: priced?.currency,
  };
}
