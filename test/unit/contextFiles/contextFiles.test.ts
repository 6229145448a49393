// The context files in the extension, with the fake vscode: which apply to the active file, their counts for the
// default and followed models, the status bar tooltip line, and the Prompt Costs view's "Context files" group.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode, MarkdownString, type TreeItem } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { TokenizerId } from '../../../src/core/prices/types';
import { defaultModels } from '../../../src/core/prices/priceTable';
import { memoryFs } from '../core/context/memoryFs';
import { eventually } from '../../fixtures/eventually';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');
const { StatusBar } = require('../../../src/statusBar/statusBar') as typeof import('../../../src/statusBar/statusBar');
const { ContextFiles } = require('../../../src/contextFiles/contextFiles') as typeof import('../../../src/contextFiles/contextFiles');
const { contextNote } = require('../../../src/contextFiles/contextView') as typeof import('../../../src/contextFiles/contextView');
const { ContextGroup } = require('../../../src/promptCosts/contextGroup') as typeof import('../../../src/promptCosts/contextGroup');

/** One token per character, at once; records what was asked. */
class InstantClient {
  readonly asked: { texts: string[]; ids: TokenizerId[] }[] = [];
  async countDocument(doc: { getText(): string }, ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.countTexts([doc.getText()], ids);
  }
  async countTexts(texts: readonly string[], ids: readonly TokenizerId[]): Promise<CountResult> {
    this.asked.push({ texts: [...texts], ids: [...ids] });
    const n = texts.join('').length;
    return { ms: 0, characters: n, counts: new Map(ids.map((id) => [id, { tokenizer: id, tokens: n, exact: !id.startsWith('estimate:') }])) };
  }
}

const TREE = {
  'AGENTS.md': 'root agents',
  'web/AGENTS.md': 'web agents!',
  'CLAUDE.md': 'claude @notes.md',
  'notes.md': 'notes',
  '.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nts rule\n',
  '.cursor/rules/ask.mdc': '---\ndescription: only on request\n---\nrequested\n',
};
const prices = { models: defaultModels(), problemCount: 0 };
let disposables: { dispose(): void }[] = [];
let client: InstantClient;
let files: InstanceType<typeof ContextFiles>;
let service: InstanceType<typeof CostService>;
let settings: InstanceType<typeof Settings>;

beforeEach(() => {
  vscode.reset();
  vscode.setFolders('/w');
  settings = new Settings();
  service = new CostService(settings, prices as never);
  client = new InstantClient();
  files = new ContextFiles(service, settings, (texts, ids) => client.countTexts(texts, ids), () => memoryFs(TREE));
  disposables = [files, settings];
});
afterEach(() => disposables.forEach((d) => d.dispose()));

test('the files that apply to the active file, each counted on its own, summed per request at the input rate', async () => {
  vscode.show(vscode.document('x', '/w/web/app.ts'));
  await files.reload();
  const state = files.current()!;
  assert.equal(state.target, 'web/app.ts');
  const sent = state.entries.filter((e) => e.applies).map((e) => e.file.path).sort();
  assert.deepEqual(sent, ['.github/instructions/ts.instructions.md', 'CLAUDE.md', 'notes.md', 'web/AGENTS.md']);
  const model = service.defaultModel().model;
  const s = files.summary(model)!;
  assert.equal(s.files, 4);
  // Front matter is not sent: "ts rule\n" is 8 characters.
  assert.equal(s.totalTokens, 'web agents!'.length + 'claude @notes.md'.length + 'notes'.length + 'ts rule\n'.length);
  assert.ok(s.costPerRequest! > 0);
  // Every file once, with the tokenizers of the default and followed models.
  assert.ok(client.asked.every((a) => a.texts.length === 1 && a.ids.includes(model.tokenizer)));
  const asked = client.asked.length;
  await files.reload();
  assert.equal(client.asked.length, asked, 'unchanged files are not counted again');
});

