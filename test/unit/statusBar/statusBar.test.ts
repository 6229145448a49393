// The status bar item over real settings, live text and counts (a fake count client): every property is assigned on
// each update, so nothing from an earlier file survives a switch.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, MarkdownString, ThemeColor, type FakeStatusBarItem } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { TokenizerId } from '../../../src/core/prices/types';
import { defaultModels } from '../../../src/core/prices/priceTable';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');
const { StatusBar } = require('../../../src/statusBar/statusBar') as typeof import('../../../src/statusBar/statusBar');

/** Answers every count at once with a fixed number of tokens per character. */
class InstantClient {
  perChar = 1;
  readonly asked: TokenizerId[][] = [];
  async countDocument(doc: { getText(): string }, ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.answer(doc.getText(), ids);
  }
  async countTexts(texts: readonly string[], ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.answer(texts.join(''), ids);
  }
  private answer(text: string, ids: readonly TokenizerId[]): CountResult {
    this.asked.push([...ids]);
    return { ms: 0, characters: text.length, counts: new Map(ids.map((id) => [id, { tokenizer: id, tokens: Math.round(text.length * this.perChar), exact: !id.startsWith('estimate:') }])) };
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const prices = { models: defaultModels(), problemCount: 0 };

let disposables: { dispose(): void }[] = [];
let item: FakeStatusBarItem;
let bar: InstanceType<typeof StatusBar>;
let client: InstantClient;

beforeEach(() => {
  vscode.reset();
  const settings = new Settings();
  const service = new CostService(settings, prices as never);
  const text = new LiveText(settings);
  client = new InstantClient();
  const live = new LiveCounts(text, client as never); // the status bar registers what it needs
  bar = new StatusBar(live, service, prices as never);
  disposables = [bar, live, text, settings];
  item = vscode.statusItems[0];
});
afterEach(() => disposables.forEach((d) => d.dispose()));

const tooltip = () => (item.tooltip instanceof MarkdownString ? item.tooltip.value : item.tooltip ?? '');

test('one item with an id and a name, on the right; hidden until there is a text', () => {
  assert.equal(vscode.statusItems.length, 1);
  assert.equal(item.id, 'tokenCost.status');
  assert.equal(item.name, 'Token Cost');
  assert.equal(item.alignment, vscode.StatusBarAlignment.Right);
  assert.equal(item.visible, false);
  assert.equal(bar.state().visible, false);
});

test('a counted file, then a binary one: text, tooltip, label, command and colour all replaced', async () => {
  vscode.show(vscode.document('x'.repeat(63), '/w/a.md'));
  await flush();
  assert.match(item.text, /^\$\(symbol-numeric\) 63 · ¥\S+ · Qwen Plus$/);
  assert.match(item.accessibilityInformation?.label ?? '', /^63 tokens, ¥\S+, Qwen Plus$/);
  assert.equal(item.accessibilityInformation?.role, 'button');
  assert.deepEqual(item.command, { command: 'tokenCost.openPanel', title: 'Open Comparison Panel' });
  assert.ok(item.tooltip instanceof MarkdownString && item.tooltip.supportThemeIcons);
  assert.deepEqual((item.tooltip as MarkdownString).isTrusted, { enabledCommands: ['tokenCost.openPanel', 'tokenCost.selectDefaultModel', 'tokenCost.showProblems'] });
  assert.equal(item.visible, true);

  vscode.show(vscode.document('PK\u0000\u0000', '/w/b.zip'));
  await flush();
  assert.equal(item.text, '$(symbol-numeric) binary file');
  assert.equal(item.accessibilityInformation?.label, 'Token Cost: b.zip is a binary file; not counted');
  assert.equal(item.accessibilityInformation?.role, undefined);
  assert.equal(item.command, undefined);
  assert.equal((item.tooltip as MarkdownString).isTrusted, false);
  for (const s of [item.text, tooltip(), item.accessibilityInformation?.label ?? '']) assert.doesNotMatch(s, /63|a\\?\.md|Qwen/);
  assert.deepEqual(bar.state(), { text: item.text, tooltip: tooltip(), visible: true, accessibilityLabel: 'Token Cost: b.zip is a binary file; not counted' });
});

test('longer than the context window: warning background, cleared by the next text that fits', async () => {
  client.perChar = 200_000; // 1 character → 200,000 tokens, above Qwen Plus's 131,072
  vscode.show(vscode.document('x', '/w/long.md'));
  await flush();
  assert.deepEqual(item.backgroundColor, new ThemeColor('statusBarItem.warningBackground'));
  assert.match(item.accessibilityInformation?.label ?? '', /longer than the context window/);
  client.perChar = 1;
  vscode.show(vscode.document('short', '/w/short.md'));
  await flush();
  assert.equal(item.backgroundColor, undefined);
  assert.doesNotMatch(item.accessibilityInformation?.label ?? '', /longer/);
});

test('switching to another file while it is counted marks it counting at once: spinner, no price, the new name', async () => {
  vscode.show(vscode.document('x'.repeat(63), '/w/a.md'));
  await flush();
  vscode.show(vscode.document('y'.repeat(7), '/w/c.md')); // its answer comes a microtask later
  assert.match(item.text, /^\$\(sync~spin\) /);
  assert.doesNotMatch(item.text, /¥/);
  assert.equal(item.accessibilityInformation?.label, 'Token Cost: counting c.md…');
  assert.equal(tooltip(), 'Token Cost: counting c\\.md…');
  await flush();
  assert.match(item.text, /^\$\(symbol-numeric\) 7 · /);
});

test('it registers the focus models with live counts: the default model’s tokenizer first, alone; none once disposed', async () => {
  vscode.show(vscode.document('abc'));
  await flush();
  assert.deepEqual(client.asked[0], ['qwen']);
  assert.ok(client.asked[1].length > 1 && !client.asked[1].includes('qwen'));
  bar.dispose();
  client.asked.length = 0;
  vscode.show(vscode.document('def', '/w/d.txt'));
  await flush();
  assert.deepEqual(client.asked, []);
});

test('the editor closing with no other one hides the item', async () => {
  const doc = vscode.document('abc');
  vscode.show(doc);
  await flush();
  vscode.close(doc);
  await flush();
  assert.equal(item.visible, false);
});
