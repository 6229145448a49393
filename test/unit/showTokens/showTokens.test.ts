// Show Tokens: the window planner (bounded, cut where tokens cannot cross), the painter (alternating ranges and
// shared characters) and the command over the fake VS Code (decorations appear, follow scrolling and edits, a hover
// names the token, toggling clears; estimates are explained, not painted).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installFakeVscode, type FakeDecorationType, type FakeTextDocument, type FakeTextEditor, type Hover } from '../../fixtures/vscode';
import { defaultModels } from '../../../src/core/prices/priceTable';
import { ExactTokenizers } from '../../../src/core/tokenizers/exactTokenizers';
import { TABLE_DIR } from '../../fixtures/tableDir';
import { DEFAULT_LIMITS, paint, planWindow, tokenizeWindow, tokensAt } from '../../../src/showTokens/tokenPlan';
import { Colors } from '../../../src/constants';
import { eventually } from '../../fixtures/eventually';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { CostService } = require('../../../src/services/costService') as typeof import('../../../src/services/costService');
const { ShowTokens } = require('../../../src/showTokens/showTokens') as typeof import('../../../src/showTokens/showTokens');

const tokenizers = new ExactTokenizers(TABLE_DIR);
const prices = { models: defaultModels(), problemCount: 0 };
const log = vscode.window.createOutputChannel('test') as never;
const limits = { ...DEFAULT_LIMITS, margin: 50, snap: 100, maxVisible: 1000 };

// ---- planner ------------------------------------------------------------------------------------------------------

const at = (text: string) => (a: number, b: number) => text.slice(a, b);

test('the window is the visible range plus the margin, widened to the nearest cuts', () => {
  const lines = Array.from({ length: 200 }, (_, i) => `line ${i} words\n`);
  const text = lines.join('');
  const start = text.indexOf('line 100 ');
  const end = text.indexOf('line 110 ');
  const w = planWindow(at(text), [0, text.length], [start, end], limits);
  assert.ok(w.exactStart && w.exactEnd);
  assert.ok(w.start <= start - limits.margin && w.start > start - limits.margin - 20, `start ${w.start}`);
  assert.ok(w.end >= end + limits.margin && w.end < end + limits.margin + 20, `end ${w.end}`);
  assert.equal(text[w.start - 1], '\n');
  assert.equal(text[w.end - 1], '\n');
});

test('no cut nearby (one huge line): the window stays bounded and says its edges are not exact', () => {
  const text = 'word '.repeat(100_000);
  const w = planWindow(at(text), [0, text.length], [200_000, text.length], limits);
  assert.ok(w.end - w.start <= limits.maxVisible + 2 * limits.margin, `window ${w.end - w.start}`);
  assert.deepEqual([w.exactStart, w.exactEnd], [false, false]);
  // Near the text's own ends, the ends are exact.
  const head = planWindow(at(text), [0, text.length], [0, 10], limits);
  assert.deepEqual([head.start, head.exactStart], [0, true]);
});

test('a line after a blank or indented line is no cut: the window reaches back to one that is', () => {
  // "\n\n" and "\n  x" can be inside one piece, so only a line starting with a non-space is a cut.
  const text = 'alpha\n' + '  indented\n'.repeat(3) + '\n\n' + 'visible here\n';
  const vs = text.indexOf('visible');
  const w = planWindow(at(text), [0, text.length], [vs, vs + 3], { ...limits, margin: 0 });
  assert.equal(w.start, vs);
  const w2 = planWindow(at(text), [0, text.length], [vs - 1, vs + 3], { ...limits, margin: 0 });
  assert.equal(w2.start, 0, 'from inside the blank lines back to the text start');
});

test('tokenizing the window chunk by chunk gives the whole text\'s ids there; the time budget stops it cleanly', () => {
  const t = tokenizers.get('o200k_base');
  const text = Array.from({ length: 300 }, (_, i) => `第${i}行：模型按令牌计费。Token ${i} costs money.\n`).join('');
  const w = planWindow(at(text), [0, text.length], [4000, 6000], limits);
  const plan = tokenizeWindow(t, text.slice(w.start, w.end), w, limits, () => 0);
  assert.equal(plan.stoppedAt, undefined);
  const prefix = t.encode(text.slice(0, w.start)).length;
  assert.deepEqual(plan.spans.map((s) => s.id), t.encode(text).slice(prefix, prefix + plan.spans.length));
  assert.equal(plan.spans[0].start, w.start);
  assert.equal(plan.spans[plan.spans.length - 1].end, w.end);
  // A clock that jumps past the budget after the first chunk: one chunk is tokenized, and the plan says where it stopped.
  let calls = 0;
  const stopped = tokenizeWindow(t, text.slice(w.start, w.end), w, limits, () => (calls++ < 2 ? 0 : 1e9));
  assert.ok(stopped.stoppedAt !== undefined && stopped.stoppedAt > w.start && stopped.stoppedAt < w.end);
  assert.equal(stopped.spans[stopped.spans.length - 1].end, stopped.stoppedAt);
});

