// Token and cost budgets for prompt files: parsing budget values, budgets from settings matched by glob, and checking
// a counted text against its budget and the followed models' context windows.
//
// Where a file's budget comes from: each key in its front matter (token-budget, cost-budget, budget-model) overrides
// the same field of the settings budget; among settings entries, the last one whose glob matches the file wins, whole
// (entries are not merged field by field).

// picomatch: the same glob dialect VS Code uses for `files.exclude` and document selectors (`**`, `{a,b}`, `[...]`),
// about 24 KB minified, with no dependencies. The posix entry matches '/'-separated paths on every platform.
import picomatch from 'picomatch/posix';
import type { CostOptions } from '../cost';
import { cost } from '../cost';
import { priceModels } from '../compare';
import type { FrontMatter, TextSpan } from './frontMatter';
import { formatCount } from '../money';
import { findModel } from '../prices/priceTable';
import type { Currency, ModelEntry, TokenizerId } from '../prices/types';
import type { Money } from './budgetValues';

// ---- Budgets from settings ----

/** One entry of the budgets setting. */
export interface BudgetSetting {
  /** Workspace-relative glob, '/'-separated, e.g. "prompts/**". */
  glob: string;
  tokens?: number;
  cost?: number;
  /** Required with `cost`: a bare amount is ambiguous. */
  currency?: Currency;
  /** Model id or alias the budget applies to; the default model when absent. */
  model?: string;
}

export interface BudgetSettingProblem {
  /** Entry index; undefined when the setting as a whole is wrong (not an array). */
  index?: number;
  field?: keyof BudgetSetting;
  message: string;
}

export interface BudgetRule extends BudgetSetting {
  /** Index in the setting, for messages. */
  index: number;
  matches: (path: string) => boolean;
}

export interface BudgetRules {
  /** Valid entries in setting order; an entry with any problem is left out whole. */
  rules: BudgetRule[];
  problems: BudgetSettingProblem[];
}

/** Validates the budgets setting entry by entry; never throws. */
export function parseBudgetSettings(input: unknown): BudgetRules {
  const rules: BudgetRule[] = [];
  const problems: BudgetSettingProblem[] = [];
  if (input === undefined || input === null) return { rules, problems };
  if (!Array.isArray(input)) return { rules, problems: [{ message: `must be an array of { glob, tokens?, cost?, currency?, model? }, got ${describe(input)}` }] };
  input.forEach((entry: unknown, index) => {
    const before = problems.length;
    const problem = (field: keyof BudgetSetting | undefined, message: string) => problems.push({ index, field, message });
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problem(undefined, `must be an object, got ${describe(entry)}`);
      return;
    }
    const e = entry as Record<string, unknown>;
    let matches: ((path: string) => boolean) | undefined;
    if (typeof e.glob !== 'string' || e.glob.trim() === '') problem('glob', `must be a non-empty glob such as "prompts/**", got ${describe(e.glob)}`);
    else {
      try {
        matches = picomatch(e.glob, { dot: true });
      } catch (err) {
        problem('glob', `is not a valid glob: ${(err as Error).message}`);
      }
    }
    if (e.tokens !== undefined && !(Number.isSafeInteger(e.tokens) && (e.tokens as number) > 0)) problem('tokens', `must be a whole number greater than 0, got ${describe(e.tokens)}`);
    if (e.cost !== undefined && !(typeof e.cost === 'number' && Number.isFinite(e.cost) && e.cost > 0)) problem('cost', `must be a number greater than 0, got ${describe(e.cost)}`);
    if (e.currency !== undefined && e.currency !== 'CNY' && e.currency !== 'USD') problem('currency', `must be "CNY" or "USD", got ${describe(e.currency)}`);
    else if (e.cost !== undefined && e.currency === undefined) problem('currency', 'is required with cost: "CNY" or "USD"');
    if (e.model !== undefined && (typeof e.model !== 'string' || e.model.trim() === '')) problem('model', `must be a model id such as "qwen-plus", got ${describe(e.model)}`);
    if (e.tokens === undefined && e.cost === undefined) problem(undefined, 'sets no budget: add tokens or cost');
    if (problems.length > before || !matches) return;
    rules.push({
      index,
      glob: e.glob as string,
      tokens: e.tokens as number | undefined,
      cost: e.cost as number | undefined,
      currency: e.currency as Currency | undefined,
      model: (e.model as string | undefined)?.trim(),
      matches,
    });
  });
  return { rules, problems };
}

