import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFrontMatter } from '../../../../src/core/budgets/frontMatter';
import type { TextSpan } from '../../../../src/core/budgets/frontMatter';

/** The text a span covers, on the text's own lines (split as VS Code splits them). */
function at(text: string, span: TextSpan): string {
  return text.split(/\r\n|\r|\n/)[span.line].slice(span.start, span.end);
}

test('values with their exact places; BOM, CRLF and a "..." closing fence', () => {
  const text = '\uFEFF---\r\ntitle: Rewrite\r\ntoken-budget: 4,000  # hard cap\r\ncost-budget: "¥0.01"\r\nbudget-model: gpt-4o\r\n...\r\nBody text\r\n';
  const fm = parseFrontMatter(text);
  assert.deepEqual(fm.problems, []);
  assert.equal(fm.endLine, 5);
  assert.equal(fm.tokenBudget?.value, 4000);
  assert.deepEqual(fm.tokenBudget?.span, { line: 2, start: 14, end: 19 });
  assert.deepEqual(fm.tokenBudget?.keySpan, { line: 2, start: 0, end: 12 });
  assert.deepEqual(fm.costBudget?.value, { amount: 0.01, currency: 'CNY' });
  assert.deepEqual(fm.costBudget?.span, { line: 3, start: 13, end: 20 });
  assert.equal(at(text, fm.costBudget!.span), '"¥0.01"');
  assert.equal(fm.budgetModel?.value, 'gpt-4o');
  assert.deepEqual(fm.budgetModel?.span, { line: 4, start: 14, end: 20 });
});

test('no front matter: nothing, and no problems', () => {
  for (const text of ['', 'token-budget: 5', '\n---\ntoken-budget: 5\n---\n', '----\ntoken-budget: 5\n----\n', '--- yaml\ntoken-budget: 5\n---\n', 'Intro\n---\ntoken-budget: 5\n---']) {
    const fm = parseFrontMatter(text);
    assert.deepEqual(fm, { problems: [] }, JSON.stringify(text));
  }
});

test('token budgets: plain, grouped by commas or underscores, quoted; everything else is a problem on the value', () => {
  const ok: [string, number][] = [
    ['4000', 4000],
    ['4_000', 4000],
    ['1,234,567', 1234567],
    ["'4000'", 4000],
    ['"12"', 12],
    ['+7', 7],
  ];
  for (const [written, expected] of ok) {
    const fm = parseFrontMatter(`---\ntoken-budget: ${written}\n---\n`);
    assert.deepEqual(fm.problems, [], written);
    assert.equal(fm.tokenBudget?.value, expected, written);
  }
  const bad: [string, RegExp][] = [
    ['0', /greater than 0/],
    ['-5', /greater than 0/],
    ['4.5', /whole number/],
    ['4,00', /such as 4000, 4,000 or 4_000/],
    ['4k', /such as 4000/],
    ['99999999999999999999', /too large/],
    ['[4000]', /such as 4000/],
  ];
  for (const [written, message] of bad) {
    const text = `---\ntoken-budget: ${written}\n---\n`;
    const fm = parseFrontMatter(text);
    assert.equal(fm.tokenBudget, undefined, written);
    assert.equal(fm.problems.length, 1, written);
    assert.match(fm.problems[0].message, /^token-budget: /);
    assert.match(fm.problems[0].message, message, written);
    assert.equal(fm.problems[0].key, 'token-budget');
    assert.equal(at(text, fm.problems[0].span), written);
  }
});

