// Show Tokens on a 10 MB document: planning and painting the visible range (50 lines in the middle, plus the
// margin) against counting the same window's text, same run, same tokenizer. Also a 10 MB text with no line break
// (minified), where the window must stay bounded. Tables (and the id → bytes table) are loaded before timing.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import type { ExactTokenizerId } from '../../src/core/prices/types';
import { paint, planWindow, tokenizeWindow } from '../../src/showTokens/tokenPlan';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const text = mixedText(10 * 1024 * 1024);
const oneLine = text.replace(/\n/g, ' ');
console.log(`text: ${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB mixed Chinese/English/code, ${text.split('\n').length} lines; node ${process.version}; median of ${RUNS} runs`);

function median(f: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** The visible range: 50 lines starting at the first line start after the middle. */
function middle(s: string): [number, number] {
  let start = s.indexOf('\n', s.length >> 1) + 1;
  if (start === 0) start = s.length >> 1;
  let end = start;
  for (let i = 0; i < 50 && end >= 0; i++) end = s.indexOf('\n', end + 1);
  return [start, end < 0 ? Math.min(s.length, start + 4_000) : end];
}

const tokenizers = new ExactTokenizers(TABLE_DIR);
console.log('case'.padEnd(34) + 'window chars'.padStart(13) + 'tokens'.padStart(8) + 'show ms'.padStart(9) + 'count ms'.padStart(10) + '  show/count');
for (const id of ['qwen', 'o200k_base'] as ExactTokenizerId[]) {
  const counter = tokenizers.get(id);
  const t0 = performance.now();
  counter.tokenBytes(0);
  const reverseMs = performance.now() - t0;
  for (const [name, s] of [['10 MB, 50 visible lines', text], ['10 MB on one line', oneLine]] as const) {
    const bounds: [number, number] = [0, s.length];
    const visible = middle(s);
    const at = (a: number, b: number) => s.slice(a, b);
    let tokens = 0;
    let chars = 0;
    const show = median(() => {
      counter.clearCache(); // cold, as counting below: no piece seen before
      const w = planWindow(at, bounds, visible);
      const plan = tokenizeWindow(counter, at(w.start, w.end), w);
      tokens = plan.spans.length;
      chars = w.end - w.start;
      paint(plan.spans);
    });
    const w = planWindow(at, bounds, visible);
    const windowText = at(w.start, w.end);
    const count = median(() => {
      counter.clearCache(); // the piece cache would flatter repeated counts
      counter.count(windowText);
    });
    // Scrolling back over text just shown: pieces are cached.
    const warm = median(() => {
      const w = planWindow(at, bounds, visible);
      paint(tokenizeWindow(counter, at(w.start, w.end), w).spans);
    });
    console.log(`${id} ${name}`.padEnd(34) + String(chars).padStart(13) + String(tokens).padStart(8) + show.toFixed(2).padStart(9) + count.toFixed(2).padStart(10) + `  ${(show / count).toFixed(2)}×   (again, cached pieces: ${warm.toFixed(2)} ms)`);
  }
  console.log(`  ${id}: id → bytes table built once when Show Tokens starts: ${reverseMs.toFixed(0)} ms`);
}