/** The last rule whose glob matches a workspace-relative, '/'-separated path. Globs are case-sensitive. */
export function matchBudget(rules: BudgetRules, path: string): BudgetRule | undefined {
  for (let i = rules.rules.length - 1; i >= 0; i--) if (rules.rules[i].matches(path)) return rules.rules[i];
  return undefined;
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'string') return JSON.stringify(x);
  if (Array.isArray(x)) return 'an array';
  if (x === null) return 'null';
  if (typeof x === 'object') return 'an object';
  return String(x);
}

// ---- The effective budget ----

/** Where a limit was set: the front matter (with the value's place), a settings entry, or the command line. */
export type BudgetOrigin = ({ kind: 'front-matter' } & TextSpan) | { kind: 'settings'; index: number; glob: string } | { kind: 'cli' };

export interface Budget {
  tokens?: { limit: number; origin: BudgetOrigin };
  cost?: { limit: Money; origin: BudgetOrigin };
  /** Model id or alias the budget applies to; the default model when absent. */
  model?: string;
}

/** Front matter keys override the settings rule's fields one by one; undefined when neither sets a limit. */
export function effectiveBudget(frontMatter: FrontMatter | undefined, rule: BudgetRule | undefined): Budget | undefined {
  const budget: Budget = {};
  if (rule) {
    const origin: BudgetOrigin = { kind: 'settings', index: rule.index, glob: rule.glob };
    if (rule.tokens !== undefined) budget.tokens = { limit: rule.tokens, origin };
    if (rule.cost !== undefined && rule.currency) budget.cost = { limit: { amount: rule.cost, currency: rule.currency }, origin };
    if (rule.model) budget.model = rule.model;
  }
  const fm = frontMatter;
  if (fm?.tokenBudget) budget.tokens = { limit: fm.tokenBudget.value, origin: { kind: 'front-matter', ...fm.tokenBudget.span } };
  if (fm?.costBudget) budget.cost = { limit: fm.costBudget.value, origin: { kind: 'front-matter', ...fm.costBudget.span } };
  if (fm?.budgetModel) budget.model = fm.budgetModel.value;
  return budget.tokens || budget.cost ? budget : undefined;
}

/** The model a budget applies to: its own `model`, else the default model; undefined when unknown (say so). */
export function budgetModel(budget: Budget | undefined, models: readonly ModelEntry[], defaultModelId: string): ModelEntry | undefined {
  return findModel(models, budget?.model ?? defaultModelId);
}

// ---- Checking ----

export type TokenCounts = ReadonlyMap<TokenizerId, { tokens: number; exact: boolean }>;

interface ViolationBase {
  modelId: string;
  modelName: string;
  /** Input tokens with the model's tokenizer. */
  tokens: number;
  /** False when the count is an estimate (the vendor's tokenizer is not public). */
  exact: boolean;
}

export interface TokenBudgetViolation extends ViolationBase {
  kind: 'token-budget';
  limit: number;
  origin: BudgetOrigin;
}

export interface CostBudgetViolation extends ViolationBase {
  kind: 'cost-budget';
  /** Total cost (input and assumed output) in the budget's currency. */
  cost: number;
  limit: number;
  currency: Currency;
  /** True when the cost was converted from the model's other-currency list. */
  converted: boolean;
  origin: BudgetOrigin;
}

export interface ContextViolation extends ViolationBase {
  kind: 'context';
  contextWindow: number;
}

export type BudgetViolation = TokenBudgetViolation | CostBudgetViolation | ContextViolation;