test('cost budgets need a currency, written as a code or a sign, before or after', () => {
  const ok: [string, number, string][] = [
    ['0.01 CNY', 0.01, 'CNY'],
    ['0.01CNY', 0.01, 'CNY'],
    ['CNY 0.01', 0.01, 'CNY'],
    ['¥0.01', 0.01, 'CNY'],
    ['￥0.02', 0.02, 'CNY'],
    ['0.01元', 0.01, 'CNY'],
    ['0.5 rmb', 0.5, 'CNY'],
    ['$0.5', 0.5, 'USD'],
    ['0.5 usd', 0.5, 'USD'],
    ['US$1,000.50', 1000.5, 'USD'],
    ['$ .25 USD', 0.25, 'USD'],
  ];
  for (const [written, amount, currency] of ok) {
    const fm = parseFrontMatter(`---\ncost-budget: ${written}\n---`);
    assert.deepEqual(fm.problems, [], written);
    assert.deepEqual(fm.costBudget?.value, { amount, currency }, written);
  }
  const bad: [string, RegExp][] = [
    ['0.01', /needs a currency: write "0\.01 CNY" or "0\.01 USD"/],
    ['0.01 EUR', /CNY or USD \(or ¥, \$\), got "EUR"/],
    ['¥0.01 USD', /two currencies/],
    ['0 CNY', /greater than 0/],
    ['-1 USD', /greater than 0/],
    ['0,01 CNY', /amount such as/],
    ['cheap', /amount with its currency/],
  ];
  for (const [written, message] of bad) {
    const text = `---\ncost-budget: ${written}\n---`;
    const fm = parseFrontMatter(text);
    assert.equal(fm.costBudget, undefined, written);
    assert.equal(fm.problems.length, 1, written);
    assert.match(fm.problems[0].message, message, written);
    assert.equal(at(text, fm.problems[0].span), written);
  }
});

test('comments, quotes and escapes', () => {
  const text = [
    '---',
    '# a comment line',
    'budget-model: "gpt-4o # not a comment" # a comment',
    "title: 'it''s'",
    '---',
  ].join('\n');
  const fm = parseFrontMatter(text);
  assert.deepEqual(fm.problems, []);
  assert.equal(fm.budgetModel?.value, 'gpt-4o # not a comment');
  assert.equal(at(text, fm.budgetModel!.span), '"gpt-4o # not a comment"');

  assert.equal(parseFrontMatter("---\nbudget-model: 'it''s'\n---").budgetModel?.value, "it's");
  assert.equal(parseFrontMatter('---\nbudget-model: "a\\"b\\\\c"\n---').budgetModel?.value, 'a"b\\c');
  // A # inside a word is text; after white space it starts a comment.
  assert.equal(parseFrontMatter('---\nbudget-model: C#model\t# note\n---').budgetModel?.value, 'C#model');
  // Unquoted keys with no space after the colon, and quoted keys.
  assert.equal(parseFrontMatter('---\ntoken-budget:12\n---').tokenBudget?.value, 12);
  assert.equal(parseFrontMatter('---\n"token-budget": 13\n---').tokenBudget?.value, 13);
});

test('broken quotes and empty values are problems with places', () => {
  const unclosed = '---\ncost-budget: "0.01 CNY\n---';
  let fm = parseFrontMatter(unclosed);
  assert.equal(fm.problems.length, 1);
  assert.match(fm.problems[0].message, /^cost-budget: the quoted value is not closed/);
  assert.equal(at(unclosed, fm.problems[0].span), '"0.01 CNY');

  const trailing = "---\ntoken-budget: '4000' tokens\n---";
  fm = parseFrontMatter(trailing);
  assert.match(fm.problems[0].message, /unexpected text after the quoted value/);
  assert.equal(at(trailing, fm.problems[0].span), ' tokens');

  const empty = '---\ntoken-budget:   # todo\n---';
  fm = parseFrontMatter(empty);
  assert.equal(fm.problems.length, 1);
  assert.match(fm.problems[0].message, /needs a value, e\.g\. "token-budget: 4000"/);
  assert.equal(at(empty, fm.problems[0].span), 'token-budget', 'an empty value is marked on its key');

  const emptyQuotes = '---\nbudget-model: ""\n---';
  fm = parseFrontMatter(emptyQuotes);
  assert.match(fm.problems[0].message, /budget-model: needs a value/);
  assert.equal(at(emptyQuotes, fm.problems[0].span), '""');
});

test('other keys and indented (nested) keys are ignored', () => {
  const fm = parseFrontMatter('---\nmeta:\n  token-budget: 5\n- token-budget: 6\nTOKEN-BUDGET: 7\nmodel: gpt-4o\n---\n');
  assert.deepEqual(fm, { problems: [], endLine: 6 });
});