test('paint alternates tokens and gives a split character to neither, but to the shared decoration', () => {
  const t = tokenizers.get('cl100k_base');
  const text = 'ab 龘 cd';
  const spans = tokenizeWindow(t, text, { start: 0, end: text.length, exactStart: true, exactEnd: true }).spans;
  const p = paint(spans);
  const cell = text.indexOf('龘');
  assert.deepEqual(p.shared, [[cell, cell + 1]]);
  const owned = [...p.even, ...p.odd].sort((a, b) => a[0] - b[0]);
  for (const [a, b] of owned) assert.ok(b <= cell || a >= cell + 1, 'no owned range covers the split character');
  // Owned and shared ranges together cover the text exactly once.
  const all = [...owned, ...p.shared].sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [a, b] of all) {
    assert.equal(a, pos);
    pos = b;
  }
  assert.equal(pos, text.length);
  // " 龘" is three tokens here (20 e9 | be | 98): all three are found at the character.
  assert.deepEqual(tokensAt(spans, cell).map((k) => spans[k].bytes.length), [2, 1, 1]);
  assert.equal(tokensAt(spans, 0).length, 1);
  assert.deepEqual(tokensAt(spans, text.length), []);
});

// ---- the command ----------------------------------------------------------------------------------------------

let disposables: { dispose(): void }[] = [];
let show: InstanceType<typeof ShowTokens>;

beforeEach(() => {
  vscode.reset();
  const settings = new Settings();
  const service = new CostService(settings, prices as never);
  // No time budget: what is painted must not depend on how busy the machine is.
  show = new ShowTokens(service, TABLE_DIR, log, { ...DEFAULT_LIMITS, timeBudgetMs: Infinity });
  disposables = [show, settings];
});

afterEach(() => {
  for (const d of disposables.reverse()) d.dispose();
});

function painted(editor: FakeTextEditor): { count: number; types: FakeDecorationType[] } {
  let count = 0;
  for (const r of editor.decorations.values()) count += r.length;
  return { count, types: [...editor.decorations.keys()] };
}

function hover(doc: FakeTextDocument, offset: number): Hover | undefined {
  const live = vscode.hoverProviders.filter((h) => !h.disposed);
  assert.ok(live.length <= 1);
  return live[0]?.provider.provideHover(doc, doc.positionAt(offset)) as Hover | undefined;
}

const settle = () => new Promise<void>((r) => setTimeout(r, 150));

test('the command paints the default model\'s tokens, a hover names one, and running it again clears all', async () => {
  const doc = vscode.document('Hello world, 你好世界。\nSecond line here.\n');
  const editor = vscode.show(doc);
  editor.visibleRanges = [new vscode.Range(new vscode.Position(0, 0), new vscode.Position(1, 0))];
  show.toggle();
  const shown = show.showing;
  assert.equal(shown?.tokenizer, 'qwen'); // qwen-plus, the default model
  const ids = tokenizers.get('qwen').encode(doc.getText());
  assert.deepEqual(shown?.plan?.spans.map((s) => s.id), ids);
  assert.equal(painted(editor).count, ids.length);
  for (const type of painted(editor).types) assert.ok(Object.values(type.options).some((v) => v instanceof vscode.ThemeColor), 'theme colours only');
  const h = hover(doc, doc.getText().indexOf('world') + 1);
  assert.match(h?.contents.value ?? '', new RegExp(`id \`${shown?.plan?.spans[1].id}\``));
  assert.match(h?.contents.value ?? '', /Characters: `" world"`/);
  assert.ok(vscode.statusMessages.some((m) => m.includes('Qwen')));

  show.toggle();
  assert.equal(show.showing, undefined);
  assert.equal(painted(editor).count, 0);
  assert.equal(hover(doc, 1), undefined);
});

test('a selection shows only its own tokens; edits and scrolling repaint after a pause', async () => {
  const body = Array.from({ length: 3000 }, (_, i) => `Line ${i}: the quick brown fox.\n`).join('');
  const doc = vscode.document(body);
  const editor = vscode.show(doc);
  vscode.scroll(editor, 0, 40);
  show.toggle({ modelId: 'gpt-4o' });
  const first = show.showing?.plan;
  assert.equal(show.showing?.tokenizer, 'o200k_base');
  assert.ok(first && first.window.end < body.length / 10, 'only the visible range and its margin are tokenized');
  vscode.scroll(editor, 2000, 2040);
  await settle();
  const later = show.showing?.plan;
  assert.ok(later && later.window.start > first.window.end, 'the window followed the scroll');
  assert.ok(later.spans.every((s) => s.start >= later.window.start && s.end <= later.window.end));

  vscode.select(editor, [body.indexOf('Line 2010'), body.indexOf('Line 2011')]);
  await settle();
  const sel = show.showing?.plan;
  assert.deepEqual(sel?.spans.map((s) => s.id), tokenizers.get('o200k_base').encode('Line 2010: the quick brown fox.\n'));

  vscode.select(editor, [0, 0]);
  const at2010 = body.indexOf('Line 2010');
  vscode.edit(doc, at2010, 0, '你好');
  await settle();
  const edited = show.showing?.plan;
  assert.ok(edited?.spans.some((s) => s.start === at2010 && doc.getText().slice(s.start, s.end).startsWith('你')));
  assert.ok(hover(doc, at2010));
});

