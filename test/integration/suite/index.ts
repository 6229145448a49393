/**
 * Token Cost inside a real VS Code launched by @vscode/test-electron (see ../runTest.mjs). The same user-facing
 * checks as test/e2e/extension.e2e.ts, read through the extension's API and the VS Code API instead of the DOM.
 * Expected numbers are computed with the core (tokenizer tables from the extension's dist/tokenizers), so a wrong
 * count or price fails here.
 *
 * VS Code loads the bundle (test/integration/out/index.js) and awaits run(); a rejection fails the test run.
 * mocha is not a dependency: a tiny sequential runner below prints TAP-like ok / not ok lines.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenCostApi } from '../../../src/extension';
import type { PanelSnapshot } from '../../../src/panel/protocol';
import { cost } from '../../../src/core/cost';
import { formatCount, formatMoney } from '../../../src/core/money';
import { defaultModels, findModel } from '../../../src/core/prices/priceTable';
import type { Currency, ModelEntry } from '../../../src/core/prices/types';
import { TokenCounter } from '../../../src/core/tokenizers/tokenCounter';
import { eventually } from '../../fixtures/eventually';

const EXTENSION_ID = 'token-cost.token-cost';
const ZH_FILE = 'rewrite.zh.prompt.md';
const EXCHANGE_RATE = 7.2;
/** The settings the suite sets (user settings) and restores at the end. */
const SETTINGS: Record<string, unknown> = { defaultModel: 'qwen-plus', currency: 'CNY', exchangeRate: EXCHANGE_RATE, outputTokens: 0 };

// ---------------------------------------------------------------------------------------------------------------
// A tiny sequential runner: name + async fn, failures collected, one line per test, a throw at the end.

interface TestCase {
  name: string;
  fn: () => Promise<void>;
}

const tests: TestCase[] = [];

function test(name: string, fn: () => Promise<void>): void {
  tests.push({ name, fn });
}

