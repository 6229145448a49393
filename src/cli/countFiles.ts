// FILE… mode: each file counted with every reported model's tokenizer (or just --tokenizer), priced, printed.
import { priceModels } from '../core/compare';
import { countPrompt } from '../core/countPrompt';
import type { ChatCount } from '../core/chat/chatFormat';
import { chatKindOf } from '../core/chat/chatFormat';
import type { CostOptions } from '../core/cost';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import { countCharacters } from '../core/textInput';
import type { TokenCount, TokenCounter } from '../core/tokenizers/tokenCounter';
import type { BudgetLog } from './budgetLog';
import { readInputFile } from './files';
import type { CliIo } from './io';
import type { ChatInfo } from './render';
import type { PricesAsOf } from '../core/prices/asOf';
import { comparisonJson, noPriceReason, pricesAsOfJson, renderChatNote, renderComparison, renderPricesAsOf, renderTokenizerCount, tokenizerCountJson } from './render';

export interface CountContext {
  io: CliIo;
  counter: TokenCounter;
  /** The reported models, in table order. */
  models: readonly ModelEntry[];
  /** The models were named with --model: one without a price (then, or with --at at that date) is said, not dropped silently. */
  named: boolean;
  /** --tokenizer: count with this one only, no prices. */
  tokenizer: TokenizerId | undefined;
  options: CostOptions;
  outputTokens: number;
  budgets: BudgetLog;
  json: boolean;
  /** The age of the reported models' prices: a footer line, and `pricesAsOf` in --json. */
  asOf: PricesAsOf;
}

/** Counts and prints every file; one that cannot be read is reported and skipped, and makes the exit status 1. */
export function countFiles(paths: readonly string[], ctx: CountContext): number {
  const { io, counter, models, tokenizer, options, budgets } = ctx;
  const files: unknown[] = [];
  let status = 0;
  let priced = 0;
  for (const path of paths) {
    const read = readInputFile(path, io);
    if (!read.ok) {
      io.stderr(`token-cost: ${path}: ${read.message}\n`);
      status = 1;
      continue;
    }
    if (read.invalidUtf8) io.stderr(`token-cost: ${path}: not valid UTF-8; invalid bytes counted as U+FFFD\n`);
    const text = read.text;
    const name = path === '-' ? '<stdin>' : path;
    // Chat files (OpenAI-style messages in JSON/YAML/JSONL) count as sent: messages plus per-message overhead.
    const chat = path === '-' ? undefined : chatKindOf(path);
    const countAs = (ids: readonly TokenizerId[]) => countPrompt(text, ids, (id, t) => counter.count(id, t), chat);
    const counts = countAs(tokenizer ? [tokenizer] : models.map((m) => m.tokenizer));
    const countMissing = (id: TokenizerId) => countAs([id]).get(id)!;
    const chatInfo = (id: TokenizerId): ChatInfo | undefined => {
      const c = counts.get(id) as Partial<ChatCount> | undefined;
      return c?.messages === undefined ? undefined : { messages: c.messages, overheadTokens: c.overheadTokens!, overheadKnown: c.overheadKnown!, basis: c.basis! };
    };
    if (tokenizer) {
      const c = counts.get(tokenizer) as TokenCount;
      const ci = chatInfo(tokenizer);
      if (ctx.json) files.push(tokenizerCountJson(name, tokenizer, c, ci));
      else io.stdout(renderTokenizerCount(name, tokenizer, c, ci));
      budgets.checkFile(name, text, counts, [], countMissing);
      continue;
    }
    const rows = priceModels(counts, models, options);
    priced++;
    if (ctx.named) for (const m of models) if (!rows.some((r) => r.model === m)) io.stderr(`token-cost: ${noPriceReason(m.id, options.at)}\n`);
    budgets.checkFile(name, text, counts, rows.map((r) => r.model), countMissing);
    if (ctx.json) {
      files.push(comparisonJson(name, countCharacters(text), rows, chatInfo));
    } else {
      io.stdout(renderComparison(name, countCharacters(text), rows, ctx.outputTokens));
      const first = rows.map((r) => counts.get(r.model.tokenizer) as Partial<ChatCount>).find((c) => c?.messages !== undefined);
      if (first) {
        const known = new Set(rows.filter((r) => chatInfo(r.model.tokenizer)?.overheadKnown).map((r) => r.model.tokenizer));
        io.stdout(renderChatNote(first.messages!, [...known]));
      }
    }
  }
  budgets.reportProblems(io);
  // A --tokenizer run prices nothing, so it has no price date to give.
  if (ctx.json) io.stdout(JSON.stringify({ files, ...budgets.json(), ...(tokenizer ? {} : { pricesAsOf: pricesAsOfJson(ctx.asOf) }) }, null, 2) + '\n');
  else io.stdout((tokenizer || priced === 0 ? '' : renderPricesAsOf(ctx.asOf)) + budgets.render());
  return budgets.status(status);
}
