// The Prompt Costs view's engine on a workspace of 2,000 prompt files (real files, real tokenizer): the first look,
// a refresh where nothing changed, and one edited file. Ratios against the first look in the same run: after it,
// only what changed is read and counted.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportEngine, type FileRef, type ReportSource } from '../../src/core/report/engine';
import { cost } from '../../src/core/cost';
import { defaultModels, findModel } from '../../src/core/prices/priceTable';
import { TokenCounter } from '../../src/core/tokenizers/tokenCounter';
import { mixedText } from './mixedText';

const FILES = 2000;
const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
const ROOT = 'file:///ws';
const counter = new TokenCounter(join(__dirname, '../../dist/tokenizers'));
const model = findModel(defaultModels(), 'qwen-plus')!;
const refs: FileRef[] = [];
for (let i = 0; i < FILES; i++) {
  const path = `prompts/team${i % 20}/p${i}.prompt.md`;
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), mixedText(4096, i + 1));
  refs.push({ root: ROOT, path, key: `${ROOT}/${path}` });
}
let reads = 0;
let counts = 0;
const pathOf = (key: string) => join(dir, key.slice(ROOT.length + 1));
const source: ReportSource = {
  stat: async (key) => {
    const s = statSync(pathOf(key));
    return { size: s.size, mtime: s.mtimeMs };
  },
  read: async (key) => (reads++, readFileSync(pathOf(key))),
  unsaved: () => undefined,
  count: async (text, id) => (counts++, counter.count(id, text)),
};
const engine = new ReportEngine(
  source,
  { model: model.id, tokenizer: model.tokenizer, currency: 'CNY', price: (t) => cost(t, model, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 })?.totalCost, maxBytes: 16 << 20 },
  { binary: 'binary', tooLarge: () => 'too large', unreadable: (m) => m, noPrice: (m) => m, countFailed: (m) => m },
  () => undefined,
);
counter.count('qwen', 'warm up'); // the table loads before timing

async function step(act: () => void): Promise<number> {
  reads = counts = 0;
  const t0 = performance.now();
  act();
  await engine.drain(() => true);
  return performance.now() - t0;
}

async function main(): Promise<void> {
  console.log(`workspace: ${FILES} prompt files of 4 KB in 20 folders, model ${model.id}; node ${process.version}`);
  const first = await step(() => engine.setFiles(ROOT, refs, false));
  const firstIo = { reads, counts };
  const refresh = await step(() => engine.setFiles(ROOT, refs, true));
  const refreshIo = { reads, counts };
  writeFileSync(pathOf(refs[7].key), mixedText(5000, 99));
  const edit = await step(() => engine.touch(refs[7]));
  const editIo = { reads, counts };
  const row = (what: string, ms: number, io: { reads: number; counts: number }) =>
    console.log(`${what.padEnd(40)}${ms.toFixed(1).padStart(9)} ms${(ms / first).toFixed(3).padStart(9)}×   reads ${String(io.reads).padStart(4)}, counts ${String(io.counts).padStart(4)}`);
  row('first look (baseline)', first, firstIo);
  row('refresh, nothing changed', refresh, refreshIo);
  row('one file edited and saved', edit, editIo);
  const report = engine.report(ROOT)!;
  console.log(`total: ${report.total().files} files, ${report.total().tokens} tokens`);
  rmSync(dir, { recursive: true, force: true });
}

void main();