test('the status bar tooltip gets the line: "+N tokens … per request from K context files (model)", followed models after it', async () => {
  vscode.configure('tokenCost.followedModels', ['gpt-4o']);
  const text = new LiveText(settings);
  const live = new LiveCounts(text, client as never);
  const bar = new StatusBar(live, service, prices as never);
  const note = bar.addNotes(() => {
    const models = service.focusModels().flatMap((model) => {
      const summary = files.summary(model);
      return summary ? [{ model, summary }] : [];
    });
    const n = contextNote(models, 'en', vscode.l10n.t as never);
    return n ? [n] : [];
  }, files.onDidChange);
  disposables.push(note, bar, live, text);
  vscode.show(vscode.document('hello', '/w/web/app.ts'));
  await files.reload();
  const total = 'web agents!'.length + 'claude @notes.md'.length + 'notes'.length + 'ts rule\n'.length;
  // The item shows once the live count of the document arrives; the context line comes with it (Markdown escapes aside).
  await eventually(() => {
    const tip = ((vscode.statusItems[0].tooltip as MarkdownString | undefined)?.value ?? '').replace(/\\/g, '');
    assert.match(tip, new RegExp(`\\+${total} tokens ¥[\\d.]+ per request from 4 context files \\(Qwen Plus\\) · GPT-4o \\+${total} `));
  });
});

test('no line and no group outside a workspace folder, and none for a folder without context files', async () => {
  vscode.show(vscode.document('x', '/elsewhere/a.ts'));
  await files.reload();
  assert.equal(files.current(), undefined);
  assert.equal(contextNote([], 'en', vscode.l10n.t as never), undefined);
  const group = new ContextGroup(files, service);
  assert.deepEqual(group.nodes(), []);
});

test('the Prompt Costs group: one row per file found, what it applies to, tokens, the tool rule and its source', async () => {
  vscode.show(vscode.document('x', '/w/lib/a.ts'));
  await files.reload();
  const group = new ContextGroup(files, service);
  assert.deepEqual(group.nodes(), [{ kind: 'context-group' }]);
  const head = group.treeItem({ kind: 'context-group' }) as unknown as TreeItem;
  assert.equal(head.label, 'Context files');
  const total = 'root agents'.length + 'claude @notes.md'.length + 'notes'.length + 'ts rule\n'.length;
  assert.match(head.description!, new RegExp(`^${total} tokens · ¥[\\d.]+ per request$`));
  const rows = group.children().map((n) => group.treeItem(n) as unknown as TreeItem);
  const byPath = new Map(rows.map((r) => [r.label, r]));
  assert.deepEqual([...byPath.keys()].sort(), ['.cursor/rules/ask.mdc', '.github/instructions/ts.instructions.md', 'AGENTS.md', 'CLAUDE.md', 'notes.md']);
  assert.equal(byPath.get('AGENTS.md')!.description, `${'root agents'.length} tokens · nearest AGENTS.md`);
  assert.equal(byPath.get('notes.md')!.description, `${'notes'.length} tokens · imported by CLAUDE.md`);
  const ts = byPath.get('.github/instructions/ts.instructions.md')!;
  assert.equal(ts.description, '8 tokens · matches **/*.ts');
  assert.match((ts.tooltip as MarkdownString).value, /front matter/i);
  assert.match((ts.tooltip as MarkdownString).value, /\(\[code\\\.visualstudio\\\.com\]\(https:\/\/code\.visualstudio\.com\/docs\/copilot\/customization\/custom-instructions\)\)/);
  const ask = byPath.get('.cursor/rules/ask.mdc')!;
  assert.match(ask.description!, /not sent: only when the agent requests it/);
  assert.equal(ask.iconPath!.id, 'circle-slash');
  assert.equal(ts.iconPath!.id, 'pass');
  assert.equal(ts.command!.command, 'vscode.open');
});
