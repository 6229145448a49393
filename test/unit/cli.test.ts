// The CLI as users run it: the built dist/cli.js in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { referenceEncoder } from '../fixtures/references';
import './tableDir';

const CLI = join(__dirname, '../../dist/cli.js');
const ZH = join(__dirname, '../fixtures/prompts/rewrite.zh.prompt.md');
const EN = join(__dirname, '../fixtures/prompts/review.en.prompt');

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
  const r = run(['-', '--model', 'qwen-plus,gpt-4o,claude-sonnet-4-5'], '你好，世界');
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
