// Budgets on the command line: each counted file checked against --max-tokens/--max-cost and its own front matter
// budget; the violations and front matter problems collected, printed (text or --json), and turned into the exit status.
import type { Budget, BudgetViolation } from '../core/budgets/budgets';
import { budgetModel, checkBudget, describeViolation, effectiveBudget } from '../core/budgets/budgets';
import type { Money } from '../core/budgets/budgetValues';
import type { TextSpan } from '../core/budgets/frontMatter';
import { parseFrontMatter } from '../core/budgets/frontMatter';
import type { CostOptions } from '../core/cost';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { CliIo } from './io';
import { EXIT_OVER_BUDGET } from './io';
import { printable, round } from './render';

interface LoggedViolation {
  path: string;
  violation: BudgetViolation;
}

interface FrontMatterError {
  path: string;
  span: TextSpan;
  message: string;
}

/** Checks each file against the command-line limits and its own front matter budget, and reports the outcome. */
export class BudgetLog {
  private readonly violations: LoggedViolation[] = [];
  private readonly problems: FrontMatterError[] = [];
  private checked = 0;

  constructor(
    private readonly table: readonly ModelEntry[],
    private readonly defaultModelId: string,
    private readonly limits: Budget,
    private readonly options: CostOptions,
  ) {}

  private get hasLimits(): boolean {
    return this.limits.tokens !== undefined || this.limits.cost !== undefined;
  }

  /**
   * `counts` may gain the front matter model's tokenizer, counted by `count` the way the file's other counts were (a
   * chat file as chat); `reported` are the models the command line limits apply to.
   */
  checkFile(path: string, text: string, counts: Map<TokenizerId, TokenCount>, reported: readonly ModelEntry[], count: (id: TokenizerId) => TokenCount): void {
    let checked = false;
    if (this.hasLimits && reported.length) {
      checked = true;
      for (const m of reported) for (const violation of checkBudget(this.limits, m, counts, [], this.options)) this.violations.push({ path, violation });
    }
    const fm = parseFrontMatter(text);
    for (const p of fm.problems) this.problems.push({ path, span: p.span, message: p.message });
    const budget = effectiveBudget(fm, undefined);
    if (budget) {
      const model = budgetModel(budget, this.table, this.defaultModelId);
      if (!model) {
        const span = fm.budgetModel?.span ?? fm.tokenBudget?.span ?? fm.costBudget?.span;
        this.problems.push({ path, span: span as TextSpan, message: `budget-model: unknown model "${budget.model ?? this.defaultModelId}"; its budget is not checked` });
      } else {
        checked = true;
        if (!counts.has(model.tokenizer)) counts.set(model.tokenizer, count(model.tokenizer));
        for (const violation of checkBudget(budget, model, counts, [], this.options)) this.violations.push({ path, violation });
      }
    }
    if (checked) this.checked++;
  }

  reportProblems(io: Pick<CliIo, 'stderr'>): void {
    for (const p of this.problems) io.stderr(`token-cost: ${printable(p.path)}:${p.span.line + 1}:${p.span.start + 1}: ${p.message}\n`);
  }

  /** The exit status: `fileStatus` (1 when a file could not be read) and front matter problems win over budgets. */
  status(fileStatus: number): number {
    if (fileStatus || this.problems.length) return 1;
    return this.violations.length ? EXIT_OVER_BUDGET : 0;
  }

  /** Nothing when no budget applied to any file. */
  render(): string {
    if (this.checked === 0) return '';
    const files = `${this.checked} file${this.checked === 1 ? '' : 's'} checked`;
    if (this.violations.length === 0) return `Budget: within every limit (${files}).\n`;
    const lines = this.violations.map(({ path, violation }) => `  ${printable(path)}: ${describeViolation(violation)} [${this.originLabel(violation)}]\n`);
    return `Over budget (${this.violations.length}, ${files}):\n${lines.join('')}`;
  }

  private originLabel(v: BudgetViolation): string {
    if (v.kind === 'context') return 'context window';
    const o = v.origin;
    if (o.kind === 'front-matter') return `front matter, line ${o.line + 1}`;
    if (o.kind === 'settings') return `settings, entry ${o.index}`;
    return v.kind === 'token-budget' ? '--max-tokens' : '--max-cost';
  }

  /** The `budget` section of --json output; absent when no budget applied and no front matter was wrong. */
  json(): { budget?: unknown } {
    if (this.checked === 0 && this.problems.length === 0) return {};
    const money = (m: Money | undefined) => m && { amount: m.amount, currency: m.currency };
    return {
      budget: {
        maxTokens: this.limits.tokens?.limit ?? null,
        maxCost: money(this.limits.cost?.limit) ?? null,
        checked: this.checked,
        violations: this.violations.map(({ path, violation: v }) => ({
          path,
          kind: v.kind,
          model: v.modelId,
          tokens: v.tokens,
          exact: v.exact,
          ...(v.kind === 'token-budget' ? { limit: v.limit } : {}),
          ...(v.kind === 'cost-budget' ? { cost: round(v.cost), limit: v.limit, currency: v.currency, converted: v.converted } : {}),
          ...(v.kind === 'context' ? {} : source(v)),
        })),
        problems: this.problems.map((p) => ({ path: p.path, line: p.span.line + 1, column: p.span.start + 1, message: p.message })),
      },
    };
  }
}

/** Where a violated limit was set, for --json: `max-tokens`, `max-cost`, `settings`, or `front-matter` with its place. */
function source(v: Exclude<BudgetViolation, { kind: 'context' }>): { source: string; line?: number; column?: number } {
  const o = v.origin;
  if (o.kind === 'front-matter') return { source: 'front-matter', line: o.line + 1, column: o.start + 1 };
  if (o.kind === 'settings') return { source: 'settings' };
  return { source: v.kind === 'token-budget' ? 'max-tokens' : 'max-cost' };
}
