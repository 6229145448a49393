import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Budget } from '../../../../src/core/budgets/budgets';
import { budgetModel, cheapestThatFit, checkBudget, describeViolation, effectiveBudget, matchBudget, parseBudgetSettings } from '../../../../src/core/budgets/budgets';
import { parseCostBudget, parseTokenBudget } from '../../../../src/core/budgets/budgetValues';
import type { CostOptions } from '../../../../src/core/cost';
import { parseFrontMatter } from '../../../../src/core/budgets/frontMatter';
import { defaultModels } from '../../../../src/core/prices/priceTable';
import type { ModelEntry, TokenizerId } from '../../../../src/core/prices/types';

function model(id: string, tokenizer: TokenizerId, contextWindow: number, prices: ModelEntry['prices']): ModelEntry {
  return { id, vendor: 'V', name: id.toUpperCase(), tokenizer, contextWindow, prices };
}
const list = (currency: 'CNY' | 'USD', input: number, output: number) => ({ currency, input, output, effectiveDate: '2026-01-01', source: 'test' });

// CNY 2 / 8 per 1M; USD-only 1 / 4 per 1M; a tiny context window; a retired model.
const cny = model('cny-model', 'qwen', 100_000, [list('CNY', 2, 8)]);
const usd = model('usd-model', 'o200k_base', 100_000, [list('USD', 1, 4)]);
const small = model('small-model', 'qwen', 4096, [list('CNY', 0.1, 0.1)]);
const retired = model('retired', 'qwen', 100_000, []);
const options: CostOptions = { currency: 'CNY', exchangeRate: 7, outputTokens: 100 };

test('parseTokenBudget and parseCostBudget (the CLI takes a default currency)', () => {
  assert.deepEqual(parseTokenBudget(' 4_000 '), { ok: true, value: 4000 });
  assert.equal(parseTokenBudget('1e3').ok, false);
  assert.deepEqual(parseCostBudget('0.01', 'USD'), { ok: true, value: { amount: 0.01, currency: 'USD' } });
  assert.deepEqual(parseCostBudget('¥0.01', 'USD'), { ok: true, value: { amount: 0.01, currency: 'CNY' } }, 'a written currency wins over the default');
  const bare = parseCostBudget('0.01');
  assert.equal(bare.ok, false);
  assert.match((bare as { message: string }).message, /needs a currency/);
});

test('settings: valid entries kept in order, each problem names the entry and the field', () => {
  const r = parseBudgetSettings([
    { glob: 'prompts/**', tokens: 4000 },
    { glob: '', tokens: 1 },
    { glob: '**/*.md', cost: 0.01 },
    { glob: '**/*.md', cost: -1, currency: 'EUR', tokens: 1.5 },
    'nope',
    { glob: 'x/**' },
    { glob: 'zh/**', cost: 0.5, currency: 'USD', model: ' gpt-4o ' },
    { glob: 'y/**', tokens: 10, model: '' },
  ]);
  assert.deepEqual(
    r.rules.map((x) => ({ index: x.index, glob: x.glob, tokens: x.tokens, cost: x.cost, currency: x.currency, model: x.model })),
    [
      { index: 0, glob: 'prompts/**', tokens: 4000, cost: undefined, currency: undefined, model: undefined },
      { index: 6, glob: 'zh/**', tokens: undefined, cost: 0.5, currency: 'USD', model: 'gpt-4o' },
    ],
  );
  assert.deepEqual(
    r.problems.map((p) => [p.index, p.field]),
    [
      [1, 'glob'],
      [2, 'currency'],
      [3, 'tokens'],
      [3, 'cost'],
      [3, 'currency'],
      [4, undefined],
      [5, undefined],
      [7, 'model'],
    ],
  );
  assert.match(r.problems[1].message, /required with cost/);
  assert.match(r.problems[3].message, /greater than 0, got -1/);
  assert.match(r.problems[6].message, /sets no budget/);
  assert.deepEqual(parseBudgetSettings(undefined), { rules: [], problems: [] });
  const notArray = parseBudgetSettings({ glob: 'x' });
  assert.equal(notArray.rules.length, 0);
  assert.equal(notArray.problems[0].index, undefined);
  assert.match(notArray.problems[0].message, /must be an array/);
});

test('property: settings validation never throws', () => {
  fc.assert(
    fc.property(fc.anything(), fc.array(fc.record({ glob: fc.anything(), tokens: fc.anything(), cost: fc.anything(), currency: fc.anything(), model: fc.anything() }, { requiredKeys: [] })), (any, entries) => {
      parseBudgetSettings(any);
      const r = parseBudgetSettings(entries);
      for (const rule of r.rules) assert.ok(rule.tokens !== undefined || rule.cost !== undefined);
    }),
    { numRuns: 300 },
  );
});

