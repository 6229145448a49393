// Imports of LiteLLM, models.dev and OpenRouter price files (real-shaped samples in test/fixtures/price-imports/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cost } from '../../../../src/core/cost';
import { perMillionFromPerToken } from '../../../../src/core/prices/imports/common';
import { detectFormat, importPriceFile, parsePriceFile } from '../../../../src/core/prices/importPriceFile';
import { defaultModels, findModel, layerPriceTables } from '../../../../src/core/prices/priceTable';
import { validatePriceTable } from '../../../../src/core/prices/validate';
import type { ModelEntry } from '../../../../src/core/prices/types';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/price-imports', name), 'utf8');
const parse = (name: string, extra: Parameters<typeof parsePriceFile>[2] = {}) => parsePriceFile(fixture(name), name, { fileDate: '2026-12-01', ...extra });
const model = (r: ReturnType<typeof parse>, id: string): ModelEntry => {
  const m = r.table?.models.find((x) => x.id === id);
  assert.ok(m, `${id} imported`);
  return m;
};
const problemsAt = (r: ReturnType<typeof parse>) => r.problems.map((p) => p.path);

test('per token → per 1M without float noise', () => {
  assert.equal(Number('0.0000008') * 1e6, 0.7999999999999999); // OpenRouter's GLM 5 prompt price, naively
  assert.equal(perMillionFromPerToken(Number('0.0000008')), 0.8);
  assert.equal(perMillionFromPerToken(2.5e-6), 2.5);
  assert.equal(perMillionFromPerToken(Number('0.00000016')), 0.16);
  assert.equal(perMillionFromPerToken(2.8e-8), 0.028);
});

test('formats are recognised by shape', () => {
  assert.equal(detectFormat(JSON.parse(fixture('litellm.json'))), 'litellm');
  assert.equal(detectFormat(JSON.parse(fixture('models-dev.json'))), 'models.dev');
  assert.equal(detectFormat(JSON.parse(fixture('openrouter.json'))), 'openrouter');
  assert.equal(detectFormat({ version: 1, models: [] }), 'token-cost');
  assert.equal(detectFormat([]), 'token-cost');
  for (const junk of [null, 3, 'x', {}, { data: [] }, { a: 1 }]) assert.equal(detectFormat(junk), undefined, JSON.stringify(junk));
  const r = importPriceFile({ hello: 'world' }, 'x.json');
  assert.equal(r.format, undefined);
  assert.match(r.problems[0].message, /not a price table this extension knows/);
  assert.match(parsePriceFile('{ nope', 'bad.json').problems[0].message, /^not valid JSON/);
});

test('a Token Cost file passes through as written (layering validates it)', () => {
  const table = { version: 1, models: [{ id: 'x', vendor: 'V', name: 'X', tokenizer: 'qwen', contextWindow: 10, prices: [] }] };
  const r = parsePriceFile(JSON.stringify(table), 'mine.json');
  assert.equal(r.format, 'token-cost');
  assert.deepEqual(r.table, table);
  assert.deepEqual(r.problems, []);
});

test('LiteLLM: prices per 1M, cache read and write, *_above_Nk_tokens tiers, batch multiplier, context limits', () => {
  const r = parse('litellm.json');
  assert.equal(r.format, 'litellm');
  const claude = model(r, 'claude-sonnet-4-5');
  assert.equal(claude.vendor, 'Anthropic');
  assert.equal(claude.tokenizer, 'estimate:claude');
  assert.deepEqual([claude.contextWindow, claude.maxOutput], [200000, 64000]);
  assert.deepEqual(claude.prices, [
    {
      currency: 'USD',
      input: 3,
      output: 15,
      cacheWrite: 3.75,
      cachedInput: 0.3,
      effectiveDate: '2026-12-01',
      source: 'litellm.json',
      checked: '2026-12-01',
      tiers: [{ above: 200000, input: 6, output: 22.5, cachedInput: 0.6, cacheWrite: 7.5 }],
    },
  ]);
  const gpt = model(r, 'gpt-4o');
  assert.equal(gpt.tokenizer, 'o200k_base');
  assert.equal(gpt.prices[0].batchMultiplier, 0.5);
  assert.equal(gpt.prices[0].cachedInput, 1.25);
  // Provider-prefixed keys of the vendor's own API also answer to the bare name; a cloud's copy does not.
  assert.deepEqual(model(r, 'deepseek/deepseek-chat').aliases, ['deepseek-chat']);
  assert.equal(model(r, 'azure/gpt-4o').aliases, undefined);
  assert.equal(model(r, 'azure/gpt-4o').vendor, 'OpenAI via azure');
  // A tier that gives only input and output keeps the base cache price (as LiteLLM's own cost calculation does).
  assert.deepEqual(model(r, 'xai/grok-4').prices[0].tiers, [{ above: 128000, input: 6, output: 30, cachedInput: 0.75 }]);
  assert.equal(model(r, 'xai/grok-4').tokenizer, 'estimate:xai');
  // Everything imported is valid in this project's format.
  assert.deepEqual(validatePriceTable(r.table).errors, []);
});

