// Settings: typed reads with fallbacks and problem lines, live re-reads, and the resource settings read per folder
// of a multi-root workspace (prompt files, price-table files, budgets).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, Uri } from '../../fixtures/vscode';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');

const DEFAULT_GLOBS = vscode.defaults.get('tokenCost.promptFiles') as string[];
let settings: InstanceType<typeof Settings>;

beforeEach(() => {
  vscode.reset();
});
afterEach(() => settings?.dispose());

test('defaults as the manifest declares them, with no problems', () => {
  settings = new Settings();
  const c = settings.current;
  assert.equal(c.defaultModel, 'qwen-plus');
  assert.equal(c.currency, 'CNY');
  assert.equal(c.exchangeRate, 7.2);
  assert.equal(c.countScope, 'selection');
  assert.equal(c.hoverEnabled, true);
  assert.equal(c.maxFileSize, 16 * 1024 * 1024);
  assert.ok(c.followedModels.includes('qwen-plus') && c.followedModels.length > 3);
  assert.deepEqual(c.problems, []);
});

test('typed values are read, trimmed and rounded; a change is re-read and announced', () => {
  vscode.configure('tokenCost.defaultModel', '  gpt-4o ');
  vscode.configure('tokenCost.followedModels', [' a ', '', 'b']);
  vscode.configure('tokenCost.outputTokens', 99.6);
  settings = new Settings();
  assert.equal(settings.current.defaultModel, 'gpt-4o');
  assert.deepEqual(settings.current.followedModels, ['a', 'b']);
  assert.equal(settings.current.outputTokens, 100);
  const seen: string[] = [];
  settings.onDidChange((c) => seen.push(c.currency));
  vscode.configure('tokenCost.currency', 'USD', 'workspace');
  assert.deepEqual(seen, ['USD']);
  assert.equal(settings.current.currency, 'USD');
  vscode.configure('editor.fontSize', 20); // not ours: no re-read, no event
  assert.deepEqual(seen, ['USD']);
});

test('invalid values fall back to the default, each with a problem line naming the setting, the value and the fallback', () => {
  vscode.configure('tokenCost.exchangeRate', -1);
  vscode.configure('tokenCost.currency', 'EUR');
  vscode.configure('tokenCost.cacheHitShare', 2);
  vscode.configure('tokenCost.countScope', 'paragraph');
  vscode.configure('tokenCost.defaultModel', '   ');
  vscode.configure('tokenCost.hover.enabled', 'yes');
  settings = new Settings();
  const c = settings.current;
  assert.equal(c.exchangeRate, 7.2);
  assert.equal(c.currency, 'CNY');
  assert.equal(c.cacheHitShare, 0);
  assert.equal(c.countScope, 'selection');
  assert.equal(c.defaultModel, 'qwen-plus');
  assert.equal(c.hoverEnabled, true);
  assert.deepEqual(c.problems, [
    'tokenCost.defaultModel: invalid value "   "; using "qwen-plus"',
    'tokenCost.currency: invalid value "EUR"; using "CNY"',
    'tokenCost.exchangeRate: invalid value -1; using 7.2',
    'tokenCost.cacheHitShare: invalid value 2; using 0',
    'tokenCost.countScope: invalid value "paragraph"; using "selection"',
    'tokenCost.hover.enabled: invalid value "yes"; using true',
  ]);
  vscode.configure('tokenCost.exchangeRate', 7);
  assert.equal(settings.current.exchangeRate, 7);
  assert.ok(!settings.current.problems.some((p) => p.startsWith('tokenCost.exchangeRate')));
});

test('price entries: user and workspace layers kept apart (untrusted workspaces drop the latter)', () => {
  vscode.configure('tokenCost.prices', [{ id: 'mine' }]);
  vscode.configure('tokenCost.prices', [{ id: 'theirs' }], 'workspace');
  settings = new Settings();
  assert.deepEqual(settings.current.userPrices, [{ id: 'mine' }]);
  assert.deepEqual(settings.current.workspacePrices, [[{ id: 'theirs' }]]);
});

