import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkPlan, frontMatterHead, moneyOverLimit, planBudget } from '../../../../src/core/budgets/findings';
import type { Finding, PlanInput } from '../../../../src/core/budgets/findings';
import { parseBudgetSettings } from '../../../../src/core/budgets/budgets';
import type { CostOptions } from '../../../../src/core/cost';
import { cost } from '../../../../src/core/cost';
import { formatMoney } from '../../../../src/core/money';
import { defaultModels, findModel } from '../../../../src/core/prices/priceTable';
import type { TokenizerId } from '../../../../src/core/prices/types';

const models = defaultModels();
const qwen = findModel(models, 'qwen-plus')!;
const gpt = findModel(models, 'gpt-4o')!;
const options: CostOptions = { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 };
const noRules = parseBudgetSettings(undefined);

function input(text: string, over: Partial<PlanInput> = {}): PlanInput {
  const lines = text.split('\n');
  return {
    head: frontMatterHead((i) => lines[i], lines.length),
    path: 'prompts/a.prompt.md',
    rules: noRules,
    models,
    defaultModelId: 'qwen-plus',
    followed: [qwen],
    firstLineLength: lines[0].length,
    ...over,
  };
}

const counts = (entries: [TokenizerId, number, boolean?][]) => new Map(entries.map(([t, tokens, exact = true]) => [t, { tokens, exact }]));

test('a front matter token budget is flagged on its value, with the count and the limit', () => {
  const text = '---\ntoken-budget: 10\n---\nBody';
  const plan = planBudget(input(text));
  assert.equal(plan.model?.id, 'qwen-plus');
  assert.deepEqual(plan.tokenizers, ['qwen']);
  const findings = checkPlan(plan, counts([['qwen', 11]]), [qwen], options);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(f.kind, 'violation');
  assert.deepEqual(f.span, { line: 1, start: 14, end: 16 });
  assert.equal(text.split('\n')[1].slice(f.span.start, f.span.end), '10');
  if (f.kind === 'violation' && f.violation.kind === 'token-budget') {
    assert.equal(f.violation.tokens, 11);
    assert.equal(f.violation.limit, 10);
  } else assert.fail('a token-budget violation');
  assert.deepEqual(checkPlan(plan, counts([['qwen', 10]]), [qwen], options), [], 'exactly at the budget is within it');
});

test('a settings cost budget (matched by path) is flagged on the whole first line, on the budget model', () => {
  const rules = parseBudgetSettings([
    { glob: 'prompts/**', tokens: 1_000_000 },
    { glob: 'prompts/*.md', cost: 0.0001, currency: 'USD', model: 'gpt-4o' },
  ]);
  const text = 'First line of the prompt\nsecond';
  const plan = planBudget(input(text, { rules }));
  assert.equal(plan.model?.id, 'gpt-4o');
  assert.deepEqual(plan.tokenizers, ['o200k_base', 'qwen'], 'the budget model and the followed models');
  // 50 o200k tokens on GPT-4o: its USD list, no conversion.
  const expected = cost(50, gpt, { ...options, currency: 'USD' })!.totalCost;
  const findings = checkPlan(plan, counts([['o200k_base', 50], ['qwen', 60]]), [qwen], options);
  assert.ok(expected > 0.0001, `50 tokens on GPT-4o cost ${expected} USD`);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.deepEqual(f.span, { line: 0, start: 0, end: text.indexOf('\n') });
  if (f.kind === 'violation' && f.violation.kind === 'cost-budget') {
    assert.equal(f.violation.currency, 'USD');
    assert.equal(f.violation.cost, expected);
    assert.deepEqual(f.violation.origin, { kind: 'settings', index: 1, glob: 'prompts/*.md' });
  } else assert.fail('a cost-budget violation');
  // Another path, another rule: the first one, on the default model, which the count meets.
  const other = planBudget(input(text, { rules, path: 'prompts/deeper/b.txt' }));
  assert.equal(other.model?.id, 'qwen-plus');
  assert.deepEqual(checkPlan(other, counts([['qwen', 60]]), [qwen], options), []);
  // Outside any workspace folder only front matter applies.
  assert.equal(planBudget(input(text, { rules, path: undefined })).budget, undefined);
});

test('front matter overrides the settings entry field by field, and its value carries the diagnostic', () => {
  const rules = parseBudgetSettings([{ glob: '**', tokens: 5, cost: 1, currency: 'CNY' }]);
  const plan = planBudget(input('---\ncost-budget: ¥0.000001\n---\nx', { rules }));
  const findings = checkPlan(plan, counts([['qwen', 100]]), [], options);
  const kinds = findings.map((f) => (f.kind === 'violation' ? `${f.violation.kind}@${f.span.line}:${f.span.start}` : f.kind));
  assert.deepEqual(kinds, ['token-budget@0:0', 'cost-budget@1:13']);
});

