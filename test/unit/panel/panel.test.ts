// ComparisonPanel against the shared fake vscode module: messages, visibility, CSP and the single instance.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, EventEmitter, Uri, FakeWebviewPanel } from '../../fixtures/vscode';
import type { PanelModel, PanelPrices, PanelStrings, PanelUpdate, ToWebview } from '../../../src/panel/protocol';

const vscode = installFakeVscode();
const { ComparisonPanel, panelHtml } = require('../../../src/panel/panel') as typeof import('../../../src/panel/panel');
const created = vscode.panels;
const opened = () => vscode.opened.map((u) => u.toString());

const strings = new Proxy({} as PanelStrings, { get: (_t, k) => (k === 'title' ? 'Token Cost <&>' : String(k)) });
const MODEL: PanelModel = {
  id: 'm1',
  vendor: 'V',
  name: 'M',
  tokenizer: 'qwen',
  contextWindow: 10,
  native: 'CNY',
  priceDate: '2025-01-01',
  source: 'https://x.example',
  prices: [{ currency: 'CNY', input: 1, output: 1, effectiveDate: '2025-01-01', source: 'https://x.example' }],
  history: [
    { currency: 'CNY', input: 4, output: 4, effectiveDate: '2024-05-01', source: 'news (2024 price war); https://old.example/p?a=1', label: 'v1' },
    { currency: 'CNY', input: 2, output: 2, effectiveDate: '2024-09-01', source: 'javascript:alert(1)' },
  ],
};

/** The extension's side of the data: prices keep their version until `changePrices()`; counts are new on each call. */
function makeData() {
  let prices: PanelPrices = { models: [MODEL], exchangeRate: 7, currency: 'CNY', version: 1 };
  let version = 0;
  const update = (): PanelUpdate => ({
    documentName: 'a.md',
    scope: 'document',
    characters: 3,
    outputTokens: 100,
    cacheHitShare: 0,
    rows: [{ id: 'm1', tokens: 1, exact: true, contextUse: 0.1, costs: { CNY: { input: 1, output: 1, total: 2, converted: false }, USD: { input: 1, output: 1, total: 2, converted: true } }, isDefault: false, followed: false }],
    version: ++version,
    pricesVersion: prices.version,
  });
  return {
    data: () => ({ prices, update: update() }),
    changePrices: (change: Partial<PanelPrices>) => (prices = { ...prices, ...change, version: prices.version + 1 }),
  };
}

function makeCtx() {
  const changes = new EventEmitter<void>();
  const calls: string[] = [];
  const data = makeData();
  /** Registrations of the panel's tokenizers: true while active. */
  const counting: boolean[] = [];
  const ctx = {
    extensionUri: Uri.file('/ext') as never,
    onDidChange: changes.event as never,
    data: data.data,
    countWhileVisible: () => {
      const i = counting.push(true) - 1;
      return { dispose: () => (counting[i] = false) };
    },
    strings: () => strings,
    locale: () => 'zh-cn',
    openSource: (id: string) => calls.push(`open:${id}`),
    setDefaultModel: (id: string) => calls.push(`default:${id}`),
    copySummary: () => calls.push('copy'),
  };
  return { ctx, changes, calls, counting, changePrices: data.changePrices };
}

const types = (p: FakeWebviewPanel) => p.posted.map((m) => m.type);

beforeEach(() => {
  ComparisonPanel.current?.dispose();
  vscode.reset();
});

