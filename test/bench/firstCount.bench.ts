// First full count of a 10 MB document (opening a file): the incremental core (split + count every chunk + fill
// the content cache) against js-tiktoken encoding the whole text. Tables are loaded before timing, for both.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { ChunkedText } from '../../src/core/incremental/chunkedText';
import { DocumentCounter } from '../../src/core/incremental/documentCounter';
import type { ExactTokenizerId } from '../../src/core/prices/types';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const text = mixedText(10 * 1024 * 1024);
const mb = Buffer.byteLength(text) / 1e6;
const ms = (t0: number) => performance.now() - t0;
console.log(`text: ${mb.toFixed(2)} MB mixed Chinese/English/code, node ${process.version}`);

const rows: { name: string; ms: number; tokens: number }[] = [];
for (const id of ['qwen', 'o200k_base'] as ExactTokenizerId[]) {
  const counter = new DocumentCounter(TABLE_DIR);
  let t0 = performance.now();
  counter.countText('x', id); // loads the table
  const loadMs = ms(t0);
  t0 = performance.now();
  const doc = new ChunkedText(text);
  const tokens = counter.count(doc, id).tokens;
  rows.push({ name: `token-cost DocumentCounter ${id}, first count`, ms: ms(t0), tokens });
  console.log(`${id}: table load ${loadMs.toFixed(0)} ms (not in the timing below), ${doc.chunkCount} chunks`);
  counter.release();
}

const enc = getEncoding('o200k_base');
const runs = Number(process.env.BENCH_RUNS ?? 1);
let best = Infinity;
let jsTokens = 0;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  jsTokens = enc.encode(text).length;
  best = Math.min(best, ms(t0));
}
rows.push({ name: `js-tiktoken o200k encode (baseline, ${runs} run${runs > 1 ? 's' : ''})`, ms: best, tokens: jsTokens });

console.log('engine'.padEnd(52) + 'tokens'.padStart(10) + 'ms'.padStart(9) + 'MB/s'.padStart(8) + '  vs js-tiktoken');
for (const r of rows) console.log(r.name.padEnd(52) + String(r.tokens).padStart(10) + r.ms.toFixed(0).padStart(9) + (mb / (r.ms / 1000)).toFixed(2).padStart(8) + `  ${(best / r.ms).toFixed(1)}×`);
const o200k = rows.find((r) => r.name.includes('o200k_base'));
console.log(`o200k counts ${o200k?.tokens === jsTokens ? 'equal' : 'DIFFER from'} js-tiktoken's ${jsTokens}; target ≥ 8× js-tiktoken: ${rows.slice(0, 2).every((r) => best / r.ms >= 8) ? 'met' : 'missed'}`);
