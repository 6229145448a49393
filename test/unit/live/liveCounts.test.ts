// LiveCounts over a real LiveText (fake editors) and a fake count client whose answers the test releases: the
// default tokenizer is asked first, results of older text are dropped, numbers are never shown as the new text's.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import type { CountResult } from '../../../src/counting/countClient';
import type { TokenizerId } from '../../../src/core/prices/types';
import { Priority } from '../../../src/counting/protocol';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');
const { LiveCounts } = require('../../../src/live/liveCounts') as typeof import('../../../src/live/liveCounts');

interface Call {
  kind: 'document' | 'texts';
  what: string;
  ids: TokenizerId[];
  priority: number;
  resolve(tokensPer: number): void;
  reject(e: Error): void;
}

/** The two methods LiveCounts calls; each call waits until the test answers it. */
class FakeClient {
  readonly calls: Call[] = [];
  countDocument(doc: { getText(): string }, ids: readonly TokenizerId[], priority: number): Promise<CountResult> {
    return this.call('document', doc.getText(), ids, priority);
  }
  countTexts(texts: readonly string[], ids: readonly TokenizerId[], priority: number): Promise<CountResult> {
    return this.call('texts', texts.join('|'), ids, priority);
  }
  private call(kind: Call['kind'], what: string, ids: readonly TokenizerId[], priority: number): Promise<CountResult> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        kind,
        what,
        priority,
        ids: [...ids],
        // tokens = length × factor, so a test can tell which text a number came from.
        resolve: (factor) => resolve({ ms: 0, characters: what.length, counts: new Map(ids.map((id) => [id, { tokenizer: id, tokens: what.length * factor, exact: true }])) }),
        reject,
      });
    });
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

let settings: InstanceType<typeof Settings>;
let text: InstanceType<typeof LiveText>;
let live: InstanceType<typeof LiveCounts>;
let client: FakeClient;
let changes: number;
let wanted: TokenizerId[];

beforeEach(() => {
  vscode.reset();
  settings = new Settings();
  text = new LiveText(settings);
  client = new FakeClient();
  wanted = ['qwen', 'o200k_base', 'cl100k_base'];
  live = new LiveCounts(text, client as never);
  live.register(() => wanted, { primary: true });
  changes = 0;
  live.onDidChange(() => changes++);
});
afterEach(() => {
  live.dispose();
  text.dispose();
  settings.dispose();
});

test('a new text asks for the first tokenizer alone, then the rest, and is fresh once both answered', async () => {
  vscode.show(vscode.document('hello'));
  assert.deepEqual(client.calls.map((c) => [c.kind, c.what, c.ids]), [
    ['document', 'hello', ['qwen']],
    ['document', 'hello', ['o200k_base', 'cl100k_base']],
  ]);
  assert.equal(live.state().fresh, false);
  client.calls[0].resolve(1);
  await flush();
  assert.equal(live.state().fresh, true);
  assert.deepEqual([...live.state().counts.keys()], ['qwen']);
  client.calls[1].resolve(2);
  await flush();
  assert.deepEqual([...live.state().counts].map(([id, c]) => [id, c.tokens]), [['qwen', 5], ['o200k_base', 10], ['cl100k_base', 10]]);
  assert.equal(live.state().characters, 5);
  assert.ok(changes >= 3, 'the text change and both answers are announced');
});

test('selections are counted as texts', () => {
  const editor = vscode.show(vscode.document('alpha beta'));
  client.calls.length = 0;
  vscode.select(editor, [0, 5]);
  text.refresh(); // typing and selecting are debounced; refresh is what the debounce ends with
  assert.deepEqual(client.calls.map((c) => [c.kind, c.what]), [['texts', 'alpha'], ['texts', 'alpha']]);
});

test('while a newer text is counted the old numbers stay, marked stale; an answer for the old text is dropped', async () => {
  const doc = vscode.document('one');
  vscode.show(doc);
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  assert.equal(live.state().counts.get('qwen')?.tokens, 3);
  vscode.edit(doc, 3, 0, ' two');
  vscode.edit(doc, 7, 0, ' three');
  text.refresh();
  const s = live.state();
  assert.equal(s.fresh, false);
  assert.equal(s.counts.get('qwen')?.tokens, 3, 'the previous number, for the spinner');
  // Two requests per text were made only for the text current at refresh: 'one two three'.
  const pending = client.calls.splice(0);
  assert.deepEqual(pending.map((c) => c.what), ['one two three', 'one two three']);
  // An edit arrives before the answers: they belong to an older text now.
  vscode.edit(doc, 0, 0, '>');
  text.refresh();
  pending.forEach((c) => c.resolve(1));
  await flush();
  assert.equal(live.state().fresh, false);
  assert.equal(live.state().counts.get('qwen')?.tokens, 3, 'never the older text’s answer as the new one');
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  assert.equal(live.state().fresh, true);
  assert.equal(live.state().counts.get('qwen')?.tokens, '>one two three'.length);
});

