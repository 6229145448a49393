// What the budget diagnostics say about one prompt file, without VS Code: its effective budget and model, what has to
// be counted, and each finding with its place in the file. budgetDiagnostics.ts turns findings into localised
// Diagnostics; keeping this part free of `vscode` lets it be tested with plain inputs.
import type { Budget, BudgetRules, BudgetViolation, TokenCounts } from './budgets';
import { budgetModel, checkBudget, effectiveBudget, matchBudget } from './budgets';
import type { CostOptions } from '../cost';
import type { FrontMatter, TextSpan } from './frontMatter';
import { parseFrontMatter } from './frontMatter';
import { formatMoney } from '../money';
import type { Currency, ModelEntry, TokenizerId } from '../prices/types';

export type Finding =
  | { kind: 'violation'; violation: BudgetViolation; span: TextSpan }
  /** An invalid front matter value (the message is the core's English one). */
  | { kind: 'front-matter'; message: string; span: TextSpan }
  /** The budget names a model the price table does not know: its budget cannot be checked. */
  | { kind: 'unknown-model'; model: string; span: TextSpan };

export interface BudgetPlan {
  frontMatter: FrontMatter;
  budget?: Budget;
  /** The model the budget applies to; undefined without a budget or when its model is unknown. */
  model?: ModelEntry;
  /** Known before counting: invalid front matter values and an unknown budget model. */
  findings: Finding[];
  /** What to count: the budget model's tokenizer and the followed models' (for their context windows). */
  tokenizers: TokenizerId[];
  /** Where findings without a place of their own go: the whole first line. */
  firstLine: TextSpan;
}

export interface PlanInput {
  /** The file's opening lines, through the end of its front matter (see frontMatterHead). */
  head: string;
  /** Workspace-relative, '/'-separated path for the budgets setting; undefined for files outside any folder. */
  path?: string;
  rules: BudgetRules;
  models: readonly ModelEntry[];
  defaultModelId: string;
  followed: readonly ModelEntry[];
  /** Length of the file's first line (UTF-16 units). */
  firstLineLength: number;
}

/** Front matter, the budget it and the settings give, and the tokenizers to count; no counting yet. */
export function planBudget(input: PlanInput): BudgetPlan {
  const frontMatter = parseFrontMatter(input.head);
  const firstLine = { line: 0, start: 0, end: input.firstLineLength };
  const findings: Finding[] = frontMatter.problems.map((p) => ({ kind: 'front-matter', message: p.message, span: p.span }));
  const rule = input.path === undefined ? undefined : matchBudget(input.rules, input.path);
  const budget = effectiveBudget(frontMatter, rule);
  const model = budget && budgetModel(budget, input.models, input.defaultModelId);
  if (budget && !model) findings.push({ kind: 'unknown-model', model: budget.model ?? input.defaultModelId, span: frontMatter.budgetModel?.span ?? firstLine });
  const tokenizers = [...new Set([...(model ? [model.tokenizer] : []), ...input.followed.map((m) => m.tokenizer)])];
  return { frontMatter, budget, model, findings, tokenizers, firstLine };
}

/** The plan's findings plus what the counts show: budgets exceeded, context windows overflowed. */
export function checkPlan(plan: BudgetPlan, counts: TokenCounts, followed: readonly ModelEntry[], options: CostOptions): Finding[] {
  const violations = checkBudget(plan.budget, plan.model, counts, followed, options);
  return [
    ...plan.findings,
    ...violations.map((v): Finding => ({
      kind: 'violation',
      violation: v,
      // A limit set in front matter is flagged on its value; one from settings, and context overflow, on line 1.
      span: v.kind !== 'context' && v.origin.kind === 'front-matter' ? { line: v.origin.line, start: v.origin.start, end: v.origin.end } : plan.firstLine,
    })),
  ];
}

/**
 * The opening lines a front matter block can span: through its closing fence, or only the first line when it does
 * not open one. An unclosed block reads to the end (it is reported as not closed). Saves copying a large document.
 */
export function frontMatterHead(lineAt: (line: number) => string, lineCount: number): string {
  const lines = [lineAt(0)];
  if (!/^\uFEFF?---[ \t]*$/.test(lines[0])) return lines[0];
  for (let i = 1; i < lineCount; i++) {
    const l = lineAt(i);
    lines.push(l);
    if (/^(?:---|\.\.\.)[ \t]*$/.test(l)) break;
  }
  return lines.join('\n');
}

/**
 * A cost and its limit as formatMoney shows them, with more significant digits when they would print the same: a
 * message must never read "¥0.01, over the budget of ¥0.01".
 */
export function moneyOverLimit(amount: number, limit: number, currency: Currency, locale?: string): [string, string] {
  let a = formatMoney(amount, currency, locale);
  let b = formatMoney(limit, currency, locale);
  for (let digits = 3; a === b && digits <= 15; digits++) {
    const f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumSignificantDigits: digits });
    a = f.format(amount);
    b = f.format(limit);
  }
  return [a, b];
}
