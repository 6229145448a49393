// The CLI's price inputs and outputs, as users run it (dist/cli.js in a child process): --prices in the other
// formats (LiteLLM, models.dev, OpenRouter), --prices-override, "Prices as of" and --at's "no price at that date".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import '../../fixtures/tableDir';

const CLI = join(__dirname, '../../../dist/cli.js');
const EN = join(__dirname, '../../fixtures/prompts/review.en.prompt');
const IMPORTS = join(__dirname, '../../fixtures/price-imports');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

type Result = { model: string; tokens: number; inputCost: number; outputCost: number; currency: string };
function results(args: string[]): { results: Result[]; err: string; json: Record<string, unknown> } {
  const r = run([EN, '--json', '--currency', 'USD', '--output-tokens', '1000000', ...args]);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out);
  return { results: json.files[0].results, err: r.err, json };
}
const perMillionIn = (r: Result) => Number(((r.inputCost / r.tokens) * 1e6).toPrecision(6));

test('--prices reads a LiteLLM file: new models are added; a shipped model keeps its price unless --prices-override', () => {
  const file = join(IMPORTS, 'litellm.json');
  const kept = results(['--prices', file, '--model', 'deepseek-chat,nscale/some-open-model']);
  const flash = kept.results.find((r) => r.model === 'deepseek-flash')!;
  assert.equal(perMillionIn(flash), 0.3, 'shipped price');
  assert.equal(flash.outputCost, 1.2);
  const added = kept.results.find((r) => r.model === 'nscale/some-open-model')!;
  assert.equal(perMillionIn(added), 0.1);
  assert.equal(added.outputCost, 0.3);
  assert.match(kept.err, /litellm\.json: .*match.* a shipped one, whose price is kept \(--prices-override uses the file's\): .*deepseek-flash/);
  // Unmapped fields are reported with their path, never guessed.
  assert.match(kept.err, /litellm\.json: \["gemini\/gemini-2\.5-pro"\]\.input_cost_per_audio_token: /);
  assert.match(kept.err, /litellm\.json: \["text-embedding-3-small"\]\.mode: /);

  const over = results(['--prices', file, '--prices-override', '--model', 'deepseek-chat']);
  const flash2 = over.results.find((r) => r.model === 'deepseek-flash')!;
  assert.equal(perMillionIn(flash2), 0.28, "the file's price");
  assert.equal(flash2.outputCost, 0.42);
  assert.doesNotMatch(over.err, /whose price is kept/);
});

test('--prices reads models.dev and OpenRouter files', () => {
  for (const name of ['models-dev.json', 'openrouter.json']) {
    const r = run(['--models', '--json', '--prices', join(IMPORTS, name)]);
    assert.equal(r.code, 0, r.err);
    const base = JSON.parse(run(['--models', '--json']).out).models.length;
    const models = JSON.parse(r.out).models as { prices: { source: string }[] }[];
    assert.ok(models.length > base, `${name}: unmatched imports are added`);
    assert.ok(models.slice(base).every((m) => m.prices.every((p) => p.source.includes(name))), `${name}: an import carries the file as its source`);
  }
});

test('--prices: a file in no known shape, or not JSON, is refused with the reason; --prices-override needs --prices', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-prices-'));
  const odd = join(dir, 'odd.json');
  writeFileSync(odd, JSON.stringify({ hello: 'world' }));
  const r = run([EN, '--prices', odd]);
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read price table .*odd\.json: not a price table this extension knows/);
  writeFileSync(odd, '{ nope');
  assert.match(run([EN, '--prices', odd]).err, /cannot read price table .*not valid JSON/);
  const u = run([EN, '--prices-override']);
  assert.equal(u.code, 2);
  assert.match(u.err, /--prices-override needs --prices FILE/);
});

test("an imported list is dated by the file's modification day: the as-of date follows it, and is stale when old", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-prices-'));
  const file = join(dir, 'litellm.json');
  writeFileSync(file, JSON.stringify({ 'nscale/some-open-model': { input_cost_per_token: 1e-7, output_cost_per_token: 3e-7, litellm_provider: 'nscale', mode: 'chat', max_input_tokens: 32768 } }));
  const old = new Date('2025-01-15T12:00:00Z');
  utimesSync(file, old, old);
  const r = results(['--prices', file, '--model', 'nscale/some-open-model']);
  assert.deepEqual(r.json.pricesAsOf, { oldestChecked: '2025-01-15', tableDate: (JSON.parse(run(['--models', '--json']).out) as { updated: string }).updated, stale: true });
  const text = run([EN, '--prices', file, '--model', 'nscale/some-open-model']);
  assert.match(text.out, /Prices as of 2025-01-15 \(oldest checked date among these models; table dated \d{4}-\d\d-\d\d\)\n {2}older than 60 days: update with a newer version, a price file \(--prices\), or the extension's tokenCost\.priceUpdateUrl/);
});

test('text and --json say how old the shown prices are: the oldest checked date among them, and the table date', () => {
  const table = JSON.parse(run(['--models', '--json']).out) as { updated: string; models: { id: string; prices: { checked?: string }[] }[] };
  const ids = ['gpt-4o', 'qwen-plus'];
  const oldest = table.models.filter((m) => ids.includes(m.id)).flatMap((m) => m.prices.map((p) => p.checked!)).sort()[0];
  const r = results(['--model', ids.join(',')]);
  assert.equal((r.json.pricesAsOf as { oldestChecked: string }).oldestChecked, oldest);
  assert.equal((r.json.pricesAsOf as { tableDate: string }).tableDate, table.updated);
  const text = run([EN, '--model', ids.join(',')]);
  assert.ok(text.out.includes(`Prices as of ${oldest} (oldest checked date among these models; table dated ${table.updated})`), text.out);
  // --tokenizer prices nothing: no price date.
  assert.doesNotMatch(run([EN, '--tokenizer', 'qwen']).out, /Prices as of/);
});

test('--at prices with the lists in force then; a model without a list at that date says so', () => {
  const r = run([EN, '--model', 'deepseek-chat', '--at', '2019-06-01T00:00:00Z']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /deepseek-flash: no price at that date \(2019-06-01\)/);
  assert.doesNotMatch(r.err, /has no current price/);
  const dir = mkdtempSync(join(tmpdir(), 'tc-at-'));
  writeFileSync(join(dir, 'a.prompt.md'), 'hello');
  const rep = run(['--report', dir, '--model', 'deepseek-chat', '--at', '2019-06-01T00:00:00Z']);
  assert.equal(rep.code, 2);
  assert.match(rep.err, /deepseek-flash: no price at that date \(2019-06-01\); pick another with --model/);
  assert.match(run(['--help']).out, /--at ISO-TIME +price with the lists in force at this instant \(price history, promotions, scheduled\s+lists\) plus its off-peak discounts/);
});