export async function run(): Promise<void> {
  const failures: { name: string; error: unknown }[] = [];
  console.log(`TAP version 13\n1..${tests.length}`);
  try {
    for (const [i, t] of tests.entries()) {
      const started = Date.now();
      try {
        await t.fn();
        console.log(`ok ${i + 1} - ${t.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failures.push({ name: t.name, error });
        console.log(`not ok ${i + 1} - ${t.name} (${Date.now() - started} ms)`);
        console.log(indent(error instanceof Error ? (error.stack ?? error.message) : String(error)));
      }
    }
  } finally {
    await restoreSettings().catch((e) => console.log(`# could not restore settings: ${String(e)}`));
  }
  console.log(`# ${tests.length - failures.length}/${tests.length} tests ok`);
  if (failures.length) throw new Error(`${failures.length} of ${tests.length} Token Cost integration tests failed: ${failures.map((f) => f.name).join('; ')}`);
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => `    # ${l}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

let api: TokenCostApi | undefined;
let counter: TokenCounter | undefined;
const models = defaultModels();
/** Models with a current price: the ones the extension compares. */
const currentModels = models.filter((m) => m.prices.length > 0);
const saved = new Map<string, unknown>();

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('tokenCost');
}

async function setSetting(key: string, value: unknown): Promise<void> {
  if (!saved.has(key)) saved.set(key, config().inspect(key)?.globalValue);
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

async function restoreSettings(): Promise<void> {
  for (const [key, value] of saved) await config().update(key, value, vscode.ConfigurationTarget.Global);
  saved.clear();
}

function theApi(): TokenCostApi {
  assert.ok(api, 'the extension API (activation failed earlier)');
  return api;
}

function theCounter(): TokenCounter {
  if (!counter) {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    // The extension under test is the repository (extensionDevelopmentPath); the bundle lives in test/integration/out.
    const root = ext?.extensionPath ?? path.resolve(__dirname, '..', '..', '..');
    counter = new TokenCounter(path.join(root, 'dist', 'tokenizers'));
  }
  return counter;
}

function model(id: string): ModelEntry {
  const m = findModel(models, id);
  assert.ok(m, `model ${id} in the shipped price table`);
  return m;
}

/** What the status bar must say for `text` on `modelId`, computed by the core. */
function expectedStatus(text: string, modelId: string, currency: Currency = 'CNY'): string {
  const m = model(modelId);
  const c = theCounter().count(m.tokenizer, text);
  const r = cost(c.tokens, m, { currency, exchangeRate: EXCHANGE_RATE, outputTokens: 0, at: new Date() });
  assert.ok(r, `${m.name} has a price`);
  return `$(symbol-numeric) ${c.exact ? '' : '≈'}${formatCount(c.tokens, 'en')} · ${formatMoney(r.totalCost, r.currency, 'en')} · ${m.name}`;
}


async function statusIs(expected: string, timeoutMs = 10_000): Promise<{ text: string; tooltip: string; visible: boolean }> {
  return eventually(() => {
    const s = theApi().status();
    assert.equal(s.text, expected, 'status bar text');
    assert.ok(s.visible, 'status bar item visible');
    return s;
  }, timeoutMs);
}

/** Markdown with its backslash escapes removed, for matching plain names ("GPT\-5\.5" → "GPT-5.5"). */
function unescapeMarkdown(md: string): string {
  return md.replace(/\\(.)/g, '$1');
}

function hoverText(h: vscode.Hover): string {
  return h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder (runTest.mjs opens one with the prompt fixtures)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens the Chinese prompt with an empty selection (whole-document counts), whatever an earlier test left. */
async function openZh(): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(ZH_FILE));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (!editor.selection.isEmpty || editor.selections.length > 1) editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

// ---------------------------------------------------------------------------------------------------------------
// Tests, in order: each may rely on the editor and settings the previous ones left.

test('the extension is present, activates and returns its API', async () => {
  const ext = vscode.extensions.getExtension<TokenCostApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed (extensionDevelopmentPath)`);
  const exports = await ext.activate();
  assert.ok(ext.isActive, 'active');
  assert.equal(typeof exports?.status, 'function', 'api.status()');
  assert.equal(typeof exports?.snapshot, 'function', 'api.snapshot()');
  api = exports;
});

test('settings for the run: Qwen Plus, CNY at 7.2, no output tokens', async () => {
  for (const [key, value] of Object.entries(SETTINGS)) await setSetting(key, value);
  for (const [key, value] of Object.entries(SETTINGS)) assert.deepEqual(config().get(key), value, `tokenCost.${key}`);
});

test('status bar: a Chinese prompt, whole document, Qwen Plus in CNY', async () => {
  const editor = await openZh();
  const s = await statusIs(expectedStatus(editor.document.getText(), 'qwen-plus'));
  assert.match(s.text, /^\$\(symbol-numeric\) \d[\d,]* · ¥[\d.,]+ · Qwen Plus$/);
});

test('status bar follows the selection', async () => {
  const editor = await openZh();
  const selection = new vscode.Selection(0, 0, 0, 13);
  editor.selection = selection;
  const selected = editor.document.getText(selection);
  assert.equal([...selected].length, 13);
  await statusIs(expectedStatus(selected, 'qwen-plus'));
  // Back to the whole document.
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  await statusIs(expectedStatus(editor.document.getText(), 'qwen-plus'));
});

test('tooltip compares the followed models and marks the cheapest', async () => {
  const editor = await openZh();
  const s = await statusIs(expectedStatus(editor.document.getText(), 'qwen-plus'));
  const tip = unescapeMarkdown(s.tooltip);
  const followed = config().get<string[]>('followedModels') ?? [];
  const names = followed.map((id) => findModel(currentModels, id)?.name).filter((n): n is string => !!n);
  assert.ok(names.length >= 2, `followed models known to the price table: ${followed.join(', ')}`);
  for (const name of ['Qwen Plus', ...names]) assert.ok(tip.includes(name), `tooltip names ${name}:\n${tip}`);
  assert.match(tip, /cheapest/);
  assert.ok(tip.includes(ZH_FILE), 'tooltip names the file');
});

test('hover on a Markdown heading shows its section with the Qwen Plus count', async () => {
  const editor = await openZh();
  const lines = editor.document.getText().split(/\r?\n/);
  const section = lines.slice(2, 6).join('\n');
  const qwen = theCounter().count('qwen', section).tokens;
  const hovers = await eventually(async () => {
    const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(2, 1));
    const ours = (hs ?? []).filter((h) => hoverText(h).includes('Token Cost'));
    assert.ok(ours.length > 0, 'a Token Cost hover');
    return ours;
  });
  const md = unescapeMarkdown(hovers.map(hoverText).join('\n'));
  assert.match(md, /Section/);
  assert.match(md, /lines 3–6/);
  // The table row: "| **Qwen Plus** [★ cheapest] | 39 | ¥… |".
  assert.match(md, new RegExp(`\\|\\s*\\**Qwen Plus\\**[^|\\n]*\\|\\s*${escapeRegExp(formatCount(qwen, 'en'))}\\s*\\|`), `Qwen Plus ${qwen} in:\n${md}`);
});

