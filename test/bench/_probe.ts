import { join } from 'node:path';
import { WorkerClient } from '../../src/counting/workerClient';
import { nodeCounting } from '../../src/counting/nodeWorkerPort';
import { mixedText } from './mixedText';
const cap = Number(process.argv[2]);
const size = Number(process.argv[3] ?? 4);
const text = mixedText(size * 1024 * 1024, 7);
async function main() {
  const rss = () => (process.memoryUsage().rss / 1e6).toFixed(0);
  const r0 = rss();
  const c = new WorkerClient({ ...nodeCounting({ workerPath: join(process.cwd(), 'dist/worker.js'), tableDir: 'dist/tokenizers', resourceLimits: { maxOldGenerationSizeMb: cap } }), log: console.log });
  const ids = ['qwen', 'deepseek-v4', 'glm-5', 'kimi-k2', 'o200k_base', 'estimate:doubao', 'estimate:claude-4.7', 'estimate:gemini', 'estimate:ernie', 'minimax', 'deepseek-v3', 'glm-4', 'cl100k_base'] as any[];
  const t0 = performance.now();
  await c.countDocument({ key: 'a', version: 1, getText: () => text }, ids.slice(0, 1), 0);
  await c.countDocument({ key: 'a', version: 1, getText: () => text }, ids, 1);
  const r1 = rss();
  await c.countTexts([text + ' '], ids, undefined, 5);
  console.log(`cap ${cap} MB, ${size} MB doc: rss before ${r0}, after doc counts ${r1}, after a text copy ${rss()} MB, ${(performance.now() - t0).toFixed(0)} ms`);
  c.dispose();
}
main();
