// The panel's data, built from real settings, live counts (a fake count client) and a price table: why there is
// nothing to compare, rows and costs once counted, price lists per 1M tokens with only what the webview needs, and
// the split: the lists keep their version across edits and get a new one when prices or currency settings change.
import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { HistoricalPrice, ModelEntry, TokenizerId } from '../../../src/core/prices/types';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');
const { PanelData, panelList } = require('../../../src/panel/panelSnapshot') as typeof import('../../../src/panel/panelSnapshot');

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

let settings: InstanceType<typeof Settings>;
let service: InstanceType<typeof CostService>;
let live: InstanceType<typeof LiveCounts>;
let data: InstanceType<typeof PanelData>;
let text: InstanceType<typeof LiveText>;
let prices: { models: ModelEntry[]; problemCount: number };
let client: Client;
let disposables: { dispose(): void }[] = [];
const flush = () => new Promise<void>((r) => setImmediate(r));

beforeEach(() => {
  vscode.reset();
  vscode.configure('tokenCost.defaultModel', 'cheap');
  vscode.configure('tokenCost.followedModels', ['est']);
  vscode.configure('tokenCost.outputTokens', 10);
  settings = new Settings();
  prices = { models: MODELS, problemCount: 0 };
  service = new CostService(settings, prices as never);
  text = new LiveText(settings);
  client = new Client();
  live = new LiveCounts(text, client as never);
  live.register(() => ['qwen'], { primary: true });
  data = new PanelData(live, service, settings);
  disposables = [live, text, settings];
});
afterEach(() => disposables.forEach((d) => d.dispose()));

test('no editor: a message, no rows; the settings still come along', () => {
  const s = data.snapshot();
  assert.deepEqual(s.rows, []);
  assert.equal(s.message, 'Open a file to compare models.');
  assert.equal(s.outputTokens, 10);
  assert.equal(s.currency, 'CNY');
  assert.equal(s.exchangeRate, 7.2);
});

test('binary and too-large files: a message naming the file, no rows', () => {
  vscode.show(vscode.document('a\u0000b', '/w/x.bin'));
  assert.equal(data.snapshot().message, 'x.bin looks binary (contains NUL characters); it is not counted.');
  vscode.configure('tokenCost.maxFileSize', 4);
  vscode.show(vscode.document('0123456789', '/w/big.txt'));
  const s = data.snapshot();
  assert.match(s.message ?? '', /^big\.txt is 10 B, above tokenCost\.maxFileSize\./);
  assert.deepEqual(s.rows, []);
});

test('while counting: "Counting…", no numbers, and every model’s tokenizer is asked for', () => {
  client.hold = true;
  vscode.show(vscode.document('hello', '/w/a.md'));
  const s = data.snapshot();
  assert.equal(s.message, 'Counting a.md…');
  assert.deepEqual(s.rows, []);
  assert.deepEqual([...new Set(client.asked.flat())].sort(), ['estimate:claude', 'qwen']);
  assert.deepEqual(client.asked.at(-1), ['estimate:claude'], 'only what was missing');
});

test('counted: one row per model with a current price, costs in both currencies, default and followed marked', async () => {
  // Priced at "now": fix it outside the model's off-peak window (00:30–08:30 Shanghai), or the test depends on the hour.
  mock.timers.enable({ apis: ['Date'], now: new Date('2026-01-01T12:00:00Z') });
  try {
  vscode.show(vscode.document('x'.repeat(40), '/w/a.md'));
  data.snapshot(); // asks for the missing tokenizers
  await flush();
  const s = data.snapshot();
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
  } finally {
    mock.timers.reset();
  }
});

test('the price date and source follow the currency setting', async () => {
  vscode.configure('tokenCost.currency', 'USD');
  vscode.show(vscode.document('abc', '/w/a.md'));
  data.snapshot();
  await flush();
  const cheap = data.snapshot().rows.find((r) => r.id === 'cheap')!;
  assert.equal(cheap.priceDate, '2025-02-01');
  assert.equal(cheap.source, 'https://usd.example/');
});

test('update versions increase with every build; each names the prices version it was priced with', () => {
  const a = data.parts();
  const b = data.parts();
  assert.ok(b.update.version > a.update.version);
  assert.equal(a.update.pricesVersion, a.prices.version);
  assert.equal(b.prices, a.prices, 'the very same prices object: nothing to resend');
});

test('an edit builds new counts but not new price lists; the counts carry no lists', async () => {
  const doc = vscode.document('abc', '/w/a.md');
  vscode.show(doc);
  data.parts();
  await flush();
  const first = data.parts();
  vscode.edit(doc, 3, 0, 'def');
  text.refresh(); // what the typing debounce ends with
  data.parts();
  await flush();
  const second = data.parts();
  assert.equal(second.prices, first.prices);
  assert.equal(second.update.rows.find((r) => r.id === 'cheap')?.tokens, 6);
  for (const r of second.update.rows) assert.deepEqual(Object.keys(r).sort(), ['contextUse', 'costs', 'exact', 'followed', 'id', 'isDefault', 'tokens']);
});

