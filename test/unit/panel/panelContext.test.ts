// The panel's context-files field: filled from ContextFiles (the real one, over an in-memory workspace) with the
// applying files' tokens per tokenizer of the default and followed models; absent when none apply, when not counted
// yet, or when the files were found for another document than the one compared. The webview's checks of its shape.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { ContextSummary } from '../../../src/core/context/contextCost';
import type { HistoricalPrice, ModelEntry, TokenizerId } from '../../../src/core/prices/types';
import { memoryFs } from '../core/context/memoryFs';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');
const { ContextFiles } = require('../../../src/contextFiles/contextFiles') as typeof import('../../../src/contextFiles/contextFiles');
const { PanelData } = require('../../../src/panel/panelSnapshot') as typeof import('../../../src/panel/panelSnapshot');
const { isPanelUpdate, joinSnapshot } = require('../../../src/panel/protocol') as typeof import('../../../src/panel/protocol');

/** One token per character, at once; exact only for the public tokenizers. */
class InstantClient {
  async countDocument(doc: { getText(): string }, ids: readonly TokenizerId[]): Promise<CountResult> {
    return this.countTexts([doc.getText()], ids);
  }
  async countTexts(texts: readonly string[], ids: readonly TokenizerId[]): Promise<CountResult> {
    const n = texts.join('').length;
    return { ms: 0, characters: n, counts: new Map(ids.map((id) => [id, { tokenizer: id, tokens: n, exact: !id.startsWith('estimate:') }])) };
  }
}

const list = (extra: Partial<HistoricalPrice>): HistoricalPrice => ({ currency: 'CNY', input: 1, output: 2, effectiveDate: '2025-01-01', source: 'https://a.example/p', ...extra });
const MODELS: ModelEntry[] = [
  { id: 'cheap', vendor: 'V1', name: 'Cheap', tokenizer: 'qwen', contextWindow: 1000, prices: [list({})] },
  { id: 'est', vendor: 'V2', name: 'Estimated', tokenizer: 'estimate:claude', contextWindow: 1000, prices: [list({ currency: 'USD', input: 3, output: 15 })] },
  { id: 'other', vendor: 'V3', name: 'Other', tokenizer: 'o200k_base', contextWindow: 1000, prices: [list({})] },
];
const TREE = {
  'AGENTS.md': 'root agents',
  'web/AGENTS.md': 'web agents!',
  '.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nts rule\n',
  '.cursor/rules/ask.mdc': '---\ndescription: only on request\n---\nrequested\n',
};

let settings: InstanceType<typeof Settings>;
let service: InstanceType<typeof CostService>;
let text: InstanceType<typeof LiveText>;
let live: InstanceType<typeof LiveCounts>;
let disposables: { dispose(): void }[] = [];
const flush = () => new Promise<void>((r) => setImmediate(r));

beforeEach(() => {
  vscode.reset();
  vscode.setFolders('/w');
  vscode.configure('tokenCost.defaultModel', 'cheap');
  vscode.configure('tokenCost.followedModels', ['est']);
  settings = new Settings();
  service = new CostService(settings, { models: MODELS, problemCount: 0 } as never);
  text = new LiveText(settings);
  live = new LiveCounts(text, new InstantClient() as never);
  disposables = [live, text, settings];
});
afterEach(() => disposables.forEach((d) => d.dispose()));

/** The panel's data once the text is counted. */
async function counted(data: InstanceType<typeof PanelData>) {
  data.parts();
  await flush();
  const parts = data.parts();
  assert.equal(parts.update.message, undefined, 'counted');
  return parts;
}

test('from ContextFiles: the applying files of the compared document, per tokenizer of the default and followed models', async () => {
  const client = new InstantClient();
  const files = new ContextFiles(service, settings, (texts, ids) => client.countTexts(texts, ids), () => memoryFs(TREE));
  disposables.push(files);
  vscode.show(vscode.document('const x = 1;', '/w/web/app.ts'));
  text.refresh();
  await files.reload();
  const data = new PanelData(live, service, settings, files);
  const { prices, update } = await counted(data);
  assert.equal(update.contextFiles?.tokens.o200k_base, undefined, 'a model neither default nor followed was not counted: no entry, never 0');
  // The nearest AGENTS.md (11 characters) and the .ts instructions after their front matter ("ts rule\n", 8).
  assert.deepEqual(update.contextFiles, {
    target: 'web/app.ts',
    files: 2,
    tokens: { qwen: { tokens: 19, exact: true }, 'estimate:claude': { tokens: 19, exact: false } },
  });
  assert.ok(isPanelUpdate(update), 'the webview accepts it');
  assert.deepEqual(joinSnapshot(prices, update)?.contextFiles, update.contextFiles, 'and the joined snapshot carries it');

  // Another default model: its tokenizer is what the next load counts.
  vscode.configure('tokenCost.defaultModel', 'other');
  await files.reload();
  const next = (await counted(data)).update.contextFiles;
  assert.deepEqual(next?.tokens.o200k_base, { tokens: 19, exact: true });
});

