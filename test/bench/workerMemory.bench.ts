// The counting worker's memory against its young-generation size, in one run (alternating, so machine noise hits
// both alike): a 4 MB mixed document counted for the default settings' 9 tokenizers, then 30 one-character edits,
// through the real WorkerClient and dist/worker.js. Reports the worker's committed memory (heap + tables) and time,
// with the shipped cap (WORKER_YOUNG_MB) against V8's default sizing.
//
//   npm run build && node --import tsx test/bench/workerMemory.bench.ts
import * as path from 'node:path';
import { WorkerClient } from '../../src/counting/workerClient';
import { WORKER_HEAP_MB, WORKER_YOUNG_MB, nodeCounting } from '../../src/counting/nodeWorkerPort';
import type { TokenizerId } from '../../src/core/prices/types';
import { mixedText } from './mixedText';

const ROOT = path.join(__dirname, '../..');
const IDS = ['qwen', 'deepseek-v4', 'estimate:doubao', 'glm-5', 'kimi-k2', 'estimate:ernie', 'o200k_base', 'estimate:claude-4.7', 'estimate:gemini'] as TokenizerId[];
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);

async function once(text: string, young: number | undefined): Promise<{ ms: number; committed: number; heap: number }> {
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB, ...(young ? { maxYoungGenerationSizeMb: young } : {}) };
  const c = new WorkerClient({ ...nodeCounting({ workerPath: path.join(ROOT, 'dist/worker.js'), tableDir: path.join(ROOT, 'dist/tokenizers'), resourceLimits }), log: () => undefined });
  try {
    let version = 1;
    let current = text;
    const doc = { key: 'bench', get version() { return version; }, getText: () => current };
    const t0 = performance.now();
    await c.countDocument(doc, IDS.slice(0, 1), 0);
    let last = await c.countDocument(doc, IDS, 1);
    for (let i = 0; i < 30; i++) {
      const at = 100_000 * i;
      current = current.slice(0, at) + 'x' + current.slice(at);
      version++;
      c.change('bench', version, [{ offset: at, deleteCount: 0, text: 'x' }]);
      last = await c.countDocument(doc, IDS, 0);
    }
    const m = last.stages?.memoryMb;
    return { ms: performance.now() - t0, committed: m?.total ?? Number.NaN, heap: m?.heap ?? Number.NaN };
  } finally {
    c.dispose();
  }
}

async function main(): Promise<void> {
  const text = mixedText(4 * 1024 * 1024, 7);
  const rows = { default: [] as Awaited<ReturnType<typeof once>>[], capped: [] as Awaited<ReturnType<typeof once>>[] };
  for (let i = 0; i < ROUNDS; i++) {
    rows.default.push(await once(text, undefined));
    rows.capped.push(await once(text, WORKER_YOUNG_MB));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const d = { ms: median(rows.default.map((r) => r.ms)), mb: median(rows.default.map((r) => r.committed)) };
  console.log(`4 MB document, ${IDS.length} tokenizers, 30 edits; medians of ${ROUNDS} alternating runs, node ${process.version}`);
  console.log(`V8's default young generation (baseline): ${d.ms.toFixed(0)} ms, worker committed ${d.mb.toFixed(0)} MB`);
  const ms = median(rows.capped.map((r) => r.ms));
  const mb = median(rows.capped.map((r) => r.committed));
  console.log(`young generation ${WORKER_YOUNG_MB} MB (shipped):        ${ms.toFixed(0)} ms (${(ms / d.ms).toFixed(2)}×), worker committed ${mb.toFixed(0)} MB (${(mb / d.mb).toFixed(2)}×)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
