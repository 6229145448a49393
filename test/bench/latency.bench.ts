// Typing latency in a 10 MB document: each keystroke is applyChanges + count('qwen') on the incremental core,
// against what other token-counting extensions do on every change (re-encode the whole document on the main
// thread with js-tiktoken) and against our own engine recounting the whole text. Ratios are within this run.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { ChunkedText } from '../../src/core/incremental/chunkedText';
import { DocumentCounter } from '../../src/core/incremental/documentCounter';
import { splitAtCuts } from '../../src/core/incremental/cuts';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const KEYSTROKES = 50;
const text = mixedText(10 * 1024 * 1024);
const mb = Buffer.byteLength(text) / 1e6;
const ms = (t0: number) => performance.now() - t0;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const lens = splitAtCuts(text).map((c) => c.length);
console.log(`text: ${mb.toFixed(2)} MB (${text.length} UTF-16 units) mixed Chinese/English/code, node ${process.version}`);
console.log(`chunks: ${lens.length}, mean ${(text.length / lens.length).toFixed(0)} units, max ${Math.max(...lens)} units`);

const counter = new DocumentCounter(TABLE_DIR);
let t0 = performance.now();
const doc = new ChunkedText(text);
const splitMs = ms(t0);
t0 = performance.now();
const first = counter.count(doc, 'qwen').tokens;
console.log(`load + split: ${splitMs.toFixed(0)} ms; first count qwen (tables included): ${ms(t0).toFixed(0)} ms, ${first} tokens`);

// Three cursors typing in turn: ASCII, Chinese, newline, space at a line start, punctuation.
const chars = ['a', '中', '\n', ' ', 'x', '。', '文', 'e'];
const cursors = [0.5, 0.27, 0.73].map((f) => Math.floor(text.length * f));
const times: number[] = [];
let tokens = first;
for (let k = 0; k < KEYSTROKES; k++) {
  const c = k % cursors.length;
  const ch = chars[k % chars.length];
  t0 = performance.now();
  doc.applyChanges([{ offset: cursors[c], deleteCount: 0, text: ch }]);
  tokens = counter.count(doc, 'qwen').tokens;
  times.push(ms(t0));
  for (let j = 0; j < cursors.length; j++) if (cursors[j] >= cursors[c] && j !== c) cursors[j] += ch.length;
  cursors[c] += ch.length;
}
const incMedian = quantile(times, 0.5);
console.log(`incremental keystroke (applyChanges + count qwen), ${KEYSTROKES} keystrokes: median ${incMedian.toFixed(3)} ms, p95 ${quantile(times, 0.95).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms`);

const ours = new ExactTokenizers(TABLE_DIR);
const full = doc.toString();
const fullTimes: number[] = [];
let fullTokens = 0;
for (let i = 0; i < 3; i++) {
  ours.get('qwen').clearCache();
  t0 = performance.now();
  fullTokens = ours.get('qwen').count(full);
  fullTimes.push(ms(t0));
}
console.log(`incremental count equals a full recount: ${tokens === fullTokens ? 'yes' : `NO (${tokens} vs ${fullTokens})`}`);

const enc = getEncoding('o200k_base');
const naiveTimes: number[] = [];
for (let i = 0; i < 2; i++) {
  t0 = performance.now();
  enc.encode(full);
  naiveTimes.push(ms(t0));
}
const fullMedian = quantile(fullTimes, 0.5);
const naiveMedian = quantile(naiveTimes, 0.5);
console.log('per change'.padEnd(58) + 'median ms'.padStart(12) + '  naive / incremental');
const row = (name: string, t: number) => console.log(name.padEnd(58) + t.toFixed(t < 10 ? 3 : 0).padStart(12) + `  ${(t / incMedian).toFixed(0)}×`);
row('naive: js-tiktoken o200k re-encodes whole doc (2 runs)', naiveMedian);
row('naive: our BpeCounter qwen whole doc, cache cleared (3 runs)', fullMedian);
row('incremental: applyChanges + count qwen', incMedian);
console.log(`targets: ≥100× faster than naive (${naiveMedian / incMedian >= 100 ? 'met' : 'missed'}), median under 50 ms (${incMedian < 50 ? 'met' : 'missed'})`);

// Offset upkeep alone on ~200k short chunks (one line per sentence): random positions are the worst case for the
// pending shift (each edit materialises the entries between it and the previous one); a 1000-change batch sent
// bottom-up, as VS Code sends a replace-all, costs one pass.
{
  const lines = text.replace(/([。，.,]) ?/g, '$1\n');
  const d = new ChunkedText(lines);
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const n = 2000;
  t0 = performance.now();
  for (let i = 0; i < n; i++) d.applyChanges([{ offset: Math.floor(rnd() * d.length), deleteCount: 0, text: i % 4 === 0 ? '\n' : 'y' }]);
  const randomMs = ms(t0) / n;
  const batch = Array.from({ length: 1000 }, (_, i) => ({ offset: Math.floor(d.length * (1 - (i + 1) / 1001)), deleteCount: 1, text: 'zz\n' }));
  t0 = performance.now();
  d.applyChanges(batch);
  console.log(`offset upkeep, ${d.chunkCount} chunks: ${randomMs.toFixed(3)} ms per single edit at random positions; 1000-change bottom-up batch ${ms(t0).toFixed(1)} ms`);
}