test('createOrShow opens one panel beside the editor and reveals it on the second call', () => {
  const { ctx } = makeCtx();
  const a = ComparisonPanel.createOrShow(ctx);
  const b = ComparisonPanel.createOrShow(ctx);
  assert.equal(a, b);
  assert.equal(ComparisonPanel.current, a);
  assert.equal(created.length, 1);
  const p = created[0];
  assert.equal(p.viewType, 'tokenCost.panel');
  assert.deepEqual(p.showOptions, { viewColumn: -2, preserveFocus: true });
  assert.equal(p.options.enableScripts, true);
  assert.equal(p.options.retainContextWhenHidden, false);
  assert.deepEqual((p.options.localResourceRoots as Uri[]).map((u) => u.path), ['/ext/dist', '/ext/media']);
  assert.deepEqual(p.revealed, [[undefined, true]]);
  p.dispose();
  assert.equal(ComparisonPanel.current, undefined);
});

test('html: strict CSP with a fresh nonce, local resources only, escaped title, lang from locale', () => {
  const { ctx } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const html = created[0].webview.html;
  const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(html)?.[1];
  assert.ok(nonce && Buffer.from(nonce, 'base64').length === 16);
  assert.match(html, /content="default-src 'none'; style-src https:\/\/webview.test; script-src 'nonce-[^']+'; img-src https:\/\/webview.test; font-src https:\/\/webview.test;"/);
  assert.match(html, /<html lang="zh-cn">/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/webview.test\/ext\/media\/panel.css">/);
  assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://webview.test/ext/dist/webview.js"></script>`));
  assert.match(html, /<title>Token Cost &#60;&#38;&#62;<\/title>/);
  assert.doesNotMatch(html, /style=|<style|http:\/\//);
  ComparisonPanel.current!.dispose();
  ComparisonPanel.createOrShow(ctx);
  assert.notEqual(/nonce-([^']+)/.exec(created[1].webview.html)?.[1], nonce);
});

test('panelHtml refuses a malformed lang', () => {
  const html = panelHtml({ cspSource: 'c', nonce: 'n', styleUri: 's', scriptUri: 'j', lang: '"><script>', title: 't' });
  assert.match(html, /<html lang="en">/);
});

test('ready posts init, the prices, then the counts; changes post counts only while visible; the latest when visible again', () => {
  const { ctx, changes } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  p.messages.fire({ type: 'ready' });
  assert.deepEqual(types(p), ['init', 'prices', 'update']);
  assert.equal((p.posted[0] as { locale: string }).locale, 'zh-cn');
  // The history, date and projection strings join the context's, localized through vscode.l10n.t.
  const init = p.posted[0] as Extract<ToWebview, { type: 'init' }>;
  assert.equal(init.strings.projectionTitle, 'Volume projection');
  assert.equal(init.strings.historyOf, 'Price history of {0}');
  assert.equal(init.strings.perMonth, 'Per month (30 days)');
  const prices = p.posted[1] as Extract<ToWebview, { type: 'prices' }>;
  assert.equal(prices.prices.models[0].history.length, 2);
  const update = p.posted[2] as Extract<ToWebview, { type: 'update' }>;
  assert.equal(update.update.pricesVersion, prices.prices.version);
  assert.ok(!('prices' in update.update.rows[0]) && !('history' in update.update.rows[0]), 'counts carry no price lists');
  changes.fire();
  assert.deepEqual(types(p), ['init', 'prices', 'update', 'update']);
  p.visible = false;
  changes.fire();
  changes.fire();
  assert.equal(p.posted.length, 4);
  p.setVisible(true);
  assert.equal(p.posted.length, 5);
  assert.equal(p.posted[4].type, 'update');
  p.setVisible(true); // nothing new
  assert.equal(p.posted.length, 5);
});

test('an edit posts no price lists; a price or currency change posts them once, before the counts priced with them', () => {
  const { ctx, changes, changePrices } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  p.messages.fire({ type: 'ready' });
  for (let i = 0; i < 5; i++) changes.fire();
  assert.deepEqual(types(p), ['init', 'prices', 'update', 'update', 'update', 'update', 'update', 'update']);
  p.posted.length = 0;
  changePrices({ currency: 'USD' });
  changes.fire();
  changes.fire();
  assert.deepEqual(types(p), ['prices', 'update', 'update']);
  const sent = p.posted[0] as Extract<ToWebview, { type: 'prices' }>;
  assert.equal(sent.prices.currency, 'USD');
  assert.equal((p.posted[1] as Extract<ToWebview, { type: 'update' }>).update.pricesVersion, sent.prices.version);
  // A webview that reloads (hidden and shown: its context is not retained) gets them again.
  p.posted.length = 0;
  p.messages.fire({ type: 'ready' });
  assert.deepEqual(types(p), ['init', 'prices', 'update']);
});

test('prices that changed while hidden are posted when the panel is visible again', () => {
  const { ctx, changes, changePrices } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  p.messages.fire({ type: 'ready' });
  p.posted.length = 0;
  p.setVisible(false);
  changePrices({ exchangeRate: 7.5 });
  changes.fire();
  assert.deepEqual(types(p), []);
  p.setVisible(true);
  assert.deepEqual(types(p), ['prices', 'update']);
});

test('the panel registers its tokenizers while visible only, and not after it closes', () => {
  const { ctx, counting } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  assert.deepEqual(counting, [true]);
  p.setVisible(false);
  assert.deepEqual(counting, [false]);
  p.setVisible(false);
  assert.deepEqual(counting, [false], 'no second dispose or registration');
  p.setVisible(true);
  assert.deepEqual(counting, [false, true]);
  p.dispose();
  assert.deepEqual(counting, [false, false]);
});

test('webview requests reach the extension only when valid and about a shown model', () => {
  const { ctx, calls } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  p.messages.fire({ type: 'openSource', modelId: 'm1' }); // nothing shown yet
  p.messages.fire({ type: 'ready' });
  for (const bad of [null, 'copySummary', { type: 'openSource' }, { type: 'openSource', modelId: 'other' }, { type: 'eval', code: '1' }, { type: 'setDefaultModel', modelId: 5 }]) p.messages.fire(bad);
  p.messages.fire({ type: 'openSource', modelId: 'm1' });
  p.messages.fire({ type: 'setDefaultModel', modelId: 'm1' });
  p.messages.fire({ type: 'copySummary' });
  assert.deepEqual(calls, ['open:m1', 'default:m1', 'copy']);
  p.messages.fire({ type: 'showTokens' });
  assert.ok(vscode.executed.some((e) => e.command === 'tokenCost.showTokens'), 'the panel\'s toggle runs Show Tokens');
});

test('revive adopts a restored panel and its options; dispose stops listening', () => {
  const { ctx, changes } = makeCtx();
  const p = new FakeWebviewPanel('tokenCost.panel', {}, {});
  const panel = ComparisonPanel.revive(p as never, ctx);
  assert.equal(ComparisonPanel.current, panel);
  assert.equal(p.webview.options.enableScripts, true);
  assert.match(p.webview.html, /Content-Security-Policy/);
  panel.dispose();
  assert.equal(p.disposed, true);
  assert.equal(ComparisonPanel.current, undefined);
  changes.fire();
  assert.equal(p.posted.length, 0);
});

test('a history list’s source opens by index, only for a shown model, an existing list and an https URL', () => {
  const { ctx, calls } = makeCtx();
  ComparisonPanel.createOrShow(ctx);
  const p = created[0];
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: 0 }); // nothing shown yet
  p.messages.fire({ type: 'ready' });
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: 1 }); // javascript: source
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: 3 }); // past the last list
  p.messages.fire({ type: 'openSource', modelId: 'other', list: 0 });
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: -1 });
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: '0' });
  assert.deepEqual(opened(), []);
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: 0 }); // the first historical list
  p.messages.fire({ type: 'openSource', modelId: 'm1', list: 2 }); // history first, then the current list
  assert.deepEqual(opened(), ['https://old.example/p?a=1', 'https://x.example/']);
  assert.deepEqual(calls, [], 'the extension’s own openSource is for the current source only');
});