test('LiteLLM: unmapped prices, non-chat modes and unknown vendors are reported with their path, never guessed', () => {
  const r = parse('litellm.json');
  assert.deepEqual(problemsAt(r), [
    '["claude-sonnet-4-5"].search_context_cost_per_query',
    '["gemini/gemini-2.5-pro"].output_cost_per_reasoning_token',
    '["gemini/gemini-2.5-pro"].input_cost_per_audio_token',
    '["text-embedding-3-small"].mode',
    '["nscale/some-open-model"].litellm_provider',
    '["broken-model"].litellm_provider', // an OpenAI model of no known generation: no exact tokenizer claimed
  ]);
  assert.equal(r.table?.models.some((m) => m.id === 'text-embedding-3-small' || m.id === 'sample_spec'), false);
  assert.equal(model(r, 'nscale/some-open-model').tokenizer, 'estimate:other');
});

test('models.dev: per-1M costs, context_over_200k and tiers, cache read/write, limits, the entry’s own date', () => {
  const r = parse('models-dev.json');
  assert.equal(r.format, 'models.dev');
  const claude = model(r, 'anthropic/claude-sonnet-4-5');
  assert.deepEqual(claude.aliases, ['claude-sonnet-4-5']);
  assert.deepEqual(claude.prices[0], {
    currency: 'USD',
    input: 3,
    output: 15,
    cachedInput: 0.3,
    cacheWrite: 3.75,
    effectiveDate: '2025-09-29',
    source: 'models-dev.json',
    checked: '2026-12-01',
    tiers: [{ above: 200000, input: 6, output: 22.5, cachedInput: 0.6, cacheWrite: 7.5 }],
  });
  // "tiers" wins over the older context_over_200k (which is then reported as ignored).
  const gpt = model(r, 'openai/gpt-5.5');
  assert.deepEqual(gpt.prices[0].tiers, [{ above: 272000, input: 10, output: 45, cachedInput: 1 }]);
  assert.deepEqual([gpt.contextWindow, gpt.maxOutput, gpt.tokenizer], [1050000, 128000, 'o200k_base']);
  // A reasoning price equal to the output price is what the table assumes: no problem.
  assert.equal(model(r, 'deepseek/deepseek-reasoner').prices[0].output, 0.42);
  assert.deepEqual(problemsAt(r), [
    'openai.models["gpt-5.5"].cost.context_over_200k',
    '["github-copilot"].models["gpt-realtime"].cost.input_audio',
    '["github-copilot"].models["gpt-realtime"].cost.output_audio',
    '["github-copilot"].models["gpt-realtime"]',
    '["github-copilot"].models["no-limit"].limit.context',
  ]);
  assert.equal(model(r, 'github-copilot/claude-sonnet-4.5').vendor, 'Anthropic via github-copilot');
  assert.deepEqual(validatePriceTable(r.table).errors, []);
});

test('OpenRouter: string prices per token, cache read and write, the "-1" router skipped, unknown vendors reported', () => {
  const r = parse('openrouter.json');
  assert.equal(r.format, 'openrouter');
  const claude = model(r, 'anthropic/claude-sonnet-4.5');
  assert.deepEqual(claude.prices[0], { currency: 'USD', input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, effectiveDate: '2026-12-01', source: 'openrouter.json', checked: '2026-12-01' });
  assert.deepEqual([claude.contextWindow, claude.maxOutput, claude.vendor, claude.aliases], [1000000, 64000, 'Anthropic', ['claude-sonnet-4.5']]);
  const glm = model(r, 'z-ai/glm-5');
  assert.deepEqual([glm.prices[0].input, glm.prices[0].output, glm.prices[0].cachedInput, glm.tokenizer, glm.maxOutput], [0.8, 2.56, 0.16, 'estimate:glm', undefined]);
  assert.equal(r.table?.models.some((m) => m.id === 'openrouter/auto'), false);
  assert.deepEqual(problemsAt(r), ['data[0].pricing.image', 'data[1].pricing.image', 'data[1].pricing.web_search', 'data[3].pricing', 'data[4].id']);
  assert.deepEqual(validatePriceTable(r.table).errors, []);
});

