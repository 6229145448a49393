// --report DIR: one model, every prompt file under DIR, most expensive first with folder totals.
import { chatKindOf } from '../core/chat/chatFormat';
import type { CostOptions } from '../core/cost';
import { cost } from '../core/cost';
import { countPrompt } from '../core/countPrompt';
import type { Currency, ModelEntry, TokenizerId } from '../core/prices/types';
import { WorkspaceReport, reportToJson, toCsv } from '../core/report/report';
import type { TokenCounter } from '../core/tokenizers/tokenCounter';
import type { BudgetLog } from './budgetLog';
import { readPromptFile, reportFolderProblem, walkPromptFiles } from './files';
import type { CliIo } from './io';
import type { PricesAsOf } from '../core/prices/asOf';
import { noPriceReason, printable, pricesAsOfJson, renderPricesAsOf, renderReport } from './render';

export interface ReportContext {
  io: CliIo;
  counter: TokenCounter;
  options: CostOptions;
  budgets: BudgetLog;
  json: boolean;
  csv: boolean;
  /** The age of the model's prices: a footer line, and `pricesAsOf` in --json. */
  asOf: PricesAsOf;
}

/** Files that cannot be counted are listed as skipped, never fatal; a DIR that is not a folder is a usage error (2). */
export function runReport(dir: string, isPrompt: (path: string) => boolean, model: ModelEntry, ctx: ReportContext): number {
  const { io, counter, options, budgets } = ctx;
  const problem = reportFolderProblem(dir);
  if (problem !== undefined) {
    io.stderr(`token-cost: --report ${dir}: ${problem}\n`);
    return 2;
  }
  const report = new WorkspaceReport({ currency: options.currency as Currency, model: model.id });
  walkPromptFiles(dir, isPrompt, {
    skip: (path, reason) => report.skip(path, reason),
    file: (path, abs, size) => {
      const read = readPromptFile(abs, size);
      if (!read.ok) return report.skip(path, read.message);
      if (read.invalidUtf8) io.stderr(`token-cost: ${printable(path)}: not valid UTF-8; invalid bytes counted as U+FFFD\n`);
      const countAs = (id: TokenizerId) => countPrompt(read.text, [id], (i, t) => counter.count(i, t), chatKindOf(path)).get(id)!;
      const c = countAs(model.tokenizer);
      const priced = cost(c.tokens, model, options);
      if (!priced) return report.skip(path, noPriceReason(model.id, options.at));
      report.set({ path, tokens: c.tokens, exact: c.exact, cost: priced.totalCost, currency: priced.currency });
      budgets.checkFile(path, read.text, new Map([[model.tokenizer, c]]), [model], countAs);
    },
  });
  budgets.reportProblems(io);
  if (ctx.csv) {
    io.stdout(toCsv(report));
    // Standard output is the CSV alone; the budget verdict goes to standard error.
    io.stderr(budgets.render());
  } else if (ctx.json) io.stdout(JSON.stringify({ ...reportToJson(report), ...budgets.json(), pricesAsOf: pricesAsOfJson(ctx.asOf) }, null, 2) + '\n');
  else io.stdout(renderReport(dir, model, report) + renderPricesAsOf(ctx.asOf) + budgets.render());
  return budgets.status(0);
}
