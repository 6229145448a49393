// The CLI as users run it: the built dist/cli.js in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { referenceEncoder } from '../../fixtures/references';
import '../../fixtures/tableDir';

const CLI = join(__dirname, '../../../dist/cli.js');
const ZH = join(__dirname, '../../fixtures/prompts/rewrite.zh.prompt.md');
const EN = join(__dirname, '../../fixtures/prompts/review.en.prompt');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--json: the documented shape, counts equal the reference tokenizers, cheapest first', () => {
  const r = run([ZH, '--json', '--output-tokens', '200']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.files.length, 1);
  const file = json.files[0];
  const text = readFileSync(ZH, 'utf8');
  assert.equal(file.path, ZH);
  assert.equal(file.characters, [...text].length);
  assert.ok(file.results.length >= 40);
  for (const res of file.results) {
    assert.deepEqual(Object.keys(res), ['model', 'vendor', 'tokenizer', 'tokens', 'exact', 'currency', 'inputCost', 'outputCost', 'totalCost']);
    assert.equal(res.currency, 'CNY');
    assert.ok(Math.abs(res.totalCost - (res.inputCost + res.outputCost)) < 1e-12);
  }
  const totals = file.results.map((x: { totalCost: number }) => x.totalCost);
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b));
  const qwen = file.results.find((x: { model: string }) => x.model === 'qwen-plus');
  assert.equal(qwen.tokens, referenceEncoder('qwen')(text).length);
  assert.equal(qwen.exact, true);
  const gpt = file.results.find((x: { model: string }) => x.model === 'gpt-4o');
  assert.equal(gpt.tokens, referenceEncoder('o200k_base')(text).length);
  const claude = file.results.find((x: { vendor: string }) => x.vendor === 'Anthropic');
  assert.equal(claude.exact, false);
});

test('--model and --currency: a USD list is used as published', () => {
  const r = run([EN, '--json', '--model', 'gpt-4o', '--currency', 'USD', '--output-tokens', '1000']);
  assert.equal(r.code, 0, r.err);
  const [res] = JSON.parse(r.out).files[0].results;
  const tokens = referenceEncoder('o200k_base')(readFileSync(EN, 'utf8')).length;
  assert.equal(res.tokens, tokens);
  assert.equal(res.inputCost, Number(((tokens * 2.5) / 1e6).toPrecision(12)));
  assert.equal(res.outputCost, 0.01);
});

test('--tokenizer ID --json counts with just that tokenizer', () => {
  const r = run([ZH, EN, '--tokenizer', 'deepseek-v3', '--json']);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.files, [
    { path: ZH, tokenizer: 'deepseek-v3', tokens: referenceEncoder('deepseek-v3')(readFileSync(ZH, 'utf8')).length },
    { path: EN, tokenizer: 'deepseek-v3', tokens: referenceEncoder('deepseek-v3')(readFileSync(EN, 'utf8')).length },
  ]);
});

test('--models --json prints the table with history and sources', () => {
  const r = run(['--models', '--json']);
  assert.equal(r.code, 0, r.err);
  const t = JSON.parse(r.out);
  assert.ok(t.models.length >= 40);
  assert.ok(t.models.some((m: { history?: unknown[] }) => m.history?.length));
  for (const m of t.models) for (const p of [...m.prices, ...(m.history ?? [])]) assert.ok(p.source && p.effectiveDate);
});

test('standard input with "-", and the readable table', () => {
  const r = run(['-', '--model', 'qwen-plus,gpt-4o,claude-sonnet-5-5'], '你好，世界');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /<stdin> \(5 characters\)/);
  assert.match(r.out, /qwen-plus/);
  assert.match(r.out, /≈/, 'estimates are marked');
  assert.match(r.out, /estimate/);
  const lines = r.out.split('\n').filter((l) => /qwen-plus|gpt-4o|claude/.test(l));
  assert.equal(lines.length, 3);
});

test('a missing file is reported on stderr with a non-zero exit, after the other files', () => {
  const r = run([ZH, '/definitely/not/here.prompt', EN, '--json']);
  assert.equal(r.code, 1);
  assert.match(r.err, /\/definitely\/not\/here\.prompt: no such file/);
  assert.equal(JSON.parse(r.out).files.length, 2);
});

