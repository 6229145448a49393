// Random input against every entry point that takes untrusted data: the counting API (random Unicode, lone
// surrogates included), the incremental counter, byte decoding, the webview's messages, and JSON paths in price
// files. Each property states what must hold, not just "does not throw". Seeded, so a failure replays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { TokenCounter } from '../../../src/core/tokenizers/tokenCounter';
import { DocumentCounter } from '../../../src/core/incremental/documentCounter';
import { ChunkedText } from '../../../src/core/incremental/chunkedText';
import { decodeText, countCharacters } from '../../../src/core/textInput';
import { nodeForPath } from '../../../src/core/prices/jsonLocation';
import { parseFromWebview } from '../../../src/panel/protocol';
import { ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS } from '../../../src/core/prices/types';
import type { TokenizerId } from '../../../src/core/prices/types';
import { referenceEncoder } from '../../fixtures/references';
import { TABLE_DIR } from '../../fixtures/tableDir';

const SEED = 20261123;
const counter = new TokenCounter(TABLE_DIR);

/** Text from every corner of Unicode: raw UTF-16 units (lone surrogates), astral code points, Han, ASCII, controls. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(' ', '\n', '\r\n', '\t', 'the', ' token', '123', '。', '\u200d', '\ufeff', '<|endoftext|>', '🧑‍💻'),
);
const anyText = fc.array(unit, { maxLength: 120 }).map((a) => a.join(''));

test('counting API: every tokenizer, random Unicode: an integer ≥ 0, exact where the tokenizer is, equal to the reference', () => {
  const ref = { o200k_base: referenceEncoder('o200k_base'), cl100k_base: referenceEncoder('cl100k_base') };
  fc.assert(
    fc.property(anyText, (text) => {
      for (const id of [...EXACT_TOKENIZER_IDS, ...ESTIMATE_TOKENIZER_IDS]) {
        const c = counter.count(id, text);
        assert.ok(Number.isSafeInteger(c.tokens) && c.tokens >= 0, `${id}: ${c.tokens}`);
        assert.equal(c.exact, (EXACT_TOKENIZER_IDS as readonly string[]).includes(id));
        assert.equal(c.fallback, undefined);
        if (text === '') assert.equal(c.tokens, 0);
      }
      // Lone surrogates are encoded as U+FFFD by both (what a vendor's API would receive).
      assert.equal(counter.count('o200k_base', text).tokens, ref.o200k_base(text).length);
      assert.equal(counter.count('cl100k_base', text).tokens, ref.cl100k_base(text).length);
    }),
    { seed: SEED, numRuns: 400 },
  );
});

test('incremental counter: random texts cut anywhere count the same as a whole count', () => {
  const doc = new DocumentCounter(TABLE_DIR);
  fc.assert(
    fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('\n')), fc.constantFrom<TokenizerId>('qwen', 'deepseek-v3', 'kimi-k2', 'glm-4', 'glm-5', 'minimax', 'estimate:doubao', 'estimate:claude'), (text, id) => {
      assert.equal(doc.count(new ChunkedText(text), id).tokens, counter.count(id, text).tokens);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test('decoding bytes: random bytes are text (possibly with U+FFFD) or binary when they hold NUL; never throws', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const r = decodeText(bytes);
      if (bytes.includes(0)) assert.deepEqual(r.ok ? 'text' : r.reason, 'binary');
      else {
        assert.ok(r.ok);
        assert.equal(r.text, new TextDecoder().decode(bytes));
        assert.ok(countCharacters(r.text) <= bytes.length);
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

test('webview messages: anything the webview sends is either a well-formed message or ignored', () => {
  const shaped = fc.record({ type: fc.constantFrom('ready', 'openSource', 'setDefaultModel', 'copySummary', 'evil', '__proto__'), modelId: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.string({ minLength: 190, maxLength: 260 })) }, { requiredKeys: [] });
  fc.assert(
    fc.property(fc.oneof(fc.anything(), fc.jsonValue(), shaped), (m) => {
      const r = parseFromWebview(m);
      if (r === undefined) return;
      assert.ok(['ready', 'openSource', 'setDefaultModel', 'copySummary'].includes(r.type));
      if ('modelId' in r) assert.ok(typeof r.modelId === 'string' && r.modelId.length > 0 && r.modelId.length <= 200);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('price-file locations: any JSON text and any error path map to a node inside the text, or to none', () => {
  const pathArb = fc.array(fc.oneof(fc.constantFrom('models', 'prices', 'input', 'tiers', 'id'), fc.nat(5).map((n) => `[${n}]`), fc.string({ maxLength: 5 })), { maxLength: 6 }).map((p) => p.join('.'));
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ version: 1, models: [v] }))), pathArb, (text, path) => {
      const root = parseTree(text, [], { allowTrailingComma: true });
      if (!root) return;
      const node = nodeForPath(root, path);
      if (node) assert.ok(node.offset >= 0 && node.offset + node.length <= text.length);
    }),
    { seed: SEED, numRuns: 1500 },
  );
});
