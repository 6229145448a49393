// The panel's data, built from real settings, live counts (a fake count client) and a price table: why there is
// nothing to compare, rows and costs once counted, and price lists per 1M tokens with only what the webview needs.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { HistoricalPrice, ModelEntry, TokenizerId } from '../../../src/core/prices/types';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');
const { buildSnapshot, panelList } = require('../../../src/panel/panelSnapshot') as typeof import('../../../src/panel/panelSnapshot');

/** Answers when released; 1 token per character, exact only for the public tokenizers. */
class Client {
  readonly asked: TokenizerId[][] = [];
  private readonly pending: (() => void)[] = [];
  hold = false;
  countDocument(doc: { getText(): string }, ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.answer(doc.getText(), ids);
  }
  countTexts(texts: readonly string[], ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.answer(texts.join(''), ids);
  }
  release(): void {
    this.pending.splice(0).forEach((f) => f());
  }
  private answer(text: string, ids: readonly TokenizerId[]): Promise<CountResult> {
    this.asked.push([...ids]);
    const result = { ms: 0, characters: text.length, counts: new Map(ids.map((id) => [id, { tokenizer: id, tokens: text.length, exact: !id.startsWith('estimate:') }])) };
    return new Promise((resolve) => (this.hold ? this.pending.push(() => resolve(result)) : resolve(result)));
  }
}

const list = (extra: Partial<HistoricalPrice>): HistoricalPrice => ({ currency: 'CNY', input: 1, output: 2, effectiveDate: '2025-01-01', source: 'https://a.example/p', ...extra });
const MODELS: ModelEntry[] = [
  {
    id: 'cheap', vendor: 'V1', name: 'Cheap', tokenizer: 'qwen', contextWindow: 100,
    prices: [
      list({
        unit: 1000, input: 0.0005, output: 0.002, cachedInput: 0.0001, batchMultiplier: 0.5, thinkingOutput: 0.004,
        tiers: [{ above: 50, input: 0.001, output: 0.004 }],
        offPeak: [{ timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.5 }],
      }),
      list({ currency: 'USD', input: 0.1, output: 0.2, effectiveDate: '2025-02-01', source: 'https://usd.example/' }),
    ],
    history: [list({ input: 4, output: 8, effectiveDate: '2024-05-01', label: 'v1', offPeak: [{ timezone: 'UTC', start: '00:00', end: '01:00', multiplier: 0.5 }], note: 'old' })],
  },
  { id: 'est', vendor: 'V2', name: 'Estimated', tokenizer: 'estimate:claude', contextWindow: 10, prices: [list({ currency: 'USD', input: 3, output: 15, source: 'vendor page (no URL)' })] },
  { id: 'gone', vendor: 'V2', name: 'Retired', tokenizer: 'o200k_base', contextWindow: 10, prices: [], history: [list({})] },
];
const prices = { models: MODELS, problemCount: 0 };

let settings: InstanceType<typeof Settings>;
let service: InstanceType<typeof CostService>;
let live: InstanceType<typeof LiveCounts>;
let client: Client;
let disposables: { dispose(): void }[] = [];
const flush = () => new Promise<void>((r) => setImmediate(r));

beforeEach(() => {
  vscode.reset();
  vscode.configure('tokenCost.defaultModel', 'cheap');
  vscode.configure('tokenCost.followedModels', ['est']);
  vscode.configure('tokenCost.outputTokens', 10);
  settings = new Settings();
  service = new CostService(settings, prices as never);
  const text = new LiveText(settings);
  client = new Client();
  live = new LiveCounts(text, client as never, () => ['qwen']);
  disposables = [live, text, settings];
});
afterEach(() => disposables.forEach((d) => d.dispose()));

test('no editor: a message, no rows; the settings still come along', () => {
  const s = buildSnapshot(live, service, settings);
  assert.deepEqual(s.rows, []);
  assert.equal(s.message, 'Open a file to compare models.');
  assert.equal(s.outputTokens, 10);
  assert.equal(s.currency, 'CNY');
  assert.equal(s.exchangeRate, 7.2);
});

