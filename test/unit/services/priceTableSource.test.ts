// The price table the extension uses (host side, fake vscode): a workspace price-table file in LiteLLM's, models.dev's
// or OpenRouter's format, merged with the shipped models (shipped wins unless tokenCost.priceTableFileOverrides), its
// unmapped fields as warnings at their place in the file; the refreshed layer between shipped and settings.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installFakeVscode } from '../../fixtures/vscode';
import type { Diagnostic } from '../../fixtures/vscode';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { PriceTableSource } = require('../../../src/services/priceTableSource') as typeof import('../../../src/services/priceTableSource');
const { defaultModels } = require('../../../src/core/prices/priceTable') as typeof import('../../../src/core/prices/priceTable');

const IMPORTS = join(__dirname, '../../fixtures/price-imports');
const fixture = (name: string) => readFileSync(join(IMPORTS, name), 'utf8');

let settings: InstanceType<typeof Settings>;
let source: InstanceType<typeof PriceTableSource>;
let log: ReturnType<typeof vscode.window.createOutputChannel>;

function open(fileText: string, mtime = Date.parse('2026-11-20T10:00:00Z')) {
  vscode.setFolders('/w');
  vscode.writeFile('/w/prices.json', fileText, mtime);
  vscode.configure('tokenCost.priceTableFile', 'prices.json', 'workspace');
  settings = new Settings();
  log = vscode.window.createOutputChannel('Token Cost');
  source = new PriceTableSource(settings, log as never);
}
const diagnostics = () => (source as unknown as { diagnostics: { get(u: unknown): Diagnostic[] | undefined } }).diagnostics.get(vscode.Uri.file('/w/prices.json')) ?? [];
const usd = (id: string) => source.models.find((m) => m.id === id)?.prices.find((p) => p.currency === 'USD');

beforeEach(() => vscode.reset());
afterEach(() => {
  source?.dispose();
  settings?.dispose();
});

test('a LiteLLM file: unmatched models added, dated by the file; a shipped model keeps its price; unmapped fields are warnings at their path', async () => {
  open(fixture('litellm.json'));
  await source.reload();
  const added = source.models.find((m) => m.id === 'nscale/some-open-model');
  assert.ok(added, 'unmatched import added');
  assert.equal(added.prices[0].input, 0.1);
  assert.equal(added.prices[0].checked, '2026-11-20', "the file's modification day");
  assert.match(added.prices[0].source, /prices\.json/);
  const shipped = defaultModels().find((m) => m.id === 'deepseek-flash')!.prices.find((p) => p.currency === 'USD')!;
  assert.equal(usd('deepseek-flash')?.input, shipped.input, 'shipped wins by default');

  const d = diagnostics();
  const audio = d.find((x) => x.code === '["gemini/gemini-2.5-pro"].input_cost_per_audio_token');
  assert.ok(audio, JSON.stringify(d.map((x) => x.code)));
  assert.equal(audio.severity, vscode.DiagnosticSeverity.Warning);
  const text = fixture('litellm.json');
  const line = text.split('\n').findIndex((l) => l.includes('"input_cost_per_audio_token"'));
  assert.equal(audio.range.start.line, line, 'placed on the field in the file');
  assert.ok(d.some((x) => x.code === '["text-embedding-3-small"].mode'));
  assert.ok(log.lines.some((l) => /prices\.json: litellm file, \d+ model\(s\) imported, \d+ matching a shipped model kept its shipped price/.test(l)), log.lines.join('\n'));
});

test('tokenCost.priceTableFileOverrides: the file\'s price replaces the shipped one, the shipped list goes to history', async () => {
  open(fixture('litellm.json'));
  vscode.configure('tokenCost.priceTableFileOverrides', true, 'workspace');
  await source.reload();
  assert.equal(usd('deepseek-flash')?.input, 0.28);
  assert.equal(usd('deepseek-flash')?.output, 0.42);
  const flash = source.models.find((m) => m.id === 'deepseek-flash')!;
  assert.ok(flash.prices.some((p) => p.currency === 'CNY'), 'the other currency list stays');
  assert.equal(flash.tokenizer, defaultModels().find((m) => m.id === 'deepseek-flash')!.tokenizer, 'inherits the shipped fields');
});

test('models.dev and OpenRouter files are recognised by shape', async () => {
  for (const name of ['models-dev.json', 'openrouter.json']) {
    vscode.reset();
    open(fixture(name));
    await source.reload();
    assert.ok(source.models.length > defaultModels().length, `${name}: models added`);
    assert.ok(source.models.slice(defaultModels().length).every((m) => m.prices.every((p) => p.source.includes('prices.json'))));
    source.dispose();
    settings.dispose();
  }
});

test('a file in no known shape is an error on the file and a reported problem; the shipped prices still apply', async () => {
  open(JSON.stringify({ hello: 'world' }));
  await source.reload();
  const [d] = diagnostics();
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.match(d.message, /not a price table this extension knows/);
  assert.equal(source.models.length, defaultModels().length);
  assert.ok(vscode.messages.some((m) => m.level === 'warning'));
});

test('an untrusted workspace ignores the file and its override setting', async () => {
  open(fixture('litellm.json'));
  vscode.workspace.isTrusted = false;
  vscode.configure('tokenCost.priceTableFileOverrides', true, 'workspace');
  await source.reload();
  assert.equal(source.models.length, defaultModels().length);
  assert.equal(usd('deepseek-flash')?.input, defaultModels().find((m) => m.id === 'deepseek-flash')!.prices.find((p) => p.currency === 'USD')!.input);
});

test('the refreshed table is layered over the shipped one and under user settings', async () => {
  open(JSON.stringify({ version: 1, models: [] }));
  await source.reload();
  const base = defaultModels().find((m) => m.id === 'deepseek-flash')!;
  const refreshed = { ...base, prices: base.prices.map((p) => (p.currency === 'USD' ? { ...p, input: 9 } : p)) };
  await source.setRefreshed([refreshed]);
  assert.equal(usd('deepseek-flash')?.input, 9);
  vscode.configure('tokenCost.prices', [{ id: 'deepseek-flash', prices: [{ ...base.prices.find((p) => p.currency === 'USD')!, offPeak: undefined, input: 7 }] }]);
  await source.reload();
  assert.equal(usd('deepseek-flash')?.input, 7, 'user settings win');
  await source.setRefreshed(undefined);
  vscode.configure('tokenCost.prices', undefined);
  await source.reload();
  assert.equal(usd('deepseek-flash')?.input, base.prices.find((p) => p.currency === 'USD')!.input);
});