test('a repeated key: the last applies, the earlier is flagged', () => {
  const text = '---\ntoken-budget: 100\ntoken-budget: 200\n---';
  const fm = parseFrontMatter(text);
  assert.equal(fm.tokenBudget?.value, 200);
  assert.equal(fm.tokenBudget?.span.line, 2);
  assert.equal(fm.problems.length, 1);
  assert.match(fm.problems[0].message, /^token-budget: set again on line 3/);
  assert.deepEqual(fm.problems[0].span, { line: 1, start: 0, end: 12 });
});

test('an unclosed block: no budget, and a problem on the fence only when it holds a budget key', () => {
  let fm = parseFrontMatter('---\ntoken-budget: 100\nBody');
  assert.equal(fm.tokenBudget, undefined);
  assert.equal(fm.endLine, undefined);
  assert.equal(fm.problems.length, 1);
  assert.match(fm.problems[0].message, /not closed/);
  assert.deepEqual(fm.problems[0].span, { line: 0, start: 0, end: 3 });
  fm = parseFrontMatter('\uFEFF---  \ntoken-budget: 100');
  assert.deepEqual(fm.problems[0].span, { line: 0, start: 1, end: 4 });
  // A Markdown rule on the first line of an ordinary prompt is not a problem.
  assert.deepEqual(parseFrontMatter('---\nSome text\nmore'), { problems: [] });
});

test('a lone \\r breaks lines as in VS Code', () => {
  const fm = parseFrontMatter('---\rtoken-budget: 9\r---\rBody');
  assert.equal(fm.tokenBudget?.value, 9);
  assert.deepEqual(fm.tokenBudget?.span, { line: 1, start: 14, end: 15 });
});

function assertWellFormed(text: string): void {
  const fm = parseFrontMatter(text);
  const lines = text.split(/\r\n|\r|\n/);
  const spans = [...fm.problems.map((p) => p.span)];
  for (const v of [fm.tokenBudget, fm.costBudget, fm.budgetModel]) if (v) spans.push(v.span, v.keySpan);
  for (const s of spans) {
    assert.ok(Number.isInteger(s.line) && s.line >= 0 && s.line < lines.length, `line ${s.line}`);
    assert.ok(s.start >= 0 && s.start <= s.end && s.end <= lines[s.line].length, JSON.stringify(s));
  }
  for (const p of fm.problems) assert.equal(typeof p.message, 'string');
  if (fm.tokenBudget) assert.ok(Number.isSafeInteger(fm.tokenBudget.value) && fm.tokenBudget.value > 0);
  if (fm.costBudget) assert.ok(fm.costBudget.value.amount > 0 && Number.isFinite(fm.costBudget.value.amount));
}

test('property: never throws, and every place is inside its line', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => assertWellFormed(s)), { numRuns: 500 });
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => assertWellFormed('---\n' + s)), { numRuns: 300 });
  const piece = fc.constantFrom('---', '...', 'token-budget', 'cost-budget', 'budget-model', ':', ': ', ' ', '\t', '#', '"', "'", "''", '\\', '\n', '\r\n', '\r', '\uFEFF', '¥', '$', 'CNY', 'USD', '4,000', '4_000', '0.01', '-', '元', '𠀀', 'x');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
      assertWellFormed(parts.join(''));
      assertWellFormed('---\n' + parts.join('') + '\n---\n');
    }),
    { numRuns: 2000 },
  );
});

test('property: any positive budget written in any accepted form reads back, placed on what was written', () => {
  const grouped = (n: number, sep: string) => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom('', ',', '_'), fc.constantFrom('', '"', "'"), fc.constantFrom('', ' # note', '   '), fc.constantFrom('\n', '\r\n'), (n, sep, quote, tail, eol) => {
      const written = `${quote}${grouped(n, sep)}${quote}`;
      const text = ['---', 'title: x', `token-budget: ${written}${tail}`, '---', 'body'].join(eol);
      const fm = parseFrontMatter(text);
      assert.deepEqual(fm.problems, []);
      assert.equal(fm.tokenBudget?.value, n);
      assert.equal(at(text, fm.tokenBudget!.span), written);
    }),
    { numRuns: 500 },
  );
});