test('promptFiles(uri): each folder of a two-folder workspace its own globs; invalid ones fall back; re-read on change', () => {
  vscode.setFolders('/w1', '/w2');
  vscode.configure('tokenCost.promptFiles', ['docs/**/*.md', ' '], { folder: '/w2' });
  settings = new Settings();
  const inW1 = Uri.file('/w1/p/a.prompt');
  const inW2 = Uri.file('/w2/docs/a.md');
  assert.deepEqual(settings.promptFiles(inW1 as never), DEFAULT_GLOBS);
  assert.deepEqual(settings.promptFiles(inW2 as never), ['docs/**/*.md'], 'blank globs dropped');
  assert.deepEqual(settings.promptFiles(), DEFAULT_GLOBS, 'outside any folder: the workspace/user value');
  vscode.configure('tokenCost.promptFiles', 'not-a-list', { folder: '/w2' });
  assert.deepEqual(settings.promptFiles(inW2 as never), DEFAULT_GLOBS, 'invalid: the shipped default');
  vscode.configure('tokenCost.promptFiles', ['x/**'], 'workspace');
  assert.deepEqual(settings.promptFiles(inW1 as never), ['x/**'], 'the workspace value where the folder sets none');
});

test('priceTableFiles(): user and workspace values resolve against the first folder, folder values against their own, each once', () => {
  const [w1, w2] = vscode.setFolders('/w1', '/w2');
  vscode.configure('tokenCost.priceTableFile', 'team.token-prices.json');
  vscode.configure('tokenCost.priceTableFile', ' shared.token-prices.json ', 'workspace');
  vscode.configure('tokenCost.priceTableFile', 'local.token-prices.json', { folder: '/w2' });
  vscode.configure('tokenCost.priceTableFile', '', { folder: '/w1' });
  settings = new Settings();
  const files = settings.priceTableFiles().map((f) => ({ path: f.path, base: f.base?.toString() }));
  assert.deepEqual(files, [
    { path: 'team.token-prices.json', base: w1.uri.toString() },
    { path: 'shared.token-prices.json', base: w1.uri.toString() },
    { path: 'local.token-prices.json', base: w2.uri.toString() },
  ]);
  vscode.configure('tokenCost.priceTableFile', 'team.token-prices.json', { folder: '/w1' });
  assert.equal(settings.priceTableFiles().length, 3, 'the same file for the same folder is listed once');
  vscode.setFolders();
  assert.deepEqual(settings.priceTableFiles().map((f) => f.base), [undefined, undefined], 'no folder: no base');
});

test('budgets(uri): per folder, validated, invalid entries reported', () => {
  vscode.setFolders('/w1', '/w2');
  vscode.configure('tokenCost.budgets', [{ glob: 'prompts/**', tokens: 4000 }], { folder: '/w1' });
  vscode.configure('tokenCost.budgets', [{ glob: '**', tokens: -5 }, { glob: '*.md', cost: 0.01, currency: 'CNY' }], { folder: '/w2' });
  settings = new Settings();
  const b1 = settings.budgets(Uri.file('/w1/prompts/a.md') as never);
  const b2 = settings.budgets(Uri.file('/w2/a.md') as never);
  assert.equal(b1.rules.length, 1);
  assert.equal(b1.rules[0].glob, 'prompts/**');
  assert.deepEqual(b1.problems, []);
  assert.equal(b2.rules.length, 1);
  assert.equal(b2.rules[0].glob, '*.md');
  assert.equal(b2.problems.length, 1);
  assert.equal(b2.problems[0].index, 0);
  assert.deepEqual(settings.budgets(), { rules: [], problems: [] }, 'outside any folder: the user/workspace value (none)');
  vscode.configure('tokenCost.budgets', undefined, { folder: '/w1' });
  assert.equal(settings.budgets(Uri.file('/w1/prompts/a.md') as never).rules.length, 0, 're-read after a change');
});

test('update() writes where the user keeps the setting: the workspace if it overrides there, else user settings', async () => {
  settings = new Settings();
  await settings.update('defaultModel', 'gpt-4o');
  assert.equal(vscode.user.get('tokenCost.defaultModel'), 'gpt-4o');
  vscode.configure('tokenCost.currency', 'USD', 'workspace');
  await settings.update('currency', 'CNY');
  assert.equal(vscode.workspaceValues.get('tokenCost.currency'), 'CNY');
  assert.equal(vscode.user.get('tokenCost.currency'), undefined);
  assert.equal(settings.current.defaultModel, 'gpt-4o');
});