test('fresh counts replace the old ones: no tokenizer keeps a number from the previous text', async () => {
  const doc = vscode.document('abc');
  vscode.show(doc);
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  wanted = ['qwen'];
  vscode.edit(doc, 0, 0, 'xy');
  text.refresh();
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  assert.deepEqual([...live.state().counts.keys()], ['qwen']);
});

test('ensure() asks only for what is neither counted nor being counted', async () => {
  vscode.show(vscode.document('abcd'));
  client.calls[0].resolve(1);
  await flush();
  const before = client.calls.length;
  live.ensure(['qwen', 'o200k_base', 'deepseek-v3']);
  assert.deepEqual(client.calls.slice(before).map((c) => c.ids), [['deepseek-v3']]);
});

test('whenCounted() resolves once those tokenizers are counted for the current text', async () => {
  vscode.show(vscode.document('abcd'));
  let done: number | undefined;
  void live.whenCounted(['qwen', 'o200k_base']).then((s) => (done = s.counts.get('o200k_base')?.tokens));
  client.calls[0].resolve(1);
  await flush();
  assert.equal(done, undefined);
  client.calls[1].resolve(3);
  await flush();
  assert.equal(done, 12);
});

test('whenCounted() resolves at once with no text to count, and on dispose', async () => {
  const s = await live.whenCounted(['qwen']);
  assert.equal(s.measurement, undefined);
  vscode.show(vscode.document('abcd'));
  const waiting = live.whenCounted(['qwen']);
  live.dispose();
  assert.equal((await waiting).fresh, false);
});

test('a failed count records why and announces it; the next text clears it', async () => {
  const doc = vscode.document('abcd');
  vscode.show(doc);
  const n = changes;
  client.calls[0].reject(new Error('worker died'));
  await flush();
  assert.equal(live.state().error, 'worker died');
  assert.ok(changes > n);
  vscode.edit(doc, 0, 0, 'x');
  text.refresh();
  assert.equal(live.state().error, undefined);
});

test('a binary document is not sent to the worker', () => {
  vscode.show(vscode.document('a\u0000b', '/w/x.bin'));
  assert.deepEqual(client.calls, []);
  assert.equal(live.state().measurement?.ok, false);
});

test('register(): a consumer added while a text is shown gets its tokenizers counted for it; disposed, no longer asked', async () => {
  const doc = vscode.document('abcd');
  vscode.show(doc);
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  const panel = live.register(() => ['deepseek-v3', 'qwen']);
  assert.deepEqual(client.calls.map((c) => c.ids), [['deepseek-v3']], 'only what is not counted yet');
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  assert.equal(live.state().counts.get('deepseek-v3')?.tokens, 4);
  vscode.edit(doc, 0, 0, 'x');
  text.refresh();
  // The status bar's number alone and most urgent, then its followed models, then the panel's.
  assert.deepEqual(client.calls.splice(0).map((c) => [c.ids, c.priority]), [[['qwen'], Priority.status], [['o200k_base', 'cl100k_base'], Priority.followed], [['deepseek-v3'], Priority.panel]]);
  panel.dispose();
  vscode.edit(doc, 0, 0, 'y');
  text.refresh();
  assert.deepEqual(client.calls.map((c) => c.ids), [['qwen'], ['o200k_base', 'cl100k_base']]);
});

test('register(): a primary consumer’s first tokenizer goes first and alone, whatever registered before it', () => {
  live.dispose();
  live = new LiveCounts(text, client as never);
  live.register(() => ['deepseek-v3', 'qwen']);
  live.register(() => ['o200k_base', 'qwen'], { primary: true });
  vscode.show(vscode.document('abc'));
  assert.deepEqual(client.calls.map((c) => [c.ids, c.priority]), [[['o200k_base'], Priority.status], [['qwen'], Priority.followed], [['deepseek-v3'], Priority.panel]]);
});

test('register() with no text shown asks for nothing', () => {
  live.register(() => ['deepseek-v3']);
  assert.deepEqual(client.calls, []);
});

test('with a trace sink, each shown count logs its stages from the edit event on; without one, nothing is formatted', async () => {
  const lines: string[] = [];
  let tracing = false;
  live.dispose();
  live = new LiveCounts(text, client as never, () => (tracing ? (l: string) => lines.push(l) : undefined));
  live.register(() => wanted, { primary: true });
  const doc = vscode.document('one');
  vscode.show(doc);
  client.calls.splice(0).forEach((c) => c.resolve(1));
  await flush();
  assert.deepEqual(lines, [], 'trace off: no line');
  tracing = true;
  vscode.edit(doc, 3, 0, ' two');
  await new Promise((r) => setTimeout(r, 60)); // the typing debounce
  const [status, followed] = client.calls.splice(0);
  status.resolve(1);
  await flush();
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^count doc=\S+ key=2: priority=status tokenizers=qwen debounceMs=\d+\.\d measureMs=\d+\.\d .*shownMs=\d+\.\d totalMs=\d+\.\d$/);
  followed.resolve(1);
  await flush();
  assert.match(lines[1], /priority=followed tokenizers=o200k_base,cl100k_base /);
});