test('merging: a match by id or alias keeps the shipped entry unless override is asked for', () => {
  const base = defaultModels();
  const shippedGpt = findModel(base, 'gpt-4o');
  assert.ok(shippedGpt);
  const kept = parse('openrouter.json', { base });
  assert.deepEqual(kept.merged.find((m) => m.model === 'gpt-4o'), { imported: 'openai/gpt-4o', model: 'gpt-4o', winner: 'shipped' });
  assert.equal(kept.table?.models.some((m) => m.id === 'openai/gpt-4o' || m.id === 'gpt-4o'), false);
  const layered = layerPriceTables([{ origin: 'openrouter.json', input: kept.table }], base);
  assert.deepEqual(layered.errors, []);
  assert.equal(findModel(layered.models, 'gpt-4o'), shippedGpt);
  assert.ok(findModel(layered.models, 'anthropic/claude-sonnet-4.5'), 'unmatched imports are added');
  assert.equal(findModel(layered.models, 'glm-5'), findModel(base, 'glm-5'));

  // A model with a USD list to replace, to see the override at work.
  const target: ModelEntry = {
    id: 'gpt-4o',
    vendor: 'OpenAI',
    name: 'GPT-4o',
    tokenizer: 'o200k_base',
    contextWindow: 128000,
    prices: [
      { currency: 'USD', input: 5, output: 15, effectiveDate: '2024-05-13', source: 'https://openai.com/api/pricing', checked: '2026-11-30' },
      { currency: 'CNY', input: 30, output: 90, effectiveDate: '2024-05-13', source: 'a CNY reseller list' },
    ],
  };
  const over = parse('openrouter.json', { base: [target], override: true });
  assert.deepEqual(over.merged, [{ imported: 'openai/gpt-4o', model: 'gpt-4o', winner: 'imported' }]);
  const merged = layerPriceTables([{ origin: 'openrouter.json', input: over.table }], [target]);
  assert.deepEqual(merged.errors, []);
  const gpt = findModel(merged.models, 'gpt-4o');
  assert.ok(gpt);
  assert.equal(gpt.name, 'GPT-4o', 'fields the import does not speak to stay the shipped ones');
  assert.deepEqual(gpt.prices.map((p) => [p.currency, p.input, p.source]), [
    ['CNY', 30, 'a CNY reseller list'],
    ['USD', 2.5, 'openrouter.json'],
  ]);
  assert.deepEqual(gpt.history?.map((h) => [h.currency, h.input, h.effectiveDate]), [['USD', 5, '2024-05-13']]);
  // Time travel still sees the replaced list before the file's date.
  assert.equal(cost(1e6, gpt, { currency: 'USD', exchangeRate: 7.2, outputTokens: 0, at: new Date('2025-01-01T00:00:00Z') })?.totalCost, 5);
  assert.equal(cost(1e6, gpt, { currency: 'USD', exchangeRate: 7.2, outputTokens: 0, at: new Date('2026-12-02T00:00:00Z') })?.totalCost, 2.5);
});

test('without a file date the import is dated today (UTC), and says so in each note', () => {
  const r = parsePriceFile(fixture('openrouter.json'), 'or.json', { today: new Date('2027-01-02T03:00:00Z') });
  assert.equal(r.table?.updated, '2027-01-02');
  const m = model(r, 'z-ai/glm-5');
  assert.deepEqual([m.prices[0].effectiveDate, m.prices[0].checked], ['2027-01-02', '2027-01-02']);
  assert.match(m.note ?? '', /or\.json.*the file's date/);
});

test('tokenizers by generation: cl100k for GPT-3.5/4, o200k for GPT-4o to GPT-5.x, no exact claim for a later one', () => {
  const entry = (provider: string) => ({ max_input_tokens: 1000, input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: provider, mode: 'chat' });
  const r = importPriceFile({ 'gpt-4-turbo': entry('openai'), 'gpt-5.5': entry('openai'), 'gpt-6-sol': entry('openai'), 'bedrock/anthropic.claude-opus-4': entry('bedrock') }, 'f.json', { fileDate: '2026-12-01' });
  assert.deepEqual(r.table?.models.map((m) => [m.id, m.tokenizer, m.vendor]), [
    ['gpt-4-turbo', 'cl100k_base', 'OpenAI'],
    ['gpt-5.5', 'o200k_base', 'OpenAI'],
    ['gpt-6-sol', 'estimate:other', 'OpenAI'],
    ['bedrock/anthropic.claude-opus-4', 'estimate:claude', 'Anthropic via bedrock'],
  ]);
  assert.deepEqual(r.problems.map((p) => p.path), ['["gpt-6-sol"].litellm_provider']);
  assert.match(r.problems[0].message, /tokenizer of OpenAI's gpt-6-sol not known/);
});