test('binary files are refused, not counted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-'));
  const bin = join(dir, 'x.bin');
  writeFileSync(bin, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]));
  const r = run([bin, EN]);
  assert.equal(r.code, 1);
  assert.match(r.err, /binary/);
  assert.match(r.out, /review\.en\.prompt/);
});

test('bad arguments and bad price files get clear messages', () => {
  assert.equal(run([EN, '--model', 'no-such-model']).code, 2);
  assert.match(run([EN, '--model', 'no-such-model']).err, /unknown model "no-such-model"/);
  assert.match(run([EN, '--currency', 'EUR']).err, /--currency must be CNY or USD/);
  assert.match(run([EN, '--tokenizer', 'nope']).err, /unknown tokenizer "nope"/);
  assert.match(run([]).err, /no input files/);
  const dir = mkdtempSync(join(tmpdir(), 'tc-'));
  const prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ version: 1, models: [{ id: 'mine', vendor: 'Me', tokenizer: 'qwen', contextWindow: 1000, prices: [{ currency: 'CNY', input: -1, output: 1, effectiveDate: '2026-01-01', source: 'x' }] }, { id: 'ok', vendor: 'Me', tokenizer: 'qwen', contextWindow: 1000, prices: [{ currency: 'CNY', input: 1, output: 1, effectiveDate: '2026-01-01', source: 'x' }] }] }));
  const r = run([EN, '--prices', prices, '--json', '--model', 'ok']);
  assert.equal(r.code, 0);
  assert.match(r.err, /models\[0\]\.prices\[0\]\.input \(mine\): must not be negative/);
  assert.equal(JSON.parse(r.out).files[0].results[0].model, 'ok');
  writeFileSync(prices, '{ broken');
  assert.match(run([EN, '--prices', prices]).err, /cannot read price table/);
});

// ---- Budgets (--max-tokens, --max-cost, front matter) and --report ----

const qwenCount = (text: string) => referenceEncoder('qwen')(text).length;
const o200kCount = (text: string) => referenceEncoder('o200k_base')(text).length;
const r12 = (x: number) => Number(x.toPrecision(12));
const n = (x: number) => x.toLocaleString('en-US');