test('context windows of the followed models: on the first line, even without a budget', () => {
  const plan = planBudget(input('line one\nline two'));
  assert.equal(plan.budget, undefined);
  assert.deepEqual(plan.tokenizers, ['qwen']);
  const findings = checkPlan(plan, counts([['qwen', qwen.contextWindow + 1, false]]), [qwen], options);
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.deepEqual(f.span, { line: 0, start: 0, end: 8 });
  assert.ok(f.kind === 'violation' && f.violation.kind === 'context' && f.violation.exact === false && f.violation.contextWindow === qwen.contextWindow);
});

test('invalid front matter values and an unknown budget model are findings before any count', () => {
  const text = '---\ntoken-budget: 4.5\ncost-budget: 0.01\n---\nx';
  const plan = planBudget(input(text));
  const fm = plan.findings.filter((f): f is Extract<Finding, { kind: 'front-matter' }> => f.kind === 'front-matter');
  assert.equal(fm.length, 2);
  assert.deepEqual(fm[0].span, { line: 1, start: 14, end: 17 });
  assert.match(fm[0].message, /^token-budget: must be a whole number/);
  assert.match(fm[1].message, /^cost-budget: needs a currency/);
  assert.equal(plan.budget, undefined, 'nothing valid, no budget');

  const unknown = planBudget(input('---\ntoken-budget: 100\nbudget-model: no-such-model\n---\n'));
  assert.deepEqual(unknown.findings, [{ kind: 'unknown-model', model: 'no-such-model', span: { line: 2, start: 14, end: 27 } }]);
  assert.equal(unknown.model, undefined);
  assert.deepEqual(unknown.tokenizers, ['qwen'], 'still counted for the context windows');
  assert.deepEqual(checkPlan(unknown, counts([['qwen', 1_000]]), [qwen], options), unknown.findings, 'the budget is not checked');
  // A settings model nobody knows: on the first line.
  const rules = parseBudgetSettings([{ glob: '**', tokens: 1, model: 'gone' }]);
  assert.deepEqual(planBudget(input('abc', { rules })).findings, [{ kind: 'unknown-model', model: 'gone', span: { line: 0, start: 0, end: 3 } }]);
});

test('frontMatterHead: through the closing fence only; the first line when there is no front matter', () => {
  const read = (text: string) => {
    const lines = text.split('\n');
    let asked = 0;
    const head = frontMatterHead((i) => {
      asked = Math.max(asked, i + 1);
      return lines[i];
    }, lines.length);
    return { head, asked };
  };
  assert.deepEqual(read('---\na: 1\n---\nbody\nmore'), { head: '---\na: 1\n---', asked: 3 });
  assert.deepEqual(read('---\na: 1\n...\nbody'), { head: '---\na: 1\n...', asked: 3 });
  assert.deepEqual(read('body\n---\nmore'), { head: 'body', asked: 1 });
  assert.deepEqual(read('---\ntoken-budget: 3\nno end'), { head: '---\ntoken-budget: 3\nno end', asked: 3 });
  // Reading the head finds exactly the front matter parsing the whole text finds.
  fc.assert(
    fc.property(fc.array(fc.constantFrom('---', '...', 'token-budget: 7', 'cost-budget: $1', 'x: y', 'body', ''), { maxLength: 8 }), (lines) => {
      const text = lines.join('\n');
      const plan = planBudget(input(text));
      const whole = planBudget({ ...input(text), head: text });
      assert.deepEqual(plan.frontMatter, whole.frontMatter);
    }),
  );
});

test('moneyOverLimit: formatMoney, with more digits only when the two would read the same', () => {
  assert.deepEqual(moneyOverLimit(0.05, 0.01, 'CNY', 'en'), [formatMoney(0.05, 'CNY', 'en'), formatMoney(0.01, 'CNY', 'en')]);
  assert.deepEqual(moneyOverLimit(0.0100004, 0.01, 'CNY', 'en'), ['¥0.0100004', '¥0.01']);
  assert.deepEqual(moneyOverLimit(1.004, 1, 'USD', 'en'), ['$1.004', '$1']);
  fc.assert(
    fc.property(fc.double({ min: 1e-9, max: 1e6, noNaN: true }), fc.double({ min: 1e-12, max: 1, noNaN: true }), (limit, over) => {
      const amount = limit * (1 + over);
      fc.pre(Number(amount.toPrecision(12)) > limit);
      const [a, b] = moneyOverLimit(amount, limit, 'CNY', 'en');
      assert.notEqual(a, b);
    }),
  );
});
