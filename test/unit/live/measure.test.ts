// measure(): what to count in an editor — selections or the document, the size limit, binary files, and the key
// that tells one text from the next.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import type { TokenCostConfig } from '../../../src/services/settings';

const vscode = installFakeVscode();
const { measure, documentName } = require('../../../src/live/measure') as typeof import('../../../src/live/measure');

const cfg = (extra: Partial<TokenCostConfig> = {}): TokenCostConfig => ({
  defaultModel: 'qwen-plus', followedModels: [], currency: 'CNY', exchangeRate: 7.2, outputTokens: 0, cacheHitShare: 0,
  countScope: 'selection', hoverEnabled: true, maxFileSize: 1024, userPrices: [], workspacePrices: [], tokenizers: [], problems: [], ...extra,
});
const none = new Set<string>();

beforeEach(() => vscode.reset());

test('no selection: the whole document, by reference (no text copied), named by its file name', () => {
  const doc = vscode.document('line one\nline two', '/w/notes/a.md');
  const m = measure(vscode.show(doc) as never, cfg(), none);
  assert.equal(m.ok && m.scope, 'document');
  assert.ok(m.ok && m.scope === 'document' && m.document === (doc as never));
  assert.equal(m.documentName, 'a.md');
  assert.equal(m.key, 'file:///w/notes/a.md@1:');
});

test('selections: their texts, in order, empty ones left out; the key holds their offsets', () => {
  const doc = vscode.document('alpha\nbeta\ngamma');
  const editor = vscode.show(doc);
  vscode.select(editor, [0, 5], [8, 8], [11, 16]);
  const m = measure(editor as never, cfg(), none);
  assert.deepEqual(m.ok && m.scope === 'selection' ? m.texts : undefined, ['alpha', 'gamma']);
  assert.equal(m.key, 'file:///w/a.txt@1:0-5,11-16');
});

test('countScope "document" ignores the selection', () => {
  const editor = vscode.show(vscode.document('alpha beta'));
  vscode.select(editor, [0, 5]);
  const m = measure(editor as never, cfg({ countScope: 'document' }), none);
  assert.equal(m.ok && m.scope, 'document');
  assert.equal(m.key, 'file:///w/a.txt@1:');
});

test('the key changes with each edit (version) and selection, so older counts are never shown as current', () => {
  const doc = vscode.document('abc');
  const editor = vscode.show(doc);
  const k1 = measure(editor as never, cfg(), none).key;
  vscode.edit(doc, 3, 0, 'd');
  const k2 = measure(editor as never, cfg(), none).key;
  vscode.select(editor, [0, 2]);
  const k3 = measure(editor as never, cfg(), none).key;
  assert.equal(new Set([k1, k2, k3]).size, 3);
});

test('above maxFileSize: its size in UTF-8 bytes, not counted, unless allowed once or only a selection is counted', () => {
  const text = '汉'.repeat(400); // 400 characters, 1,200 bytes: over 1,024 only in bytes
  const doc = vscode.document(text, '/w/big.txt');
  const editor = vscode.show(doc);
  const m = measure(editor as never, cfg(), none);
  assert.deepEqual(m, { ok: false, key: 'file:///w/big.txt@1:', documentName: 'big.txt', reason: 'too-large', bytes: 1200 });
  assert.equal(measure(editor as never, cfg({ maxFileSize: 1200 }), none).ok, true);
  assert.equal(measure(editor as never, cfg(), new Set([doc.uri.toString()])).ok, true);
  vscode.select(editor, [0, 10]);
  assert.equal(measure(editor as never, cfg(), none).ok, true);
});

test('a document with a NUL is binary, whether the document or a selection is counted', () => {
  const doc = vscode.document('PK\u0003\u0004\u0000\u0000data', '/w/x.zip');
  const editor = vscode.show(doc);
  const m = measure(editor as never, cfg(), none);
  assert.equal(!m.ok && m.reason, 'binary');
  assert.equal(!m.ok && m.bytes, doc.getText().length);
  vscode.select(editor, [6, 10]);
  assert.equal(measure(editor as never, cfg(), none).ok, false);
  assert.equal(measure(vscode.show(vscode.document('plain', '/w/y.txt')) as never, cfg(), none).ok, true);
});

test('documentName: the file name, or an untitled document’s own name', () => {
  assert.equal(documentName(vscode.document('', '/w/dir/p.prompt.md') as never), 'p.prompt.md');
  assert.equal(documentName(vscode.document('', 'untitled:Untitled-1') as never), 'Untitled-1');
});
