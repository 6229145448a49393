// tokenCost.tokenizers: validated entries from user settings and, only when the workspace is trusted, workspace
// settings (overriding by id); invalid entries become problem lines; granting trust re-reads them. And a price
// entry may name a declared user tokenizer, never an undeclared one.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import { validatePriceTable } from '../../../src/core/prices/validate';
import { layerPriceTables } from '../../../src/core/prices/priceTable';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
let settings: InstanceType<typeof Settings> | undefined;

beforeEach(() => vscode.reset());
afterEach(() => settings?.dispose());

const HY = { id: 'my-hy', file: '/home/me/hy.tiktoken', format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' };
const GEMMA = { id: 'gemma3', file: 'tok/tokenizer.json', format: 'huggingface' };

test('user and trusted-workspace entries are read, the workspace overriding by id; invalid ones are problems', () => {
  vscode.configure('tokenCost.tokenizers', [HY, { id: 'qwen', file: 'x', format: 'tiktoken', pattern: 'qwen' }, { id: 'no-format', file: 'x' }]);
  vscode.configure('tokenCost.tokenizers', [GEMMA, { ...HY, file: 'ws/hy.tiktoken' }], 'workspace');
  settings = new Settings();
  const c = settings.current;
  assert.deepEqual(
    c.tokenizers.map((t) => t.entry),
    [{ ...HY, file: 'ws/hy.tiktoken' }, GEMMA],
  );
  assert.deepEqual(c.problems, [
    'tokenCost.tokenizers: tokenizer "qwen": "qwen" is a bundled tokenizer\'s id; choose another',
    'tokenCost.tokenizers: tokenizer "no-format": "format" must be "tiktoken" (a rank file) or "huggingface" (a tokenizer.json)',
  ]);
});

test('an untrusted workspace’s entries are ignored until trust is granted, then re-read and announced', () => {
  vscode.workspace.isTrusted = false;
  vscode.configure('tokenCost.tokenizers', [HY]);
  vscode.configure('tokenCost.tokenizers', [GEMMA], 'workspace');
  settings = new Settings();
  assert.deepEqual(settings.current.tokenizers.map((t) => t.entry.id), ['my-hy']);
  const seen: string[][] = [];
  settings.onDidChange((c) => seen.push(c.tokenizers.map((t) => t.entry.id)));
  vscode.grantTrust();
  assert.deepEqual(seen, [['my-hy', 'gemma3']]);
});

test('the setting is restricted in untrusted workspaces (manifest)', () => {
  const pkg = require('../../../package.json') as { capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } } };
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('tokenCost.tokenizers'));
});

test('a price entry may name a declared user tokenizer; an undeclared unknown id is still an error', () => {
  const entry = { id: 'hy-model', vendor: 'Tencent', tokenizer: 'my-hy', contextWindow: 1000, prices: [{ currency: 'CNY', input: 1, output: 2, effectiveDate: '2026-01-01', source: 'x' }] };
  const ok = validatePriceTable({ models: [entry] }, { userTokenizers: new Set(['my-hy']) });
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.models[0].tokenizer, 'my-hy');
  const undeclared = validatePriceTable({ models: [entry] }, { userTokenizers: new Set(['other']) });
  assert.equal(undeclared.models.length, 0);
  assert.match(undeclared.errors[0].message, /unknown tokenizer "my-hy" \(neither bundled nor declared/);
  assert.equal(validatePriceTable({ models: [entry] }).errors.length, 1);
  // Layers pass the declared ids through, so a user-settings entry over the shipped table works too.
  const layered = layerPriceTables([{ origin: 'user settings', input: [{ id: 'qwen-plus', tokenizer: 'my-hy' }] }], undefined, new Set(['my-hy']));
  assert.deepEqual(layered.errors, []);
  assert.equal(layered.models.find((m) => m.id === 'qwen-plus')?.tokenizer, 'my-hy');
});
