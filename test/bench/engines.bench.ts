// Engine choice: every candidate counts the same 1 MB of mixed Chinese/English text in one run; prints MB/s and the
// ratio to js-tiktoken (the baseline named in the design), and checks that the counts agree with OpenAI's tiktoken.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { get_encoding } from 'tiktoken';
import { countTokens as gptTokenizerCount } from 'gpt-tokenizer/encoding/o200k_base';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import { referenceEncoder } from '../fixtures/references';
import { mixedText } from './mixedText';

const text = mixedText(1 << 20);
const mb = Buffer.byteLength(text) / 1e6;
const runs = Number(process.env.BENCH_RUNS ?? 3);

function best(fn: () => number): { ms: number; tokens: number } {
  let ms = Infinity;
  let tokens = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    tokens = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, tokens };
}

const ours = new ExactTokenizers(join(__dirname, '../../dist/tokenizers'));
const jsTik = getEncoding('o200k_base');
const wasm = get_encoding('o200k_base');

const rows: { name: string; ms: number; tokens: number }[] = [];
const add = (name: string, fn: () => number) => rows.push({ name, ...best(fn) });

add('js-tiktoken o200k (baseline)', () => jsTik.encode(text, [], []).length);
add('tiktoken WASM o200k', () => wasm.encode_ordinary(text).length);
add('gpt-tokenizer o200k', () => gptTokenizerCount(text));
{
  // Truly cold: a fresh instance, so neither the piece cache nor the pair-rank cache has seen the text.
  const fresh = new ExactTokenizers(join(__dirname, '../../dist/tokenizers'));
  fresh.get('o200k_base');
  const t0 = performance.now();
  const tokens = fresh.get('o200k_base').count(text);
  rows.push({ name: 'token-cost o200k, first count (cold)', ms: performance.now() - t0, tokens });
}
add('token-cost o200k, piece cache cleared', () => {
  ours.get('o200k_base').clearCache();
  return ours.get('o200k_base').count(text);
});
add('token-cost o200k, warm piece cache', () => ours.get('o200k_base').count(text));
const hfQwen = referenceEncoder('qwen');
add('@huggingface/tokenizers qwen', () => hfQwen(text).length);
for (const id of ['qwen', 'deepseek-v3', 'cl100k_base'] as const) {
  add(`token-cost ${id}, piece cache cleared`, () => {
    ours.get(id).clearCache();
    return ours.get(id).count(text);
  });
}

const base = rows[0];
console.log(`text: ${mb.toFixed(2)} MB mixed Chinese/English/code, best of ${runs} runs, node ${process.version}`);
console.log('engine'.padEnd(42) + 'tokens'.padStart(10) + 'MB/s'.padStart(9) + '  vs js-tiktoken');
for (const r of rows) {
  const mbps = mb / (r.ms / 1000);
  console.log(r.name.padEnd(42) + String(r.tokens).padStart(10) + mbps.toFixed(2).padStart(9) + `  ${(base.ms / r.ms).toFixed(1)}×`);
}
const truth = wasm.encode_ordinary(text).length;
const o200k = rows.filter((r) => r.name.includes('o200k'));
const disagree = o200k.filter((r) => r.tokens !== truth).map((r) => `${r.name}: ${r.tokens}`);
console.log(disagree.length ? `o200k counts differing from tiktoken (${truth}): ${disagree.join('; ')}` : `all o200k counts equal tiktoken's ${truth}`);