function tempFile(name: string, text: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'tc-budget-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

test('--max-tokens: within the limit exits 0, one token over exits 3 with a readable report', () => {
  const tokens = qwenCount(readFileSync(EN, 'utf8'));
  const ok = run([EN, '--model', 'qwen-plus', '--max-tokens', String(tokens)]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /Budget: within every limit \(1 file checked\)\./);
  const over = run([EN, '--model', 'qwen-plus', '--max-tokens', n(tokens - 1)]);
  assert.equal(over.code, 3, over.err);
  assert.ok(over.out.includes(`Over budget (1, 1 file checked):\n  ${EN}: ${n(tokens)} tokens on Qwen Plus (qwen-plus), over the token budget of ${n(tokens - 1)} (exact count) [--max-tokens]\n`), over.out);
  // Estimates are labelled as such.
  const est = run([EN, '--model', 'claude-sonnet-5-5', '--max-tokens', '1']);
  assert.equal(est.code, 3);
  assert.match(est.out, /≈[\d,]+ tokens on Claude Sonnet 5\.5 \(claude-sonnet-5-5\), over the token budget of 1 \(estimated count\)/);
});

test('--max-cost: every reported model, in the budget’s currency; --json has a budget section', () => {
  const text = readFileSync(EN, 'utf8');
  const q = qwenCount(text);
  const g = o200kCount(text);
  // USD lists: qwen-plus 0.4 per 1M, gpt-4o 2.5 per 1M input; 100 output tokens at 1.2 and 10 per 1M.
  const qUsd = (q * 0.4 + 100 * 1.2) / 1e6;
  const gUsd = (g * 2.5 + 100 * 10) / 1e6;
  const limit = r12((qUsd + gUsd) / 2);
  const r = run([EN, '--json', '--model', 'qwen-plus,gpt-4o', '--output-tokens', '100', '--max-cost', `$${limit}`]);
  assert.equal(r.code, 3, r.err);
  const json = JSON.parse(r.out);
  assert.equal(json.files[0].results.length, 2);
  assert.deepEqual(json.budget, {
    maxTokens: null,
    maxCost: { amount: limit, currency: 'USD' },
    checked: 1,
    violations: [{ path: EN, kind: 'cost-budget', model: 'gpt-4o', tokens: g, exact: true, cost: r12(gUsd), limit, currency: 'USD', converted: false, source: 'max-cost' }],
    problems: [],
  });
  // A bare amount is in --currency; here CNY, which gpt-4o (USD only) reaches by conversion at 7.2.
  const cny = run([EN, '--json', '--model', 'gpt-4o', '--max-cost', '0.000001']);
  assert.equal(cny.code, 3);
  const v = JSON.parse(cny.out).budget.violations[0];
  assert.equal(v.currency, 'CNY');
  assert.equal(v.converted, true);
  assert.equal(v.cost, r12(((g * 2.5) / 1e6) * 7.2));
  assert.equal(run([EN, '--model', 'gpt-4o', '--max-cost', `${r12(gUsd) } USD`, '--output-tokens', '100']).code, 0, 'exactly at the limit passes');
});

test('front matter budgets are checked on budget-model, else the first --model, with their place in the file', () => {
  const text = '---\ntoken-budget: 3\ncost-budget: 1 USD\nbudget-model: gpt-4o\n---\nHello there, general. Review this.\n';
  const file = tempFile('fm.prompt', text);
  const r = run([file, '--json', '--model', 'qwen-plus']);
  assert.equal(r.code, 3, r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.files[0].results.map((x: { model: string }) => x.model), ['qwen-plus'], 'the budget model is checked, not reported');
  assert.deepEqual(json.budget.violations, [{ path: file, kind: 'token-budget', model: 'gpt-4o', tokens: o200kCount(text), exact: true, limit: 3, source: 'front-matter', line: 2, column: 15 }]);
  assert.equal(json.budget.maxTokens, null);

  const noModel = tempFile('fm2.prompt', '---\ntoken-budget: 2\n---\nHello there, general.');
  const plain = run([noModel]);
  assert.equal(plain.code, 3);
  assert.match(plain.out, /tokens on Qwen Plus \(qwen-plus\), over the token budget of 2 \(exact count\) \[front matter, line 2\]/);
  assert.match(run([noModel, '--model', 'gpt-4o,qwen-plus']).out, /on GPT-4o \(gpt-4o\), over the token budget of 2/);
  // Also with --tokenizer, and on standard input.
  assert.equal(run([noModel, '--tokenizer', 'cl100k_base']).code, 3);
  assert.equal(run(['-'], '---\ntoken-budget: 100\n---\nhi').code, 0);
  assert.equal(run(['-'], '---\ntoken-budget: 1\n---\nhi there').code, 3);
});

test('an invalid front matter budget exits 1 with file:line:column, even when other budgets fail', () => {
  const file = tempFile('bad.prompt', '---\ntoken-budget: 0\ncost-budget: 0.01\n---\nHello');
  const r = run([file, '--max-tokens', '1', '--json']);
  assert.equal(r.code, 1);
  assert.ok(r.err.includes(`${file}:2:15: token-budget: must be greater than 0, got "0"`), r.err);
  assert.ok(r.err.includes(`${file}:3:14: cost-budget: needs a currency: write "0.01 CNY" or "0.01 USD"`), r.err);
  const json = JSON.parse(r.out);
  assert.deepEqual(json.budget.problems.map((p: { line: number; column: number }) => [p.line, p.column]), [[2, 15], [3, 14]]);
  assert.ok(json.budget.violations.length > 0, '--max-tokens is still checked');
  const unknown = tempFile('unknown.prompt', '---\ntoken-budget: 10\nbudget-model: no-such-model\n---\n');
  const u = run([unknown]);
  assert.equal(u.code, 1);
  assert.match(u.err, /unknown\.prompt:3:15: budget-model: unknown model "no-such-model"/);
  // A read error wins over an exceeded budget.
  assert.equal(run([EN, '/definitely/not/here', '--max-tokens', '1']).code, 1);
});

test('budget arguments: bad values and combinations exit 2', () => {
  const cases: [string[], RegExp][] = [
    [[EN, '--max-tokens', '0'], /--max-tokens must be greater than 0/],
    [[EN, '--max-tokens', 'lots'], /--max-tokens must be a whole number/],
    [[EN, '--max-cost', '0.01 EUR'], /--max-cost currency must be CNY or USD/],
    [[EN, '--max-cost', '¥0.01 USD'], /two currencies/],
    [[EN, '--max-cost', '0.01', '--tokenizer', 'qwen'], /cannot be combined with --tokenizer/],
    [[EN, '--csv'], /--csv needs --report/],
    [[EN, '--glob', '*.md'], /--glob needs --report/],
    [['--report', '.', EN], /--report DIR takes no FILE/],
    [['--report', '.', '--csv', '--json'], /cannot be combined/],
    [['--report', '/definitely/not/here'], /no such directory/],
    [['--report', EN], /not a directory/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message, args.join(' '));
  }
});

/** A workspace with prompts, things to skip, and links that must not be followed out or around. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'tc-report-'));
  const texts = {
    'prompts/a.prompt.md': 'Summarise the following text in three bullet points.\n',
    'prompts/zh/b.prompt': '你是一位资深的中文写作助手。请把用户给出的段落改写得更简洁。\n',
    '.hidden/e.prompt': 'hidden but a prompt',
    'top.j2': '{{ greeting }}, {{ name }}! Please answer briefly.',
  };
  for (const [p, t] of Object.entries(texts)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), t);
  }
  mkdirSync(join(root, 'docs'));
  writeFileSync(join(root, 'docs/readme.md'), 'not a prompt by default');
  mkdirSync(join(root, 'node_modules/x/prompts'), { recursive: true });
  writeFileSync(join(root, 'node_modules/x/prompts/c.prompt'), 'dependency');
  mkdirSync(join(root, '.git/prompts'), { recursive: true });
  writeFileSync(join(root, '.git/prompts/d.prompt'), 'git internals');
  writeFileSync(join(root, 'prompts/bin.prompt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
  writeFileSync(join(root, 'prompts/big.prompt'), '');
  truncateSync(join(root, 'prompts/big.prompt'), 17 * 1024 * 1024);
  const outside = tempFile('secret.prompt', 'outside the workspace');
  symlinkSync(outside, join(root, 'prompts/out.prompt'));
  symlinkSync(dirname(outside), join(root, 'prompts/outdir'));
  symlinkSync('..', join(root, 'prompts/loop'));
  symlinkSync('a.prompt.md', join(root, 'prompts/same.prompt'));
  symlinkSync('missing', join(root, 'prompts/broken.prompt'));
  return { root, texts };
}

test('--report --json: prompt files by the default globs, priced for qwen-plus, folder totals, skipped files listed', () => {
  const { root, texts } = workspace();
  const r = spawnSync(process.execPath, [CLI, '--report', root, '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  const count = (p: keyof typeof texts) => qwenCount(texts[p]);
  const costOf = (tokens: number) => r12((tokens * 0.8) / 1e6);
  const files = (Object.keys(texts) as (keyof typeof texts)[])
    .map((path) => ({ path, tokens: count(path), exact: true, cost: costOf(count(path)) }))
    .sort((a, b) => b.cost - a.cost || (a.path < b.path ? -1 : 1));
  const sum = (paths: (keyof typeof texts)[]) => paths.reduce((s, p) => s + count(p), 0);
  const folder = (path: string, paths: (keyof typeof texts)[]) => ({ path, files: paths.length, tokens: sum(paths), exact: true, cost: costOf(sum(paths)) });
  // The prices' age is its own test (prices.test.ts); here only its shape.
  assert.deepEqual(Object.keys(json.pricesAsOf), ['oldestChecked', 'tableDate', 'stale']);
  delete json.pricesAsOf;
  assert.deepEqual(json, {
    version: 1,
    currency: 'CNY',
    model: 'qwen-plus',
    total: { files: 4, tokens: sum(Object.keys(texts) as (keyof typeof texts)[]), exact: true, cost: costOf(sum(Object.keys(texts) as (keyof typeof texts)[])) },
    folders: [folder('.hidden', ['.hidden/e.prompt']), folder('prompts', ['prompts/a.prompt.md', 'prompts/zh/b.prompt']), folder('prompts/zh', ['prompts/zh/b.prompt'])],
    files,
    skipped: [
      { path: 'prompts/big.prompt', reason: '17.0 MB is above the 16.0 MB limit' },
      { path: 'prompts/bin.prompt', reason: 'looks binary (contains NUL bytes); not counted' },
      { path: 'prompts/broken.prompt', reason: 'broken symbolic link' },
      { path: 'prompts/out.prompt', reason: 'symbolic link out of the folder' },
      { path: 'prompts/same.prompt', reason: 'same file as prompts/a.prompt.md' },
    ],
  });
});

test('--report: --glob, --model/--currency, --csv and the table; budgets apply per file', () => {
  const { root, texts } = workspace();
  const md = run(['--report', root, '--glob', '**/*.md', '--json']);
  assert.deepEqual(JSON.parse(md.out).files.map((f: { path: string }) => f.path).sort(), ['docs/readme.md', 'prompts/a.prompt.md']);

  const usd = JSON.parse(run(['--report', root, '--model', 'gpt-4o', '--currency', 'USD', '--json']).out);
  assert.equal(usd.model, 'gpt-4o');
  assert.equal(usd.currency, 'USD');
  const a = usd.files.find((f: { path: string }) => f.path === 'prompts/a.prompt.md');
  assert.equal(a.tokens, o200kCount(texts['prompts/a.prompt.md']));
  assert.equal(a.cost, r12((a.tokens * 2.5) / 1e6));

  const csv = run(['--report', root, '--csv']);
  assert.equal(csv.code, 0, csv.err);
  const lines = csv.out.split('\r\n');
  assert.equal(lines[0], 'kind,path,files,tokens,exact,cost,currency,note');
  assert.equal(lines.filter((l) => l.startsWith('file,')).length, 4);
  assert.equal(lines.filter((l) => l.startsWith('folder,')).length, 3);
  assert.ok(lines.includes('skipped,prompts/out.prompt,,,,,,symbolic link out of the folder'));
  assert.equal(csv.err, '', 'no budget, nothing on stderr');

  const text = run(['--report', root]);
  assert.equal(text.code, 0);
  assert.match(text.out, /: 4 prompt files priced for Qwen Plus \(qwen-plus\), in CNY\n/);
  assert.match(text.out, /\n {2}Total +4 +[\d,]+ +¥/);
  assert.match(text.out, /Skipped \(5\):\n {2}prompts\/big\.prompt: 17\.0 MB is above the 16\.0 MB limit\n/);

  const limit = qwenCount(texts['prompts/zh/b.prompt']) - 1;
  const over = run(['--report', root, '--max-tokens', String(limit), '--json']);
  assert.equal(over.code, 3);
  const budget = JSON.parse(over.out).budget;
  assert.equal(budget.checked, 4);
  const overPaths = (Object.keys(texts) as (keyof typeof texts)[]).filter((p) => qwenCount(texts[p]) > limit).sort();
  assert.ok(overPaths.includes('prompts/zh/b.prompt'));
  assert.deepEqual(budget.violations.map((v: { path: string }) => v.path).sort(), overPaths);
  const overCsv = run(['--report', root, '--max-tokens', String(limit), '--csv']);
  assert.equal(overCsv.code, 3);
  assert.match(overCsv.err, /Over budget/, 'with --csv the verdict goes to stderr');
  assert.doesNotMatch(overCsv.out, /Over budget/);
});

test('--report: a file name that is a formula or a terminal escape cannot act', () => {
  const root = mkdtempSync(join(tmpdir(), 'tc-report-'));
  writeFileSync(join(root, '=HYPERLINK("x").prompt'), 'one');
  writeFileSync(join(root, 'esc\u001b[2Jape.prompt'), 'two');
  const csv = run(['--report', root, '--csv']);
  assert.match(csv.out, /\r\nfile,"'=HYPERLINK\(""x""\)\.prompt",/);
  const text = run(['--report', root]);
  assert.ok(text.out.includes('esc\\u{1b}[2Jape.prompt'), text.out);
  assert.ok(!text.out.includes('\u001b'));
});
