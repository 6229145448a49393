import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChunkedText } from '../../../../src/core/incremental/chunkedText';
import type { TextChange } from '../../../../src/core/incremental/chunkedText';
import { ContentCache } from '../../../../src/core/incremental/contentCache';
import { isWhiteSpace, splitAtCuts } from '../../../../src/core/incremental/cuts';
import { DocumentCounter } from '../../../../src/core/incremental/documentCounter';
import { TokenCounter } from '../../../../src/core/tokenizers/tokenCounter';
import { BpeCounter } from '../../../../src/core/tokenizers/bpe';
import type { TokenizerId } from '../../../../src/core/prices/types';
import { ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS } from '../../../../src/core/prices/types';
import { HARD_CORPUS } from '../../../fixtures/corpus';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const oracle = new TokenCounter(TABLE_DIR);
const counter = new DocumentCounter(TABLE_DIR);

function applyTo(text: string, changes: readonly TextChange[]): string {
  for (const c of changes) text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.deleteCount);
  return text;
}

// ---- cut placement -------------------------------------------------------------------------------------------

test('cuts: after "\\n" before a non-space that is not "/"', () => {
  assert.deepEqual(splitAtCuts('a\nb'), ['a\n', 'b']);
  assert.deepEqual(splitAtCuts('a\n b'), ['a\n b']);
  assert.deepEqual(splitAtCuts('a\n\tb\n\u3000c'), ['a\n\tb\n\u3000c']);
  assert.deepEqual(splitAtCuts('a\r\nb'), ['a\r\n', 'b']);
  assert.deepEqual(splitAtCuts('a\rb'), ['a\rb']);
  assert.deepEqual(splitAtCuts('a\n/b'), ['a\n/b'], "o200k's [\\r\\n/]* can run over '\\n/'");
  assert.deepEqual(splitAtCuts('a\n\x1cb\n\x1fc\n\x1bd'), ['a\n\x1cb\n\x1fc\n', '\x1bd'], "Python's isspace (Kimi's run rule) counts U+001C–U+001F as space");
  assert.deepEqual(splitAtCuts('\n\nb\n'), ['\n\n', 'b\n']);
  assert.deepEqual(splitAtCuts('中\n文\n😀\n\u0301x'), ['中\n', '文\n', '😀\n', '\u0301x']);
  assert.deepEqual(splitAtCuts(''), []);
  assert.deepEqual(splitAtCuts('\n'), ['\n']);
  for (let c = 0; c < 0x10000; c++) assert.equal(isWhiteSpace(c), /\p{White_Space}/u.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});

test('ChunkedText: edits at 0, at the end, creating and destroying cuts, deleting everything', () => {
  const doc = new ChunkedText('');
  assert.equal(doc.chunkCount, 0);
  assert.equal(doc.length, 0);
  const steps: [TextChange, string, number][] = [
    [{ offset: 0, deleteCount: 0, text: 'b\nc' }, 'b\nc', 2],
    [{ offset: 0, deleteCount: 0, text: 'a\n' }, 'a\nb\nc', 3],
    [{ offset: 5, deleteCount: 0, text: '\nd' }, 'a\nb\nc\nd', 4],
    [{ offset: 2, deleteCount: 0, text: ' ' }, 'a\n b\nc\nd', 3], // leading space removes the cut
    [{ offset: 2, deleteCount: 1, text: '' }, 'a\nb\nc\nd', 4],
    [{ offset: 3, deleteCount: 1, text: '' }, 'a\nbc\nd', 3], // deleting '\n' merges
    [{ offset: 3, deleteCount: 0, text: '\r\n' }, 'a\nb\r\nc\nd', 4],
    [{ offset: 5, deleteCount: 0, text: '/' }, 'a\nb\r\n/c\nd', 3],
    [{ offset: 0, deleteCount: 9, text: '' }, '', 0],
    [{ offset: 0, deleteCount: 0, text: 'x' }, 'x', 1],
  ];
  for (const [change, text, chunks] of steps) {
    doc.applyChanges([change]);
    assert.equal(doc.toString(), text);
    assert.equal(doc.length, text.length);
    assert.equal(doc.chunkCount, chunks, JSON.stringify(text));
  }
});

test('ChunkedText: a change outside the text throws', () => {
  const doc = new ChunkedText('abc');
  assert.throws(() => doc.applyChanges([{ offset: 4, deleteCount: 0, text: 'x' }]), RangeError);
  assert.throws(() => doc.applyChanges([{ offset: 2, deleteCount: 2, text: '' }]), RangeError);
  assert.throws(() => doc.applyChanges([{ offset: -1, deleteCount: 0, text: '' }]), RangeError);
  assert.equal(doc.toString(), 'abc');
});

test('ChunkedText: slice across chunks', () => {
  const text = 'one\ntwo\nthree\n four\nfive';
  const doc = new ChunkedText(text);
  doc.applyChanges([{ offset: 0, deleteCount: 0, text: 'zero\n' }]);
  const full = 'zero\n' + text;
  for (let a = 0; a <= full.length; a += 3) for (let b = a; b <= full.length; b += 2) assert.equal(doc.slice(a, b), full.slice(a, b));
});

test('ChunkedText.total counts only new chunks and keeps totals right', () => {
  const doc = new ChunkedText('aa\nbb\ncc\ndd\n');
  const seen: string[] = [];
  const len = (s: string) => (seen.push(s), s.length);
  assert.equal(doc.total('len', len), 12);
  assert.equal(seen.length, 4);
  seen.length = 0;
  assert.equal(doc.total('len', len), 12);
  assert.equal(seen.length, 0);
  doc.applyChanges([{ offset: 7, deleteCount: 1, text: 'CCC' }]);
  assert.equal(doc.total('len', len), 14);
  assert.deepEqual(seen, ['cCCC\n'], 'only the edited chunk is recounted; its unchanged neighbours are kept');
  // A chunk created and destroyed between two totals is never counted.
  seen.length = 0;
  doc.applyChanges([{ offset: 0, deleteCount: 0, text: 'x' }, { offset: 0, deleteCount: 1, text: 'y' }]);
  assert.equal(doc.total('len', len), 15);
  assert.deepEqual(seen, ['yaa\n']);
});

test('ContentCache: bounded by units held, least recently used evicted', () => {
  const cache = new ContentCache(3 * (40 + 32));
  const key = (i: number) => String(i).padStart(40, '-');
  for (let i = 0; i < 3; i++) cache.set(key(i), 0, i);
  assert.equal(cache.get(key(0), 0), 0); // touch 0: 1 is now oldest
  cache.set(key(3), 0, 3);
  assert.equal(cache.size, 3);
  assert.equal(cache.get(key(1), 0), undefined);
  assert.equal(cache.get(key(0), 0), 0);
  assert.equal(cache.get(key(0), 1), undefined, 'kinds are separate');
  cache.set('x'.repeat(1000), 0, 1);
  assert.equal(cache.get('x'.repeat(1000), 0), undefined, 'larger than the whole budget: not held');
});

test('DocumentCounter: countText and count agree with TokenCounter; release reloads', () => {
  const text = HARD_CORPUS.slice(0, 80).join('\n');
  const doc = new ChunkedText(text);
  for (const id of [...EXACT_TOKENIZER_IDS, ...ESTIMATE_TOKENIZER_IDS]) {
    const want = oracle.count(id, text);
    assert.deepEqual(counter.countText(text, id), want, id);
    assert.deepEqual(counter.count(doc, id), want, id);
  }
  counter.release();
  assert.deepEqual(counter.countText(text, 'qwen'), oracle.count('qwen', text));
  assert.throws(() => counter.countText('x', 'nope' as TokenizerId), /unknown tokenizer/);
});

test('DocumentCounter: undo and repeated texts hit the content cache, across documents and selections', () => {
  const dc = new DocumentCounter(TABLE_DIR);
  const text = 'first line\nsecond line 中文\nthird line\n';
  const doc = new ChunkedText(text);
  const selection = 'second line 中文\nthird line\n';
  const want = oracle.count('qwen', selection).tokens;
  const original = BpeCounter.prototype.count;
  let bpeCalls = 0;
  BpeCounter.prototype.count = function (this: BpeCounter, t: string) {
    bpeCalls++;
    return original.call(this, t);
  };
  try {
    const before = dc.count(doc, 'qwen').tokens;
    doc.applyChanges([{ offset: 13, deleteCount: 0, text: 'X' }]);
    bpeCalls = 0;
    dc.count(doc, 'qwen');
    assert.equal(bpeCalls, 1, 'only the edited chunk is tokenized');
    doc.applyChanges([{ offset: 13, deleteCount: 1, text: '' }]);
    bpeCalls = 0;
    assert.equal(dc.count(doc, 'qwen').tokens, before);
    assert.equal(bpeCalls, 0, 'undo restores a chunk counted before');
    assert.equal(dc.count(new ChunkedText(text), 'qwen').tokens, before);
    assert.equal(dc.countText(selection, 'qwen').tokens, want);
    assert.equal(bpeCalls, 0, 'another document and a selection of whole lines reuse the chunks');
  } finally {
    BpeCounter.prototype.count = original;
  }
});

test("kimi-k2: a run cut (more than 25,000 characters) after a cut counts as the whole text", () => {
  // The run state restarts at a cut in the whole text as in a chunk (cuts.ts); U+001C is space to Python.
  const text = 'intro\n' + '1234567890'.repeat(3000) + '\n\x1c' + '9'.repeat(25_001) + '\nend';
  assert.equal(splitAtCuts(text).length, 3);
  assert.equal(counter.count(new ChunkedText(text), 'kimi-k2').tokens, oracle.count('kimi-k2', text).tokens);
});

// ---- property: random edit sessions count exactly as a full recount ----------------------------------------

const FRAGMENTS = [
  '中文', '模型价格', '天空为什么这么蓝', '，', '。', '“引号”', 'the', ' model', ' price', 'Token', "'s", "'LL", ' ',
  '  ', '\t', '\n', '\n\n', '\r\n', '\r', '/', '//', '// note', '/* x */', '{', '}', '();', '  return x;', '123',
  '4567', '😀', '👨‍👩‍👧', 'e\u0301', '\u0301', '\u0085', '\u2028', '\u3000', '\ufeff', '𠀀𠀁', 'ſ', 'あいう', 'カタ',
  '<|endoftext|>', 'É', 'Ａ１', '\x1c', '\x1f', '[gMASK]', '<|im_end|>', 'AB中文cd', '。Ab',
];
const fragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.constantFrom(...HARD_CORPUS.slice(0, 160)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const snippet = (max: number) => fc.array(fragment, { maxLength: max }).map((p) => p.join(''));
const multiLine = fc.array(snippet(5), { minLength: 2, maxLength: 6 }).map((lines) => lines.join('\n'));

type Op =
  | { t: 'insert'; at: number; s: string }
  | { t: 'delete'; at: number; n: number }
  | { t: 'replace'; at: number; n: number; s: string }
  | { t: 'paste'; at: number; s: string }
  | { t: 'ime'; at: number; pinyin: string; han: string }
  | { t: 'eol'; crlf: boolean }
  | { t: 'lineStart'; line: number; what: 'delNl' | 'insNl' | 'insSpace' | 'delSpace' }
  | { t: 'multi'; ats: number[]; s: string }
  | { t: 'undo' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(), s: snippet(3) }),
  fc.record({ t: fc.constant('delete' as const), at: fc.nat(), n: fc.nat({ max: 12 }) }),
  fc.record({ t: fc.constant('replace' as const), at: fc.nat(), n: fc.nat({ max: 30 }), s: snippet(4) }),
  fc.record({ t: fc.constant('paste' as const), at: fc.nat(), s: multiLine }),
  fc.record({ t: fc.constant('ime' as const), at: fc.nat(), pinyin: fc.constantFrom('ni', 'hao', 'moxing', 'jiage'), han: fc.constantFrom('你', '好', '模型', '价格', '你好，') }),
  fc.record({ t: fc.constant('eol' as const), crlf: fc.boolean() }),
  fc.record({ t: fc.constant('lineStart' as const), line: fc.nat(), what: fc.constantFrom('delNl' as const, 'insNl' as const, 'insSpace' as const, 'delSpace' as const) }),
  fc.record({ t: fc.constant('multi' as const), ats: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }), s: fc.constantFrom('x', '\n', ' ', '// ', '中') }),
  fc.constant({ t: 'undo' as const }),
);