test('absent: no context file applies, or no source at all', async () => {
  const client = new InstantClient();
  const files = new ContextFiles(service, settings, (texts, ids) => client.countTexts(texts, ids), () => memoryFs({ '.cursor/rules/ask.mdc': TREE['.cursor/rules/ask.mdc'] }));
  disposables.push(files);
  vscode.show(vscode.document('x', '/w/a.md'));
  text.refresh();
  await files.reload();
  assert.equal(files.summary(MODELS[0])?.files, 0, 'found, but only sent on request');
  assert.equal('contextFiles' in (await counted(new PanelData(live, service, settings, files))).update, false);
  assert.equal('contextFiles' in (await counted(new PanelData(live, service, settings))).update, false);
});

/** A ContextFiles-like source: these counts for the file `target` of folder file:///w. */
function source(target: string, byTokenizer: Partial<Record<TokenizerId, { tokens: number; exact: boolean }>>, files = 3) {
  return {
    current: () => ({ folderUri: 'file:///w', target }),
    summary: (model: ModelEntry): ContextSummary | undefined => {
      const c = byTokenizer[model.tokenizer];
      return c && { rows: [], files, totalTokens: c.tokens, exact: c.exact };
    },
  };
}

test('a ContextFiles-like summary: counted tokenizers only; another document’s files are not this one’s', async () => {
  vscode.show(vscode.document('hello', '/w/src/My File.ts'));
  text.refresh();
  const one = await counted(new PanelData(live, service, settings, source('src/My File.ts', { qwen: { tokens: 1234, exact: true } })));
  assert.deepEqual(one.update.contextFiles, { target: 'src/My File.ts', files: 3, tokens: { qwen: { tokens: 1234, exact: true } } }, 'the followed estimate is not counted yet');
  // Nothing counted for any model yet: absent.
  assert.equal((await counted(new PanelData(live, service, settings, source('src/My File.ts', {})))).update.contextFiles, undefined);
  // ContextFiles follows the active editor, the panel the last text editor: found for another file, not shown here.
  assert.equal((await counted(new PanelData(live, service, settings, source('src/other.ts', { qwen: { tokens: 5, exact: true } })))).update.contextFiles, undefined);
  assert.equal((await counted(new PanelData(live, service, settings, { ...source('src/My File.ts', { qwen: { tokens: 5, exact: true } }), current: () => ({ folderUri: 'file:///elsewhere', target: 'src/My File.ts' }) }))).update.contextFiles, undefined);
});

test('the webview drops an update whose context files are malformed', () => {
  const base = { documentName: 'a', scope: 'document', characters: 0, outputTokens: 0, cacheHitShare: 0, rows: [], version: 1, pricesVersion: 1 };
  assert.equal(isPanelUpdate(base), true);
  assert.equal(isPanelUpdate({ ...base, contextFiles: { target: 'a', files: 1, tokens: { qwen: { tokens: 3, exact: false } } } }), true);
  for (const bad of [null, 'x', { target: 1, files: 1, tokens: {} }, { target: 'a', files: 0, tokens: {} }, { target: 'a', files: 1.5, tokens: {} }, { target: 'a', files: 1 }, { target: 'a', files: 1, tokens: { qwen: { tokens: -1, exact: true } } }, { target: 'a', files: 1, tokens: { qwen: { tokens: 1 } } }]) {
    assert.equal(isPanelUpdate({ ...base, contextFiles: bad }), false, JSON.stringify(bad));
  }
});

test('focus on the panel keeps the compared file’s context files; closing that file drops them', async () => {
  const client = new InstantClient();
  const files = new ContextFiles(service, settings, (texts, ids) => client.countTexts(texts, ids), () => memoryFs(TREE));
  disposables.push(files);
  const doc = vscode.document('const x = 1;', '/w/web/app.ts');
  vscode.show(doc);
  text.refresh();
  await files.reload();
  const data = new PanelData(live, service, settings, files);
  assert.equal((await counted(data)).update.contextFiles?.files, 2);
  // The user clicks into the panel (no active text editor), then changes a setting there: still this file's files.
  vscode.setActive(undefined);
  vscode.configure('tokenCost.outputTokens', 7);
  await files.reload(); // what the reload it schedules does
  assert.equal(files.current()?.target, 'web/app.ts');
  assert.equal((await counted(data)).update.contextFiles?.target, 'web/app.ts');
  vscode.close(doc);
  await files.reload();
  assert.equal(files.current(), undefined);
});