test('new price lists when the currency or the exchange rate changes, or the price table does', () => {
  const v0 = data.prices();
  vscode.configure('tokenCost.currency', 'USD');
  const v1 = data.prices();
  assert.ok(v1.version > v0.version);
  assert.equal(v1.currency, 'USD');
  assert.equal(v1.models.find((m) => m.id === 'cheap')?.priceDate, '2025-02-01');
  vscode.configure('tokenCost.exchangeRate', 7);
  const v2 = data.prices();
  assert.ok(v2.version > v1.version);
  assert.equal(v2.exchangeRate, 7);
  vscode.configure('tokenCost.outputTokens', 50); // priced per update, not a prices change
  assert.equal(data.prices(), v2);
  prices.models = [...MODELS.slice(0, 1), { ...MODELS[1], name: 'Renamed' }];
  const v3 = data.prices();
  assert.ok(v3.version > v2.version);
  assert.deepEqual(v3.models.map((m) => m.name), ['Cheap', 'Renamed']);
});

test('the models in the prices: current ones only, with their lists, basis and source', () => {
  const p = data.prices();
  assert.deepEqual(p.models.map((m) => m.id), ['cheap', 'est']);
  const cheap = p.models[0];
  assert.equal(cheap.prices.length, 2);
  assert.equal(cheap.history.length, 1);
  assert.equal(cheap.native, 'CNY');
  assert.equal(cheap.estimateBasis, undefined);
  assert.equal(cheap.source, 'https://a.example/p');
  assert.ok(p.models[1].estimateBasis);
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

test('the prices say how old they are: the oldest checked date among the priced models, and when stale how to update', () => {
  const { defaultTableInfo } = require('../../../src/core/prices/priceTable') as typeof import('../../../src/core/prices/priceTable');
  const tableDate = defaultTableInfo().updated!;
  const today = new Date().toISOString().slice(0, 10);
  prices.models = [
    { ...MODELS[0], prices: MODELS[0].prices.map((p) => ({ ...p, checked: today })) },
    { ...MODELS[1], prices: MODELS[1].prices.map((p) => ({ ...p, checked: '2024-01-02' })) },
    // A retired model's lists are not shown: its date does not count.
    { ...MODELS[2], history: MODELS[2].history!.map((p) => ({ ...p, checked: '2020-01-01' })) },
  ];
  const stale = data.prices().asOf!;
  assert.equal(stale.text, `Prices as of 2024-01-02 (price table of ${tableDate})`);
  assert.match(stale.stale!, /more than 60 days old/);
  prices.models = prices.models.map((m) => ({ ...m, prices: m.prices.map((p) => ({ ...p, checked: today })) }));
  const fresh = data.prices().asOf!;
  assert.equal(fresh.stale, undefined);
  assert.equal(fresh.text, today === tableDate ? `Prices as of ${today}` : `Prices as of ${today} (price table of ${tableDate})`);
});

test('"cost on date" in the panel follows the same lists in force as --at: history, a promotion, the list scheduled after it', () => {
  const { panelModel } = require('../../../src/panel/panelSnapshot') as typeof import('../../../src/panel/panelSnapshot');
  const { rowCostAt } = require('../../../src/webview/pricing') as typeof import('../../../src/webview/pricing');
  const { cost } = require('../../../src/core/cost') as typeof import('../../../src/core/cost');
  const model: ModelEntry = {
    id: 'promo', vendor: 'V', name: 'Promo', tokenizer: 'qwen', contextWindow: 1000,
    prices: [list({ input: 1, output: 2, effectiveDate: '2026-05-01', validUntil: '2026-06-30' })],
    scheduled: [list({ input: 3, output: 6, effectiveDate: '2026-07-01' })],
    history: [list({ input: 5, output: 10, effectiveDate: '2025-01-01' })],
  } as ModelEntry;
  const row = { ...panelModel(model, 'CNY'), tokens: 1_000_000, exact: true, contextUse: 0, costs: {}, isDefault: false, followed: false } as never;
  const snap = { exchangeRate: 7.2, outputTokens: 0, cacheHitShare: 0 } as never;
  for (const date of ['2024-06-01', '2025-06-01', '2026-05-15', '2026-08-01']) {
    const cli = cost(1_000_000, model, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0, at: new Date(`${date}T12:00:00Z`) });
    const panel = rowCostAt(row, snap, 'CNY', date);
    assert.equal(panel?.totalCost, cli?.totalCost, date);
  }
  assert.equal(rowCostAt(row, snap, 'CNY', '2026-08-01')?.totalCost, 3, 'the scheduled list after the promotion');
  assert.equal(rowCostAt(row, snap, 'CNY', '2024-06-01'), undefined, 'no price at that date');
});
