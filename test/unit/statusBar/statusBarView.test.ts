// The status bar's pure view: every state, and text, tooltip, accessibility label, command and warning moving together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusView, type StatusInput, type StatusView } from '../../../src/statusBar/statusBarView';
import { defaultModels, findModel } from '../../../src/core/prices/priceTable';
import { priceModels } from '../../../src/core/compare';
import type { ModelEntry, TokenizerId } from '../../../src/core/prices/types';
import type { TokenCount } from '../../../src/core/tokenizers/tokenCounter';
import type { LiveState } from '../../../src/live/liveCounts';
import type { Measurement } from '../../../src/live/measure';
import type { SummaryLabels } from '../../../src/core/summary';
import { Commands } from '../../../src/constants';

/** Fills {0}, {1}, … as vscode.l10n.t does without a translation. */
const t = (message: string, ...args: (string | number)[]) => message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));

const models = defaultModels();
const model = (id: string): ModelEntry => {
  const m = findModel(models, id);
  assert.ok(m, id);
  return m;
};
const QWEN = model('qwen-plus');
const CLAUDE = model('claude-sonnet-5-5');
const LABELS: SummaryLabels = {
  model: 'Model', vendor: 'Vendor', tokens: 'Tokens', input: 'Input', output: 'Output', total: 'Total', context: 'Context',
  cheapest: 'cheapest', estimateNote: 'estimate', convertedNote: 'converted', overContext: 'over context',
};

const docM = (name = 'a.md', key = 'file:///w/a.md@1:'): Measurement => ({ ok: true, key, documentName: name, scope: 'document', document: {} as never });

function counts(entries: [TokenizerId, number, Partial<TokenCount>?][]): Map<TokenizerId, TokenCount> {
  return new Map(entries.map(([id, tokens, extra]) => [id, { tokenizer: id, tokens, exact: !id.startsWith('estimate:'), ...extra }]));
}

function view(state: LiveState, def: ModelEntry = QWEN, extra: Partial<StatusInput> = {}): StatusView {
  const focus = [def, ...[QWEN, CLAUDE].filter((m) => m !== def)];
  const rows = state.measurement?.ok ? priceModels(state.counts, focus, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0, cacheHitShare: 0, at: new Date('2026-12-01T12:00:00Z') }) : [];
  return statusView({ state, rows, defaultModel: def, priceProblems: 0, locale: 'en', labels: LABELS, ...extra }, t);
}

const fresh = (n: number, m = docM(), more: [TokenizerId, number, Partial<TokenCount>?][] = []): LiveState => ({
  measurement: m,
  counts: counts([['qwen', n], [CLAUDE.tokenizer, n + 10], ...more]),
  characters: 1234,
  fresh: true,
});

test('hidden without a measurement: nothing shown, nothing clickable', () => {
  const v = view({ counts: new Map(), fresh: false });
  assert.deepEqual(v, { visible: false, text: '', tooltip: '', trustedCommands: [], accessibilityLabel: '', warning: false, counting: false });
});

test('a binary file: its own text, tooltip and label, no command, no number', () => {
  const v = view({ measurement: { ok: false, key: 'k', documentName: 'x.bin', reason: 'binary', bytes: 100 }, counts: counts([['qwen', 63]]), fresh: true });
  assert.equal(v.text, '$(symbol-numeric) binary file');
  assert.equal(v.tooltip, '**Token Cost** does not count x\\.bin: it looks binary (contains NUL characters).');
  assert.equal(v.accessibilityLabel, 'Token Cost: x.bin is a binary file; not counted');
  assert.equal(v.command, undefined);
  assert.equal(v.warning, false);
  assert.doesNotMatch(v.text + v.tooltip + v.accessibilityLabel, /63/);
});

test('too large: size in text, tooltip and label; the click counts it once', () => {
  const v = view({ measurement: { ok: false, key: 'k', documentName: 'big.log', reason: 'too-large', bytes: 20 * 1024 * 1024 }, counts: new Map(), fresh: false });
  assert.match(v.text, /^\$\(symbol-numeric\) 20(\.0)? MB: too large$/);
  assert.match(v.tooltip, /^\*\*Token Cost\*\*: big\\\.log is 20(\.0)? MB, above `tokenCost\.maxFileSize`/);
  assert.match(v.accessibilityLabel, /^Token Cost: big\.log is 20(\.0)? MB, too large to count; activate to count it once$/);
  assert.deepEqual(v.command, { command: Commands.countAnyway, title: 'Count This Large File Anyway' });
});

test('counting with no number yet: a spinner and "counting…", never a number', () => {
  const v = view({ measurement: docM(), counts: new Map(), fresh: false });
  assert.equal(v.text, '$(sync~spin) counting…');
  assert.equal(v.accessibilityLabel, 'Token Cost: counting a.md…');
  assert.equal(v.tooltip, 'Token Cost: counting a\\.md…', 'Markdown-escaped');
  assert.equal(v.counting, true);
  assert.equal(v.warning, false);
  assert.deepEqual(v.command, { command: Commands.openPanel, title: 'Open Comparison Panel' });
});

test('counting after an edit: the number before it is kept with a spinner, but not in the label or tooltip, and no price', () => {
  // Counts of version 1, the document now at version 2.
  const v = view({ ...fresh(63, docM('a.md', 'file:///w/a.md@2:')), fresh: false, countsKey: 'file:///w/a.md@1:' });
  assert.equal(v.text, '$(sync~spin) 63 · Qwen Plus');
  assert.doesNotMatch(v.text, /¥/);
  assert.equal(v.accessibilityLabel, 'Token Cost: counting a.md…');
  assert.equal(v.counting, true);
});

