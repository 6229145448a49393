// The opt-in price refresh on the host (fake vscode, an injected fetch): the table is layered and cached in global
// storage, a bad table keeps the last good one, at most one request a day unless forced, workspace URLs are ignored.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, Uri } from '../../fixtures/vscode';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { PriceTableSource } = require('../../../src/services/priceTableSource') as typeof import('../../../src/services/priceTableSource');
const { PriceUpdates, pricesAsOfText } = require('../../../src/services/priceUpdates') as typeof import('../../../src/services/priceUpdates');
const { defaultModels } = require('../../../src/core/prices/priceTable') as typeof import('../../../src/core/prices/priceTable');

const URL_ = 'https://prices.example/table.json';
let settings: InstanceType<typeof Settings>;
let source: InstanceType<typeof PriceTableSource>;
let updates: InstanceType<typeof PriceUpdates>;
let log: ReturnType<typeof vscode.window.createOutputChannel>;
let served: { body: string; status?: number };
let requests: string[];
const state = new Map<string, unknown>();

function table(input: number): string {
  const m = defaultModels().find((x) => x.id === 'deepseek-flash')!;
  return JSON.stringify({ version: 1, updated: '2026-12-01', models: [{ ...m, prices: m.prices.map((p) => (p.currency === 'USD' ? { ...p, input } : p)) }] });
}
const usd = () => source.models.find((m) => m.id === 'deepseek-flash')!.prices.find((p) => p.currency === 'USD')!.input;

beforeEach(() => {
  vscode.reset();
  state.clear();
  requests = [];
  served = { body: table(5) };
  settings = new Settings();
  log = vscode.window.createOutputChannel('Token Cost');
  source = new PriceTableSource(settings, log as never);
  const context = { globalStorageUri: Uri.file('/global/token-cost'), globalState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v), keys: () => [...state.keys()] } };
  const fetchFn = async (url: string) => {
    requests.push(url);
    return new Response(served.body, { status: served.status ?? 200 });
  };
  updates = new PriceUpdates(context as never, settings, source, log as never, fetchFn as never);
});
afterEach(() => {
  updates.dispose();
  source.dispose();
  settings.dispose();
});

test('no URL: nothing is requested, and the command says how to set one', async () => {
  assert.equal(await updates.run(true), undefined);
  assert.deepEqual(requests, []);
  assert.match(vscode.messages.at(-1)!.message, /set tokenCost\.priceUpdateUrl in your user settings/);
});

test('a workspace value of tokenCost.priceUpdateUrl is ignored (user settings only)', async () => {
  vscode.configure('tokenCost.priceUpdateUrl', URL_, 'workspace');
  await updates.run(true);
  assert.deepEqual(requests, []);
});

test('updated: the table is layered and cached; once a day unless forced; a bad table keeps the last good one', async () => {
  const shipped = usd();
  vscode.configure('tokenCost.priceUpdateUrl', URL_);
  await updates.run(false);
  assert.deepEqual(requests, [URL_]);
  assert.equal(usd(), 5);
  assert.ok(vscode.files.has(Uri.file('/global/token-cost/price-update.json').toString()), 'cached in global storage');
  assert.ok(log.lines.some((l) => l.startsWith('[info] Prices updated from https://prices.example/table.json: 1 models')), log.lines.join('\n'));

  await updates.run(false);
  assert.equal(requests.length, 1, 'not due again within a day');
  assert.equal(usd(), 5, 'the cached copy stays in use');

  served = { body: '{ not json' };
  await updates.run(true);
  assert.equal(requests.length, 2, 'the command fetches now');
  assert.equal(usd(), 5, 'the last good table is kept');
  assert.ok(log.lines.some((l) => /^\[warn\] Price update from .* is not valid JSON .* Using the copy fetched /.test(l)), log.lines.join('\n'));
  assert.match(vscode.messages.at(-1)!.message, /did not succeed; the last good copy stays in use/);

  served = { body: table(6), status: 500 };
  await updates.run(true);
  assert.equal(usd(), 5);
  assert.ok(log.lines.some((l) => /failed: HTTP 500/.test(l)));

  served = { body: table(6) };
  await updates.run(true);
  assert.equal(usd(), 6);

  vscode.configure('tokenCost.priceUpdateUrl', '');
  await updates.run(false);
  assert.equal(usd(), shipped, 'turned off: the shipped prices again');
});

test('"Prices as of": the oldest checked date with the table date, and how to update when stale', () => {
  assert.deepEqual(pricesAsOfText({ oldestChecked: '2026-11-30', tableDate: '2026-12-02', stale: false, unchecked: [] }), { asOf: 'Prices as of 2026-11-30 (price table of 2026-12-02)' });
  const stale = pricesAsOfText({ oldestChecked: '2026-01-01', tableDate: '2026-01-01', stale: true, unchecked: [] });
  assert.equal(stale.asOf, 'Prices as of 2026-01-01');
  assert.match(stale.stale!, /more than 60 days old.*newer version.*tokenCost\.priceTableFile.*tokenCost\.priceUpdateUrl/);
});
