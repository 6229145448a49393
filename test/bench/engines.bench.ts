// Engine choice: every candidate counts the same 1 MB of mixed Chinese/English text in one run. Prints, per bundled
// vocabulary, MB/s cold (table loaded, not timed; empty caches; for o200k the engine's first count in this process),
// with the piece cache cleared and warm, as a ratio to js-tiktoken (the baseline named in the design) and to
// gpt-tokenizer in the same state; then each table's load time and memory, measured in fresh processes (best of
// three); and checks every count against the reference engines.
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { get_encoding } from 'tiktoken';
import { countTokens as gptTokenizerCount, clearMergeCache as gptTokenizerClear } from 'gpt-tokenizer/encoding/o200k_base';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import { tableOf } from '../../src/core/tokenizers/rankTable';
import { EXACT_TOKENIZER_IDS } from '../../src/core/prices/types';
import type { ExactTokenizerId } from '../../src/core/prices/types';
import { referenceEncoder, referenceEncoderAsync } from '../fixtures/references';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const text = mixedText(1 << 20);
const mb = Buffer.byteLength(text) / 1e6;
const runs = Number(process.env.BENCH_RUNS ?? 3);

if (process.argv[2] === '--load') measureLoad(process.argv[3] as ExactTokenizerId);
else void main();

/** Child process: load one table from cold and report time and memory (needs --expose-gc). */
function measureLoad(id: ExactTokenizerId): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { heap: m.heapUsed + m.external, rss: m.rss };
  };
  const tokenizers = new ExactTokenizers(TABLE_DIR);
  const m0 = used();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const t = tokenizers.get(id);
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpu = (c1.user + c1.system) / 1000;
  const m1 = used();
  t.count(text);
  const m2 = used();
  const MB = 1024 * 1024;
  console.log(JSON.stringify({ ms, cpu, heap: (m1.heap - m0.heap) / MB, rss: (m1.rss - m0.rss) / MB, heapAfterCount: (m2.heap - m0.heap) / MB, rssAfterCount: (m2.rss - m0.rss) / MB }));
}

async function main(): Promise<void> {
  const ids = EXACT_TOKENIZER_IDS.filter((id) => existsSync(join(TABLE_DIR, `${tableOf(id).file}.bin`)));
  const rows: { name: string; ms: number; tokens: number; vs?: number }[] = [];
  const time = (fn: () => number) => {
    const t0 = performance.now();
    const tokens = fn();
    return { ms: performance.now() - t0, tokens };
  };
  const best = (fn: () => number) => {
    let r = time(fn);
    for (let i = 1; i < runs; i++) {
      const s = time(fn);
      if (s.ms < r.ms) r = s;
    }
    return r;
  };

  // Cold first, before either engine's code has run: a first count is what a user waits for.
  const ours = new ExactTokenizers(TABLE_DIR);
  ours.get('o200k_base');
  const o200kCold = time(() => ours.get('o200k_base').count(text));
  const gptCold = time(() => gptTokenizerCount(text));
  const gptCleared = best(() => {
    gptTokenizerClear();
    return gptTokenizerCount(text);
  });
  const gptWarm = best(() => gptTokenizerCount(text));
  const jsTik = getEncoding('o200k_base');
  const wasm = get_encoding('o200k_base');
  rows.push({ name: 'js-tiktoken o200k (baseline)', ...best(() => jsTik.encode(text, [], []).length) });
  rows.push({ name: 'tiktoken WASM o200k', ...best(() => wasm.encode_ordinary(text).length) });
  rows.push({ name: 'gpt-tokenizer o200k, cold', ...gptCold });
  rows.push({ name: 'gpt-tokenizer o200k, cache cleared', ...gptCleared });
  rows.push({ name: 'gpt-tokenizer o200k, warm', ...gptWarm });
  const hfQwen = referenceEncoder('qwen');
  rows.push({ name: '@huggingface/tokenizers qwen', ...best(() => hfQwen(text).length) });

  const truth = new Map<string, number>();
  for (const id of ids) {
    const t = ours.get(id);
    const cold = id === 'o200k_base' ? o200kCold : time(() => t.count(text));
    const cleared = best(() => {
      t.clearCache();
      return t.count(text);
    });
    const warm = best(() => t.count(text));
    const gpt = id === 'o200k_base';
    rows.push({ name: `token-cost ${id}, cold`, ...cold, vs: gpt ? gptCold.ms : undefined });
    rows.push({ name: `token-cost ${id}, cache cleared`, ...cleared, vs: gpt ? gptCleared.ms : undefined });
    rows.push({ name: `token-cost ${id}, warm`, ...warm, vs: gpt ? gptWarm.ms : undefined });
    truth.set(id, (await referenceEncoderAsync(id)(text)).length);
    ours.release(id);
  }

  const base = rows[0];
  console.log(`text: ${mb.toFixed(2)} MB mixed Chinese/English/code, best of ${runs} runs (cold: one), node ${process.version}`);
  console.log('engine'.padEnd(40) + 'tokens'.padStart(8) + 'MB/s'.padStart(8) + '  vs js-tiktoken' + '  vs gpt-tokenizer');
  for (const r of rows) {
    const mbps = mb / (r.ms / 1000);
    const vs = r.vs === undefined ? '' : `${(r.vs / r.ms).toFixed(2)}×`.padStart(18);
    console.log(r.name.padEnd(40) + String(r.tokens).padStart(8) + mbps.toFixed(2).padStart(8) + `${(base.ms / r.ms).toFixed(1)}×`.padStart(16) + vs);
  }
  const wrong = rows.filter((r) => {
    const id = ids.find((i) => r.name.includes(` ${i}`));
    const want = id ? truth.get(id) : r.name.includes('o200k') ? truth.get('o200k_base') : undefined;
    return want !== undefined && r.tokens !== want;
  });
  console.log(wrong.length ? `COUNTS DIFFER from the references: ${wrong.map((r) => `${r.name}: ${r.tokens}`).join('; ')}` : `all counts equal the references' (${[...truth].map(([id, n]) => `${id} ${n}`).join(', ')})`);

  console.log('\ntable'.padEnd(15) + 'load ms'.padStart(9) + '  (CPU, all threads)' + '  heap+buffers MB' + '  RSS MB' + '  after a 1 MB count: heap+buffers / RSS MB');
  // Three fresh processes per table, the quickest kept: load time is a one-off, so scheduling noise on a shared
  // machine would otherwise dominate it.
  for (const id of ids) {
    let m: Record<string, number> | undefined;
    for (let i = 0; i < 3; i++) {
      const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--load', id], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`load bench for ${id} failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as Record<string, number>;
      if (!m || r.ms < m.ms) m = r;
    }
    if (!m) continue;
    console.log(id.padEnd(14) + m.ms.toFixed(1).padStart(9) + m.cpu.toFixed(1).padStart(20) + m.heap.toFixed(1).padStart(17) + m.rss.toFixed(1).padStart(8) + `${m.heapAfterCount.toFixed(1)} / ${m.rssAfterCount.toFixed(1)}`.padStart(24));
  }
}