/** The applyChanges calls an editor would make for `o` on `text`; `last` = the previous call's changes, for undo. */
function batches(o: Op, text: string, last: { before: string; after: string } | undefined): TextChange[][] {
  const pos = (n: number) => n % (text.length + 1);
  switch (o.t) {
    case 'insert':
    case 'paste':
      return [[{ offset: pos(o.at), deleteCount: 0, text: o.s }]];
    case 'delete':
    case 'replace': {
      const at = pos(o.at);
      return [[{ offset: at, deleteCount: Math.min(o.n, text.length - at), text: o.t === 'replace' ? o.s : '' }]];
    }
    case 'ime': {
      // Composition: each keystroke replaces the composed text so far, then the candidate replaces it all.
      const at = pos(o.at);
      const out: TextChange[][] = [];
      for (let i = 0; i < o.pinyin.length; i++) out.push([{ offset: at, deleteCount: i, text: o.pinyin.slice(0, i + 1) }]);
      out.push([{ offset: at, deleteCount: o.pinyin.length, text: o.han }]);
      return out;
    }
    case 'eol': {
      // One batch, bottom-up as VS Code sends it.
      const changes: TextChange[] = [];
      for (let i = text.length - 1; i >= 0; i--) {
        if (text[i] !== '\n') continue;
        const crlf = i > 0 && text[i - 1] === '\r';
        if (o.crlf && !crlf) changes.push({ offset: i, deleteCount: 1, text: '\r\n' });
        if (!o.crlf && crlf) changes.push({ offset: i - 1, deleteCount: 2, text: '\n' });
      }
      return [changes];
    }
    case 'lineStart': {
      const starts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
      const s = starts[o.line % starts.length];
      if (o.what === 'insNl') return [[{ offset: s, deleteCount: 0, text: '\n' }]];
      if (o.what === 'insSpace') return [[{ offset: s, deleteCount: 0, text: '  ' }]];
      if (o.what === 'delSpace') return text[s] === ' ' || text[s] === '\t' ? [[{ offset: s, deleteCount: 1, text: '' }]] : [];
      return s > 0 ? [[{ offset: s - 1, deleteCount: 1, text: '' }]] : [];
    }
    case 'multi': {
      // Multi-cursor typing: one batch, cursors bottom-up so each offset is still valid.
      const ats = [...new Set(o.ats.map(pos))].sort((a, b) => b - a);
      return [ats.map((offset) => ({ offset, deleteCount: 0, text: o.s }))];
    }
    case 'undo': {
      if (!last || text !== last.after) return [];
      // Smallest single change turning `after` back into `before`.
      const { before, after } = last;
      let p = 0;
      while (p < before.length && p < after.length && before[p] === after[p]) p++;
      let q = 0;
      while (q < before.length - p && q < after.length - p && before[before.length - 1 - q] === after[after.length - 1 - q]) q++;
      return [[{ offset: p, deleteCount: after.length - p - q, text: before.slice(p, before.length - q) }]];
    }
  }
}