test('globs match as in VS Code: ** spans folders, dot files included, case-sensitive; the last match wins', () => {
  const r = parseBudgetSettings([
    { glob: '**/*.prompt', tokens: 1 },
    { glob: 'prompts/**', tokens: 2 },
    { glob: 'prompts/zh/*.{md,txt}', tokens: 3 },
  ]);
  const limit = (path: string) => matchBudget(r, path)?.tokens;
  assert.equal(limit('a.prompt'), 1);
  assert.equal(limit('.github/x.prompt'), 1);
  assert.equal(limit('deep/er/x.prompt'), 1);
  assert.equal(limit('prompts/x.prompt'), 2, 'a later entry wins');
  assert.equal(limit('prompts/zh/a.md'), 3);
  assert.equal(limit('prompts/zh/deeper/a.md'), 2);
  assert.equal(limit('x/prompts/a.md'), undefined);
  assert.equal(limit('PROMPTS/a.md'), undefined);
  assert.equal(limit('a.PROMPT'), undefined);
});

test('effective budget: each front matter key overrides that field of the settings entry', () => {
  const r = parseBudgetSettings([{ glob: '**', tokens: 100, cost: 0.5, currency: 'USD', model: 'gpt-4o' }]);
  const rule = matchBudget(r, 'a.md');
  const fromSettings = effectiveBudget(undefined, rule);
  assert.deepEqual(fromSettings, {
    tokens: { limit: 100, origin: { kind: 'settings', index: 0, glob: '**' } },
    cost: { limit: { amount: 0.5, currency: 'USD' }, origin: { kind: 'settings', index: 0, glob: '**' } },
    model: 'gpt-4o',
  });
  const fm = parseFrontMatter('---\ntoken-budget: 50\nbudget-model: qwen-plus\n---\n');
  const both = effectiveBudget(fm, rule);
  assert.deepEqual(both?.tokens, { limit: 50, origin: { kind: 'front-matter', line: 1, start: 14, end: 16 } });
  assert.equal(both?.cost?.limit.amount, 0.5, 'the settings cost still applies');
  assert.equal(both?.model, 'qwen-plus');
  // budget-model alone moves the settings budget to that model.
  assert.equal(effectiveBudget(parseFrontMatter('---\nbudget-model: x\n---'), rule)?.model, 'x');
  assert.equal(effectiveBudget(parseFrontMatter('---\nbudget-model: x\n---'), undefined), undefined, 'a model without a limit is no budget');
  assert.equal(effectiveBudget(undefined, undefined), undefined);
});

test('budgetModel: the budget’s model (id or alias), else the default', () => {
  const models = defaultModels();
  assert.equal(budgetModel(undefined, models, 'qwen-plus')?.id, 'qwen-plus');
  assert.equal(budgetModel({ model: 'GPT-4o' }, models, 'qwen-plus')?.id, 'gpt-4o');
  assert.equal(budgetModel({ model: 'no-such' }, models, 'qwen-plus'), undefined);
});

const cli = { kind: 'cli' } as const;

test('checkBudget: token and cost limits on the budget model, with the numbers for a message', () => {
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>([['qwen', { tokens: 5000, exact: true }]]);
  // 5000 × 2 / 1M + 100 × 8 / 1M = 0.0108 CNY.
  const budget: Budget = { tokens: { limit: 4999, origin: cli }, cost: { limit: { amount: 0.01, currency: 'CNY' }, origin: cli } };
  const v = checkBudget(budget, cny, counts, [], options);
  assert.equal(v.length, 2);
  assert.deepEqual(v[0], { kind: 'token-budget', modelId: 'cny-model', modelName: 'CNY-MODEL', tokens: 5000, exact: true, limit: 4999, origin: cli });
  assert.equal(v[1].kind, 'cost-budget');
  if (v[1].kind !== 'cost-budget') return;
  assert.ok(Math.abs(v[1].cost - 0.0108) < 1e-15);
  assert.equal(v[1].limit, 0.01);
  assert.equal(v[1].currency, 'CNY');
  assert.equal(v[1].converted, false);
  // Exactly at the limits is within them.
  assert.deepEqual(checkBudget({ tokens: { limit: 5000, origin: cli }, cost: { limit: { amount: 0.0108, currency: 'CNY' }, origin: cli } }, cny, counts, [], options), []);
});