/**
 * Checks counted text against a budget on `model` (token and cost limits) and against each followed model's context
 * window. Costs are totals (input plus the assumed output tokens of `options`) in the budget's currency, converted
 * with the exchange rate when the model has no list in it. A limit is exceeded only when strictly above it; a model
 * without a current price list is not cost-checked; models whose tokenizer has no count are skipped.
 */
export function checkBudget(budget: Budget | undefined, model: ModelEntry | undefined, counts: TokenCounts, followed: readonly ModelEntry[], options: CostOptions): BudgetViolation[] {
  const out: BudgetViolation[] = [];
  const count = model && counts.get(model.tokenizer);
  if (budget && model && count) {
    const base = { modelId: model.id, modelName: model.name, tokens: count.tokens, exact: count.exact };
    if (budget.tokens && count.tokens > budget.tokens.limit) out.push({ kind: 'token-budget', ...base, limit: budget.tokens.limit, origin: budget.tokens.origin });
    if (budget.cost) {
      const { amount, currency } = budget.cost.limit;
      const c = cost(count.tokens, model, { ...options, currency });
      if (c && above(c.totalCost, amount)) out.push({ kind: 'cost-budget', ...base, cost: c.totalCost, limit: amount, currency, converted: c.converted, origin: budget.cost.origin });
    }
  }
  for (const m of followed) {
    const c = counts.get(m.tokenizer);
    if (c && c.tokens > m.contextWindow) out.push({ kind: 'context', modelId: m.id, modelName: m.name, tokens: c.tokens, exact: c.exact, contextWindow: m.contextWindow });
  }
  return out;
}

/** Float sums carry binary noise (0.010000000000000002); twelve significant digits keep every real digit. */
function above(actual: number, limit: number): boolean {
  return Number(actual.toPrecision(12)) > limit;
}

/**
 * Ids of the models with a current price whose context window the text fits and which are within the budget's token
 * and cost limits (each model with its own token count), cheapest first in `options`' currency.
 */
export function cheapestThatFit(counts: TokenCounts, models: readonly ModelEntry[], options: CostOptions, budget?: Budget): string[] {
  return priceModels(counts, models, options)
    .filter((r) => {
      if (r.tokens > r.model.contextWindow) return false;
      if (budget?.tokens && r.tokens > budget.tokens.limit) return false;
      if (budget?.cost) {
        const { amount, currency } = budget.cost.limit;
        const total = r.cost.currency === currency ? r.cost.totalCost : cost(r.tokens, r.model, { ...options, currency })?.totalCost;
        if (total === undefined || above(total, amount)) return false;
      }
      return true;
    })
    .map((r) => r.model.id);
}

const moneyFormat = new Map<Currency, Intl.NumberFormat>();

/** Six significant digits: enough that an amount just over a limit never prints equal to it. */
function money(amount: number, currency: Currency): string {
  let f = moneyFormat.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumSignificantDigits: 6 });
    moneyFormat.set(currency, f);
  }
  return f.format(amount);
}

/** An English sentence for the CLI; the extension formats its own, localised, from the same fields. */
export function describeViolation(v: BudgetViolation): string {
  const model = `${v.modelName} (${v.modelId})`;
  const tokens = `${v.exact ? '' : '≈'}${formatCount(v.tokens, 'en-US')} tokens`;
  const basis = v.exact ? 'exact count' : 'estimated count';
  switch (v.kind) {
    case 'token-budget':
      return `${tokens} on ${model}, over the token budget of ${formatCount(v.limit, 'en-US')} (${basis})`;
    case 'cost-budget':
      return `${money(v.cost, v.currency)} on ${model}, over the cost budget of ${money(v.limit, v.currency)} (${tokens}, ${basis}${v.converted ? ', converted at the exchange rate' : ''})`;
    case 'context':
      return `${tokens} do not fit the context window of ${model}, ${formatCount(v.contextWindow, 'en-US')} tokens (${basis})`;
  }
}