test('an estimated model is explained, not painted; an unknown model is named', () => {
  const doc = vscode.document('Hello');
  const editor = vscode.show(doc);
  show.toggle({ modelId: 'claude-haiku-4-5' });
  assert.equal(show.showing, undefined);
  assert.equal(painted(editor).count, 0);
  assert.match(vscode.messages.at(-1)?.message ?? '', /estimate.*not public/);
  show.toggle({ modelId: 'no-such-model' });
  assert.match(vscode.messages.at(-1)?.message ?? '', /no-such-model/);
});

test('the tokens follow focus to another editor and leave the first one clean', () => {
  const a = vscode.show(vscode.document('first file', '/w/a.txt'));
  show.toggle();
  assert.ok(painted(a).count > 0);
  const b = vscode.show(vscode.document('second file here', '/w/b.txt'));
  assert.equal(painted(a).count, 0);
  assert.ok(painted(b).count > 0);
  assert.equal(show.showing?.editor, b);
});

test('run while a panel has focus (the panel\'s toggle), the tokens go to the editor that had it last', () => {
  const a = vscode.show(vscode.document('first file', '/w/a.txt'));
  vscode.setActive(undefined);
  show.toggle();
  assert.equal(show.showing?.editor, a);
  assert.ok(painted(a).count > 0);
});

test('the colour ids used are contributed, with a default for every theme kind that names a theme colour', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
  const contributed = new Map<string, Record<string, string>>(manifest.contributes.colors.map((c: { id: string; defaults: Record<string, string> }) => [c.id, c.defaults]));
  for (const id of Object.values(Colors)) {
    const d = contributed.get(id);
    assert.ok(d, `${id} is contributed`);
    for (const kind of ['dark', 'light', 'highContrast', 'highContrastLight']) assert.match(d[kind] ?? '', /^[a-zA-Z][\w.]*$/, `${id}.${kind} names a theme colour, not a literal`);
  }
});

test('tables read asynchronously (the browser host): the tokens appear once the file is read, a toggle meanwhile is ignored', async () => {
  const reads: string[] = [];
  const settings = new Settings();
  const service = new CostService(settings, prices as never);
  const web = new ShowTokens(service, async (file) => {
    reads.push(file);
    return readFile(join(TABLE_DIR, `${file}.bin`));
  }, log, { ...DEFAULT_LIMITS, timeBudgetMs: Infinity });
  disposables.push(web, settings);
  const showing = () => web.showing; // read afresh: the show happens after an await
  const doc = vscode.document('Hello world, 你好世界。\n');
  const editor = vscode.show(doc);
  web.toggle();
  web.toggle(); // still reading: not a second show, nor a clear
  assert.equal(web.showing, undefined);
  await eventually(() => assert.ok(showing()?.plan));
  assert.deepEqual(showing()?.plan?.spans.map((s) => s.id), tokenizers.get('qwen').encode(doc.getText()));
  assert.ok(painted(editor).count > 0);
  assert.deepEqual(reads, ['qwen']);
  web.toggle();
  assert.equal(painted(editor).count, 0);
  // DeepSeek V4 counts with V3's table: the file read is deepseek-v3.bin.
  web.toggle({ modelId: 'deepseek-flash' });
  await eventually(() => assert.equal(showing()?.tokenizer, 'deepseek-v4'));
  assert.deepEqual(reads, ['qwen', 'deepseek-v3']);
});

test('an asynchronous table that cannot be read: an error names the tokenizer, nothing is painted', async () => {
  const settings = new Settings();
  const service = new CostService(settings, prices as never);
  const web = new ShowTokens(service, () => Promise.reject(new Error('no such file')), log, DEFAULT_LIMITS);
  disposables.push(web, settings);
  const editor = vscode.show(vscode.document('Hello'));
  web.toggle();
  await eventually(() => assert.match(vscode.messages.at(-1)?.message ?? '', /qwen tokenizer could not be loaded \(no such file\)/));
  assert.equal(web.showing, undefined);
  assert.equal(painted(editor).count, 0);
});