// Documents of a few dozen lines, so edits land among many chunks; sometimes one long line or nothing.
const document = fc.array(snippet(8), { minLength: 1, maxLength: 40, size: 'max' }).map((lines) => lines.join('\n'));
const initial = fc.oneof({ weight: 4, arbitrary: document }, { weight: 1, arbitrary: snippet(30) }, { weight: 1, arbitrary: fc.constant('') });
const session = fc.record({ text: initial, ops: fc.array(op, { minLength: 1, maxLength: 10, size: 'max' }) });

function checkSession(ids: readonly TokenizerId[], text: string, ops: Op[]): void {
  const doc = new ChunkedText(text);
  let model = text;
  let last: { before: string; after: string } | undefined;
  const check = (what: string) => {
    assert.equal(doc.toString(), model, what);
    assert.equal(doc.length, model.length);
    assert.equal(doc.chunkCount, splitAtCuts(model).length, `chunks stay canonical after ${what}`);
    for (const id of ids) assert.equal(counter.count(doc, id).tokens, oracle.count(id, model).tokens, `${id} after ${what} on ${JSON.stringify(model)}`);
  };
  check('load');
  for (const o of ops) {
    for (const changes of batches(o, model, last)) {
      const before = model;
      model = applyTo(model, changes);
      doc.applyChanges(changes);
      last = { before, after: model };
      check(`${o.t} ${JSON.stringify(changes)}`);
    }
  }
}

for (const id of EXACT_TOKENIZER_IDS) {
  test(`${id}: incremental counts equal full recounts over random edit sessions`, () => {
    fc.assert(
      fc.property(session, ({ text, ops }) => checkSession([id], text, ops)),
      { numRuns: 400, seed: 20260501 },
    );
  });
}

test('estimates (Han-rate, scaled, proxy-only): incremental counts equal full recounts', () => {
  const ids: TokenizerId[] = ['estimate:doubao', 'estimate:yi', 'estimate:claude', 'estimate:kimi'];
  fc.assert(
    fc.property(session, ({ text, ops }) => checkSession(ids, text, ops)),
    { numRuns: 250, seed: 20260502 },
  );
});