test('checkBudget: a cost budget in another currency converts at the exchange rate; estimates are flagged', () => {
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>([['o200k_base', { tokens: 5000, exact: false }]]);
  // USD: 5000 × 1 / 1M + 100 × 4 / 1M = 0.0054 USD = 0.0378 CNY at 7.
  const v = checkBudget({ cost: { limit: { amount: 0.03, currency: 'CNY' }, origin: cli } }, usd, counts, [], options);
  assert.equal(v.length, 1);
  const c = v[0];
  assert.equal(c.kind, 'cost-budget');
  if (c.kind !== 'cost-budget') return;
  assert.ok(Math.abs(c.cost - 0.0378) < 1e-15, String(c.cost));
  assert.equal(c.converted, true);
  assert.equal(c.exact, false);
  // The same budget in USD is compared in USD, whatever the display currency.
  const inUsd = checkBudget({ cost: { limit: { amount: 0.005, currency: 'USD' }, origin: cli } }, usd, counts, [], options);
  assert.equal(inUsd.length, 1);
  if (inUsd[0].kind === 'cost-budget') assert.ok(Math.abs(inUsd[0].cost - 0.0054) < 1e-15);
  assert.equal(checkBudget({ cost: { limit: { amount: 0.0054, currency: 'USD' }, origin: cli } }, usd, counts, [], options).length, 0);
});

test('checkBudget: binary noise in a sum does not break a budget it meets', () => {
  // 1 token at 100,000 per 1M = 0.1, 1 output token at 200,000 per 1M = 0.2: 0.1 + 0.2 = 0.30000000000000004.
  const odd = model('odd', 'qwen', 100, [list('CNY', 100_000, 200_000)]);
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>([['qwen', { tokens: 1, exact: true }]]);
  const o: CostOptions = { currency: 'CNY', exchangeRate: 7, outputTokens: 1 };
  assert.equal(checkBudget({ cost: { limit: { amount: 0.3, currency: 'CNY' }, origin: cli } }, odd, counts, [], o).length, 0);
  assert.equal(checkBudget({ cost: { limit: { amount: 0.2999, currency: 'CNY' }, origin: cli } }, odd, counts, [], o).length, 1);
});

test('checkBudget: context windows of the followed models; models without a count or a price are skipped', () => {
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>([['qwen', { tokens: 5000, exact: true }]]);
  const v = checkBudget(undefined, undefined, counts, [cny, small, usd], options);
  assert.deepEqual(v, [{ kind: 'context', modelId: 'small-model', modelName: 'SMALL-MODEL', tokens: 5000, exact: true, contextWindow: 4096 }]);
  assert.deepEqual(checkBudget({ cost: { limit: { amount: 0.0001, currency: 'CNY' }, origin: cli } }, retired, counts, [], options), [], 'no price, no cost check');
  assert.deepEqual(checkBudget({ tokens: { limit: 1, origin: cli } }, usd, counts, [], options), [], 'no o200k count');
});

test('cheapestThatFit: fits the context window and the budget, cheapest first', () => {
  const mid = model('mid-model', 'qwen', 100_000, [list('CNY', 1, 1)]);
  const counts = new Map<TokenizerId, { tokens: number; exact: boolean }>([
    ['qwen', { tokens: 5000, exact: true }],
    ['o200k_base', { tokens: 4000, exact: true }],
  ]);
  const all = [cny, usd, small, mid, retired];
  // Totals in CNY: mid 0.0051, cny 0.0108, usd (4000 + 400)/1M × 7 = 0.0308; small is over its context window;
  // retired has no price.
  assert.deepEqual(cheapestThatFit(counts, all, options), ['mid-model', 'cny-model', 'usd-model']);
  assert.deepEqual(cheapestThatFit(counts, all, options, { tokens: { limit: 4500, origin: cli } }), ['usd-model'], 'each model with its own count');
  assert.deepEqual(cheapestThatFit(counts, all, options, { cost: { limit: { amount: 0.011, currency: 'CNY' }, origin: cli } }), ['mid-model', 'cny-model']);
  // 0.0108 CNY is 0.00154 USD at 7; a USD budget of 0.0015 leaves only mid (0.000729 USD).
  assert.deepEqual(cheapestThatFit(counts, all, options, { cost: { limit: { amount: 0.0015, currency: 'USD' }, origin: cli } }), ['mid-model']);
});

test('describeViolation: English sentences with the numbers', () => {
  const base = { modelId: 'qwen-plus', modelName: 'Qwen Plus', tokens: 5200, exact: false };
  assert.equal(describeViolation({ kind: 'token-budget', ...base, limit: 4000, origin: cli }), '≈5,200 tokens on Qwen Plus (qwen-plus), over the token budget of 4,000 (estimated count)');
  assert.equal(
    describeViolation({ kind: 'cost-budget', ...base, exact: true, cost: 0.0100001, limit: 0.01, currency: 'CNY', converted: true, origin: cli }),
    '¥0.0100001 on Qwen Plus (qwen-plus), over the cost budget of ¥0.01 (5,200 tokens, exact count, converted at the exchange rate)',
  );
  assert.equal(describeViolation({ kind: 'context', ...base, exact: true, contextWindow: 4096 }), '5,200 tokens do not fit the context window of Qwen Plus (qwen-plus), 4,096 tokens (exact count)');
});
