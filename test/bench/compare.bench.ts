// Comparing models on a 100 KB selection: ours counts once per distinct tokenizer (countText, as compareModels
// does) and prices every model from those counts; the baseline counts afresh for every model. The cost of ours
// grows with the number of distinct tokenizers, not with the number of models.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { priceModels } from '../../src/core/compare';
import type { CostOptions } from '../../src/core/cost';
import { DocumentCounter } from '../../src/core/incremental/documentCounter';
import { defaultModels } from '../../src/core/prices/priceTable';
import type { EstimateTokenizerId, ExactTokenizerId, ModelEntry, TokenizerId } from '../../src/core/prices/types';
import { EXACT_TOKENIZER_IDS } from '../../src/core/prices/types';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import { ESTIMATE_RULES, applyEstimate, splitHan } from '../../src/core/tokenizers/estimates';
import { isExactTokenizer } from '../../src/core/tokenizers/tokenizerIds';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const text = mixedText(100 * 1024, 7);
const options: CostOptions = { currency: 'CNY', exchangeRate: 7.2, outputTokens: 500 };
const ms = (t0: number) => performance.now() - t0;
const all = defaultModels().filter((m) => m.prices.length > 0).slice(0, 40);

/** Ours: a fresh DocumentCounter (tables loaded before timing), one countText per distinct tokenizer, then price. */
function ours(models: readonly ModelEntry[]): { ms: number; counts: number; rows: number } {
  const counter = new DocumentCounter(TABLE_DIR);
  for (const id of EXACT_TOKENIZER_IDS) counter.countText('x', id);
  const t0 = performance.now();
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>();
  for (const m of models) if (!counts.has(m.tokenizer)) counts.set(m.tokenizer, counter.countText(text, m.tokenizer));
  const rows = priceModels(counts, models, options).length;
  return { ms: ms(t0), counts: counts.size, rows };
}

/** Baseline: every model counts the text itself, with its tokenizer's caches cleared (no sharing). */
const fresh = new ExactTokenizers(TABLE_DIR);
function countFresh(id: TokenizerId): number {
  const proxy: ExactTokenizerId = isExactTokenizer(id) ? id : ESTIMATE_RULES[id as EstimateTokenizerId].proxy;
  const t = fresh.get(proxy);
  t.clearCache();
  if (isExactTokenizer(id)) return t.count(text);
  const rule = ESTIMATE_RULES[id as EstimateTokenizerId];
  if (rule.hanTokensPerChar === undefined) return applyEstimate(rule, t.count(text), 0);
  const { segments, han } = splitHan(text);
  let rest = 0;
  for (const s of segments) rest += t.count(s);
  return applyEstimate(rule, rest, han);
}
function perModel(models: readonly ModelEntry[]): { ms: number; counts: number; rows: number } {
  for (const id of EXACT_TOKENIZER_IDS) fresh.get(id);
  const t0 = performance.now();
  const rows = models.map((m) => priceModels(new Map([[m.tokenizer, { tokens: countFresh(m.tokenizer), exact: isExactTokenizer(m.tokenizer) }]]), [m], options)).length;
  return { ms: ms(t0), counts: models.length, rows };
}

console.log(`selection: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB mixed text; ${all.length} current models; node ${process.version}`);
/** Tokenizer passes ours makes: estimates share their proxy's pass; Han-rate estimates share one non-Han pass. */
const passes = (models: readonly ModelEntry[]) =>
  new Set(models.map(({ tokenizer: id }) => (isExactTokenizer(id) ? id : ESTIMATE_RULES[id as EstimateTokenizerId].hanTokensPerChar === undefined ? ESTIMATE_RULES[id as EstimateTokenizerId].proxy : `rest:${ESTIMATE_RULES[id as EstimateTokenizerId].proxy}`))).size;
const best = (f: () => { ms: number; counts: number; rows: number }) => {
  const r = [f(), f(), f()];
  return { ...r[0], ms: Math.min(...r.map((x) => x.ms)) };
};

console.log('best of 3 runs each; "passes" = BPE passes over the text ours makes (estimates share their proxy\'s)');
console.log('models'.padStart(6) + 'distinct tokenizers'.padStart(21) + 'passes'.padStart(8) + '  ours: counts'.padStart(15) + 'ms'.padStart(8) + '  per model: counts'.padStart(20) + 'ms'.padStart(8) + '  per model / ours');
for (const n of [10, 20, 40]) {
  const models = all.slice(0, n);
  const distinct = new Set(models.map((m) => m.tokenizer)).size;
  const a = best(() => ours(models));
  const b = best(() => perModel(models));
  console.log(String(n).padStart(6) + String(distinct).padStart(21) + String(passes(models)).padStart(8) + String(a.counts).padStart(15) + a.ms.toFixed(1).padStart(8) + String(b.counts).padStart(20) + b.ms.toFixed(1).padStart(8) + `  ${(b.ms / a.ms).toFixed(1)}×`);
}
console.log(`distinct tokenizers among the 40: ${[...new Set(all.map((m) => m.tokenizer))].join(', ')}`);
