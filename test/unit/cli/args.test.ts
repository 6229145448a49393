// Argument parsing in-process: typed options, defaults, and which combinations are refused (and in what words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliArgs, ParsedArgs } from '../../../src/cli/args';
import { parseCliArgs } from '../../../src/cli/args';

function run(argv: string[]): CliArgs {
  const p = parseCliArgs(argv);
  assert.equal(p.kind, 'run', JSON.stringify(p));
  return (p as Extract<ParsedArgs, { kind: 'run' }>).args;
}

function error(argv: string[]): { message: string; usage: boolean } {
  const p = parseCliArgs(argv);
  assert.equal(p.kind, 'error', JSON.stringify(p));
  const { message, usage } = p as Extract<ParsedArgs, { kind: 'error' }>;
  return { message, usage };
}

test('defaults: CNY at 7.2, no output tokens, no cache hits, list prices, no limits', () => {
  const a = run(['f.md']);
  assert.deepEqual(a.files, ['f.md']);
  assert.equal(a.currency, 'CNY');
  assert.equal(a.exchangeRate, 7.2);
  assert.equal(a.outputTokens, 0);
  assert.equal(a.cacheHit, 0);
  assert.equal(a.at, undefined);
  assert.deepEqual(a.limits, {});
  assert.equal(a.modelGiven, false);
  assert.deepEqual(a.modelIds, []);
  assert.deepEqual(a.globs, []);
  assert.equal(a.json || a.csv || a.listModels, false);
});

test('--model: repeated and comma-separated ids are one list in order, trimmed', () => {
  const a = run(['--model', 'qwen-plus, gpt-4o', '--model', 'deepseek-chat,', '-']);
  assert.equal(a.modelGiven, true);
  assert.deepEqual(a.modelIds, ['qwen-plus', 'gpt-4o', 'deepseek-chat']);
  assert.deepEqual(a.files, ['-']);
});

test('values are parsed: currency in any case, a bare --max-cost in that currency, --at as a date', () => {
  const a = run(['--currency', 'usd', '--max-cost', '0.01', '--max-tokens', '4,000', '--at', '2025-01-01T18:00:00Z', '--cache-hit', '0.5', 'f']);
  assert.equal(a.currency, 'USD');
  assert.equal(a.cacheHit, 0.5);
  assert.equal(a.at?.toISOString(), '2025-01-01T18:00:00.000Z');
  assert.equal(a.limits.tokens?.limit, 4000);
  assert.deepEqual(a.limits.tokens?.origin, { kind: 'cli' });
  assert.equal(a.limits.cost?.limit.amount, 0.01);
  assert.equal(a.limits.cost?.limit.currency, 'USD');
});

test('help wins over everything else, even bad values', () => {
  assert.deepEqual(parseCliArgs(['--currency', 'EUR', '-h']), { kind: 'help' });
  assert.deepEqual(parseCliArgs(['--help', '--report', 'x', 'f']), { kind: 'help' });
});

test('an unknown option is an error followed by the usage text; bad values are one line', () => {
  const unknown = error(['--bogus']);
  assert.equal(unknown.usage, true);
  assert.match(unknown.message, /--bogus/);
  assert.deepEqual(error(['--currency', 'EUR']), { message: '--currency must be CNY or USD, got "EUR"', usage: false });
  assert.match(error(['--exchange-rate', '0']).message, /^--exchange-rate must be a positive number/);
  assert.match(error(['--exchange-rate', 'Infinity']).message, /^--exchange-rate must be a positive number/);
  assert.match(error(['--output-tokens', '1.5']).message, /^--output-tokens must be a whole number/);
  assert.match(error(['--cache-hit', '1.01']).message, /^--cache-hit must be between 0 and 1/);
  assert.match(error(['--at', 'soon']).message, /^--at must be an ISO date-time/);
  assert.match(error(['--max-tokens', 'many']).message, /^--max-tokens /);
  assert.match(error(['--max-cost', 'lots']).message, /^--max-cost /);
});

test('combinations that cannot work are refused', () => {
  assert.equal(error(['--csv', 'f']).message, '--csv needs --report DIR');
  assert.equal(error(['--report', 'd', '--csv', '--json']).message, '--csv and --json cannot be combined');
  assert.equal(error(['--glob', '*.md', 'f']).message, '--glob needs --report DIR');
  for (const extra of [['f'], ['--tokenizer', 'qwen'], ['--models']]) {
    assert.equal(error(['--report', 'd', ...extra]).message, '--report DIR takes no FILE, --tokenizer or --models');
  }
  assert.match(error(['--tokenizer', 'qwen', '--max-cost', '1', 'f']).message, /cannot be combined with --tokenizer/);
  const r = run(['--report', 'd', '--glob', 'a/**', '--glob', '*.md', '--csv']);
  assert.equal(r.report, 'd');
  assert.deepEqual(r.globs, ['a/**', '*.md']);
  assert.equal(r.csv, true);
});