test('binary and too-large files: a message naming the file, no rows', () => {
  vscode.show(vscode.document('a\u0000b', '/w/x.bin'));
  assert.equal(buildSnapshot(live, service, settings).message, 'x.bin looks binary (contains NUL characters); it is not counted.');
  vscode.configure('tokenCost.maxFileSize', 4);
  vscode.show(vscode.document('0123456789', '/w/big.txt'));
  const s = buildSnapshot(live, service, settings);
  assert.match(s.message ?? '', /^big\.txt is 10 B, above tokenCost\.maxFileSize\./);
  assert.deepEqual(s.rows, []);
});

test('while counting: "Counting…", no numbers, and every model’s tokenizer is asked for', () => {
  client.hold = true;
  vscode.show(vscode.document('hello', '/w/a.md'));
  const s = buildSnapshot(live, service, settings);
  assert.equal(s.message, 'Counting a.md…');
  assert.deepEqual(s.rows, []);
  assert.deepEqual([...new Set(client.asked.flat())].sort(), ['estimate:claude', 'qwen']);
  assert.deepEqual(client.asked.at(-1), ['estimate:claude'], 'only what was missing');
});

test('counted: one row per model with a current price, costs in both currencies, default and followed marked', async () => {
  vscode.show(vscode.document('x'.repeat(40), '/w/a.md'));
  buildSnapshot(live, service, settings); // asks for the missing tokenizers
  await flush();
  const s = buildSnapshot(live, service, settings);
  assert.equal(s.message, undefined);
  assert.equal(s.documentName, 'a.md');
  assert.equal(s.scope, 'document');
  assert.equal(s.characters, 40);
  assert.deepEqual(s.rows.map((r) => r.id).sort(), ['cheap', 'est'], 'the retired model has no row');
  const cheap = s.rows.find((r) => r.id === 'cheap')!;
  assert.equal(cheap.tokens, 40);
  assert.equal(cheap.exact, true);
  assert.equal(cheap.isDefault, true);
  assert.equal(cheap.followed, true);
  assert.equal(cheap.contextUse, 0.4);
  // ¥0.5 / ¥2 per 1M: 40 input and 10 output tokens.
  assert.ok(Math.abs(cheap.costs.CNY.input - (40 * 0.5) / 1e6) < 1e-15);
  assert.ok(Math.abs(cheap.costs.CNY.output - (10 * 2) / 1e6) < 1e-15);
  assert.equal(cheap.costs.CNY.converted, false);
  assert.equal(cheap.costs.USD.converted, false, 'it has its own USD list');
  assert.equal(cheap.native, 'CNY');
  assert.equal(cheap.priceDate, '2025-01-01');
  const est = s.rows.find((r) => r.id === 'est')!;
  assert.equal(est.exact, false);
  assert.ok(est.estimateBasis && est.estimateBasis.length > 0, 'an estimate says why');
  assert.equal(est.isDefault, false);
  assert.equal(est.costs.CNY.converted, true, 'USD-only: converted at the rate');
  assert.ok(Math.abs(est.costs.CNY.total - est.costs.USD.total * 7.2) < 1e-12);
});

test('the price date and source follow the currency setting', async () => {
  vscode.configure('tokenCost.currency', 'USD');
  vscode.show(vscode.document('abc', '/w/a.md'));
  buildSnapshot(live, service, settings);
  await flush();
  const cheap = buildSnapshot(live, service, settings).rows.find((r) => r.id === 'cheap')!;
  assert.equal(cheap.priceDate, '2025-02-01');
  assert.equal(cheap.source, 'https://usd.example/');
});

test('versions increase with every snapshot', () => {
  const a = buildSnapshot(live, service, settings).version;
  const b = buildSnapshot(live, service, settings).version;
  assert.ok(b > a);
});

test('panelList: per 1M tokens, pricing fields only; off-peak windows only on current lists', () => {
  const [cny] = MODELS[0].prices;
  assert.deepEqual(panelList(cny, true), {
    currency: 'CNY', input: 0.5, output: 2, cachedInput: 0.1, effectiveDate: '2025-01-01', source: 'https://a.example/p',
    tiers: [{ above: 50, input: 1, output: 4 }],
    offPeak: [{ timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.5 }],
  });
  const old = panelList(MODELS[0].history![0], false);
  assert.equal(old.offPeak, undefined);
  assert.equal(old.label, 'v1');
  assert.equal(old.note, 'old');
  assert.ok(!('batchMultiplier' in panelList(cny, true)) && !('thinkingOutput' in panelList(cny, true)) && !('unit' in panelList(cny, true)));
});