test('counting another document: the previous document’s number is never shown for it', () => {
  const v = view({ ...fresh(63, docM('b.md', 'file:///w/b.md@1:')), fresh: false, countsKey: 'file:///w/a.md@7:' });
  assert.equal(v.text, '$(sync~spin) counting…');
  assert.equal(v.accessibilityLabel, 'Token Cost: counting b.md…');
});

test('a failed count says why and is not "counting"', () => {
  const v = view({ measurement: docM(), counts: new Map(), fresh: false, error: 'worker gone' });
  assert.equal(v.accessibilityLabel, 'Token Cost: counting failed: worker gone');
  assert.equal(v.counting, false);
});

test('fresh: tokens, money and model in text and label; the tooltip compares and links our commands only', () => {
  const v = view(fresh(63));
  assert.match(v.text, /^\$\(symbol-numeric\) 63 · ¥0\.00005\d* · Qwen Plus$/);
  assert.match(v.accessibilityLabel, /^63 tokens, ¥0\.00005\d*, Qwen Plus$/);
  assert.match(v.tooltip, /^\*\*Token Cost\*\* · a\\\.md · document · 1,234 characters/);
  assert.match(v.tooltip, /\| Claude Sonnet 5\\\.5 \| ≈73 \|/);
  assert.match(v.tooltip, /\(command:tokenCost\.openPanel\)/);
  assert.deepEqual(v.trustedCommands, [Commands.openPanel, Commands.selectDefaultModel, Commands.showProblems]);
  assert.deepEqual(v.command, { command: Commands.openPanel, title: 'Open Comparison Panel' });
  assert.equal(v.warning, false);
  assert.equal(v.counting, false);
});

test('a selection says so in the tooltip', () => {
  const m: Measurement = { ok: true, key: 'k', documentName: 'a.md', scope: 'selection', texts: ['x'] };
  assert.match(view(fresh(5, m)).tooltip, /· selection ·/);
});

test('over the context window: warning colour, a tooltip line and the label say so together', () => {
  const n = QWEN.contextWindow + 1;
  const v = view(fresh(n));
  assert.equal(v.warning, true);
  assert.match(v.tooltip, /tokens exceed Qwen Plus’s context window of 131,072\./);
  assert.match(v.accessibilityLabel, /, longer than the context window$/);
  const under = view(fresh(QWEN.contextWindow));
  assert.equal(under.warning, false);
  assert.doesNotMatch(under.accessibilityLabel, /longer/);
});

test('an estimate: ≈ in the text, "about" in the label', () => {
  const v = view(fresh(100), CLAUDE);
  assert.match(v.text, /^\$\(symbol-numeric\) ≈110 · \$?[¥$]\S+ · Claude Sonnet 5\.5$/);
  assert.match(v.accessibilityLabel, /^about 110 tokens, /);
  const exact = view(fresh(100));
  assert.doesNotMatch(exact.text, /≈/);
  assert.doesNotMatch(exact.accessibilityLabel, /about/);
});

test('a fallback count warns that it is rough', () => {
  const state = fresh(63);
  (state.counts as Map<TokenizerId, TokenCount>).set('qwen', { tokenizer: 'qwen', tokens: 63, exact: false, fallback: 'the qwen table failed to load' });
  const v = view(state);
  assert.match(v.tooltip, /the qwen table failed to load; this is a rough estimate\./);
  assert.match(v.text, /≈63/);
});

test('chat: messages and overhead in the tooltip (document scope)', () => {
  const state = fresh(63);
  (state.counts as Map<TokenizerId, TokenCount>).set('qwen', { tokenizer: 'qwen', tokens: 63, exact: true, messages: 3, overheadTokens: 12, overheadKnown: true, basis: 'ChatML', contentTokens: 51, conversations: 1 } as TokenCount);
  const v = view(state);
  assert.match(v.tooltip, /Chat format: 3 messages; 12 tokens of per-message overhead included, from the vendor’s chat template\./);
  assert.match(v.tooltip, /\*ChatML\*/);
});

test('chat with tools: their definitions, calls and tokens in the tooltip', () => {
  const state = fresh(563);
  (state.counts as Map<TokenizerId, TokenCount>).set('qwen', { tokenizer: 'qwen', tokens: 563, exact: true, messages: 3, overheadTokens: 12, toolTokens: 500, toolDefinitions: 2, toolCalls: 1, overheadKnown: true, basis: 'ChatML. Tools: <tools>', contentTokens: 51, conversations: 1 } as TokenCount);
  const v = view(state);
  assert.match(v.tooltip, /from the vendor’s chat template\. Tools \(2 defined, 1 called\): 500 tokens included\./);
  const none = view(fresh(63));
  assert.doesNotMatch(none.tooltip, /Tools \(/);
});

test('an unknown default model and price problems are reported in the tooltip', () => {
  const v = view(fresh(63), QWEN, { unknownSetting: 'no-such', priceProblems: 2 });
  assert.match(v.tooltip, /Unknown model “no\\-such” in tokenCost\.defaultModel; showing Qwen Plus\./);
  assert.match(v.tooltip, /\[2 problem\(s\) in price settings\]\(command:tokenCost\.showProblems\)/);
});

test('every field changes together: a counted file, then a binary one, keeps nothing of the first', () => {
  const a = view(fresh(63));
  const b = view({ measurement: { ok: false, key: 'k2', documentName: 'b.bin', reason: 'binary', bytes: 9 }, counts: counts([['qwen', 63]]), fresh: true });
  for (const k of ['text', 'tooltip', 'accessibilityLabel'] as const) {
    assert.notEqual(a[k], b[k], k);
    assert.doesNotMatch(b[k], /63|Qwen Plus|a\.md/, k);
  }
  assert.notDeepEqual(a.command, b.command);
  assert.deepEqual(b.trustedCommands, []);
});