test('settings apply at once: default model GPT-4o, then currency USD', async () => {
  const editor = await openZh();
  const text = editor.document.getText();
  await setSetting('defaultModel', 'gpt-4o');
  await statusIs(expectedStatus(text, 'gpt-4o'));
  await setSetting('defaultModel', 'qwen-plus');
  await setSetting('currency', 'USD');
  const s = await statusIs(expectedStatus(text, 'qwen-plus', 'USD'));
  assert.match(s.text, /\$\d/, 'shows dollars');
  await setSetting('currency', 'CNY');
  await statusIs(expectedStatus(text, 'qwen-plus'));
});

test('snapshot: one row per current model, cheapest first in CNY', async () => {
  const editor = await openZh();
  await statusIs(expectedStatus(editor.document.getText(), 'qwen-plus'));
  const snap: PanelSnapshot = theApi().snapshot();
  assert.equal(snap.message, undefined);
  assert.equal(snap.documentName, ZH_FILE);
  assert.equal(snap.scope, 'document');
  assert.equal(snap.rows.length, currentModels.length);
  assert.deepEqual(new Set(snap.rows.map((r) => r.id)), new Set(currentModels.map((m) => m.id)));
  for (let i = 1; i < snap.rows.length; i++) {
    const [a, b] = [snap.rows[i - 1], snap.rows[i]];
    assert.ok(a.costs.CNY.total <= b.costs.CNY.total, `cheapest first: ${a.name} (¥${a.costs.CNY.total}) before ${b.name} (¥${b.costs.CNY.total})`);
  }
  const qwen = snap.rows.find((r) => r.id === model('qwen-plus').id);
  assert.ok(qwen, 'a Qwen Plus row');
  assert.equal(qwen.tokens, theCounter().count('qwen', editor.document.getText()).tokens);
  assert.ok(qwen.isDefault, 'Qwen Plus is the default');
});

test('Copy Summary writes a Markdown table to the clipboard', async () => {
  await openZh();
  await vscode.env.clipboard.writeText('token-cost: not yet copied');
  await vscode.commands.executeCommand('tokenCost.copySummary');
  const text = await eventually(async () => {
    const t = await vscode.env.clipboard.readText();
    assert.notEqual(t, 'token-cost: not yet copied', 'clipboard written');
    return t;
  }, 5_000);
  assert.match(text, /^\|.*\|$/m, 'a Markdown table row');
  assert.match(text, /^\|( ---:? \|)+/m, 'a Markdown table separator');
  assert.ok(text.includes('Qwen Plus'), `Qwen Plus in:\n${text}`);
  assert.ok(text.includes(ZH_FILE), 'names the file');
});
