// The counting worker dies (a crash, out of memory): the client reports it, restarts the worker, gives the text that
// killed it a flagged rough estimate instead of retrying forever, and keeps counting exactly afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { WorkerClient } from '../../../src/counting/workerClient';
import { nodeCounting } from '../../../src/counting/nodeWorkerPort';
import { inProcessPort } from '../../../src/counting/inProcessPort';
import { nodeTableLoader } from '../../../src/core/tokenizers/nodeTables';
import { TokenCounter, roughTokens } from '../../../src/core/tokenizers/tokenCounter';
import { TABLE_DIR } from '../../fixtures/tableDir';

const WORKER = join(__dirname, '../../../dist/worker.js');
const POISON_WORKER = join(__dirname, '../../fixtures/poisonWorker.cjs');
const reference = new TokenCounter(TABLE_DIR);
const TEXT = '你好，世界。Hello world!\n';

function client(workerPath: string, extra: Partial<ConstructorParameters<typeof WorkerClient>[0]> & { resourceLimits?: ResourceLimits } = {}) {
  const log: string[] = [];
  let inProcess = 0;
  const { resourceLimits, ...rest } = extra;
  const c = new WorkerClient({ ...nodeCounting({ workerPath, tableDir: TABLE_DIR, resourceLimits }), log: (l) => log.push(l), onInProcess: () => inProcess++, ...rest });
  return { c, log, inProcessNotices: () => inProcess };
}

test('a text that kills the worker gets a flagged rough estimate; the restarted worker counts the next text exactly', async () => {
  const { c, log } = client(POISON_WORKER);
  try {
    const first = await c.countTexts([TEXT], ['qwen', 'o200k_base']);
    assert.equal(first.counts.get('qwen')?.tokens, reference.count('qwen', TEXT).tokens);
    assert.equal(first.counts.get('qwen')?.exact, true);

    const poisoned = await c.countTexts(['☠'], ['qwen', 'o200k_base']);
    for (const id of ['qwen', 'o200k_base'] as const) {
      const r = poisoned.counts.get(id)!;
      assert.equal(r.exact, false);
      assert.equal(r.tokens, roughTokens(0, 1));
      assert.match(r.fallback ?? '', /counting worker stopped while counting this text \(worker exited with code 7\)/);
    }
    assert.deepEqual(c.health, { deaths: 2, inProcess: false }); // tried on a fresh worker once, then gave up on it
    assert.equal(log.filter((l) => /counting worker stopped/.test(l)).length, 2);

    const after = await c.countTexts([TEXT + TEXT], ['qwen']);
    assert.equal(after.counts.get('qwen')?.tokens, reference.count('qwen', TEXT + TEXT).tokens);
    assert.equal(after.counts.get('qwen')?.exact, true);
  } finally {
    c.dispose();
  }
});

test('documents are resent to a restarted worker, edits included', async () => {
  const { c } = client(POISON_WORKER);
  try {
    let text = 'line one\nline two 第二行\n';
    let version = 1;
    const doc = { key: 'file:///a.md', get version() { return version; }, getText: () => text };
    assert.equal((await c.countDocument(doc, ['o200k_base'])).counts.get('o200k_base')?.tokens, reference.count('o200k_base', text).tokens);
    // An edit the worker applies incrementally.
    text = 'line one\nline 2 第二行\n';
    version = 2;
    c.change(doc.key, 2, [{ offset: 14, deleteCount: 3, text: '2' }]);
    assert.equal((await c.countDocument(doc, ['o200k_base'])).counts.get('o200k_base')?.tokens, reference.count('o200k_base', text).tokens);
    await c.countTexts(['☠'], ['o200k_base']); // the worker dies twice; its copy of the document is gone
    // An edit made while no worker holds the document must not be applied to nothing: the next count resends it.
    text += 'third\n';
    version = 3;
    c.change(doc.key, 3, [{ offset: text.length - 6, deleteCount: 0, text: 'third\n' }]);
    const r = (await c.countDocument(doc, ['o200k_base'])).counts.get('o200k_base')!;
    assert.equal(r.exact, true);
    assert.equal(r.tokens, reference.count('o200k_base', text).tokens);
  } finally {
    c.dispose();
  }
});

test('a worker that runs out of memory dies alone; after three deaths counting moves into the host, reported once', async () => {
  // 8 MB of heap cannot hold the Qwen table: every attempt ends in ERR_WORKER_OUT_OF_MEMORY, a real failure.
  const { c, log, inProcessNotices } = client(WORKER, { resourceLimits: { maxOldGenerationSizeMb: 8 } });
  try {
    const r1 = (await c.countTexts([TEXT], ['qwen'])).counts.get('qwen')!;
    assert.equal(r1.exact, false);
    assert.match(r1.fallback ?? '', /memory/i);
    assert.equal(r1.tokens, roughTokens(4, [...TEXT].length - 4));
    assert.equal(c.health.deaths, 2);

    const r2 = (await c.countTexts([TEXT], ['qwen'])).counts.get('qwen')!;
    assert.equal(r2.exact, false, 'the text that caused the third death still gets the estimate');
    assert.deepEqual(c.health, { deaths: 3, inProcess: true });
    assert.equal(inProcessNotices(), 1);
    assert.ok(log.some((l) => /counting in the extension host/.test(l)));

    const r3 = (await c.countTexts([TEXT], ['qwen'])).counts.get('qwen')!;
    assert.deepEqual({ tokens: r3.tokens, exact: r3.exact }, { tokens: reference.count('qwen', TEXT).tokens, exact: true });
  } finally {
    c.dispose();
  }
});

test('the default heap cap leaves room for all four tables and a large document', async () => {
  const { c } = client(WORKER);
  try {
    const big = (TEXT + 'The quick brown fox 跳过了懒狗。\n').repeat(40_000); // ≈ 1.7 MB
    const ids = ['cl100k_base', 'o200k_base', 'qwen', 'deepseek-v3'] as const;
    const r = await c.countDocument({ key: 'file:///big.md', version: 1, getText: () => big }, ids);
    for (const id of ids) assert.deepEqual({ tokens: r.counts.get(id)?.tokens, exact: r.counts.get(id)?.exact }, { tokens: reference.count(id, big).tokens, exact: true }, id);
    assert.equal(c.health.deaths, 0);
  } finally {
    c.dispose();
  }
});

test("VS Code's change event without changes (the dirty state flipping, same version) keeps the worker's copy; the next count sends no text", async () => {
  const lines: string[] = [];
  const { c } = client(WORKER, { trace: (l) => lines.push(l) });
  try {
    let text = 'line one\n';
    let version = 1;
    const doc = { key: 'file:///b.md', get version() { return version; }, getText: () => text };
    assert.equal((await c.countDocument(doc, ['qwen'])).stages?.sendMs === undefined, false);
    text = 'line one!\n';
    version = 2;
    c.change(doc.key, 2, [{ offset: 8, deleteCount: 0, text: '!' }]);
    c.change(doc.key, 2, []); // isDirty became true
    const r = await c.countDocument(doc, ['qwen']);
    assert.equal(r.counts.get('qwen')?.tokens, reference.count('qwen', text).tokens);
    assert.equal(r.stages?.openMs, 0, 'the worker cut no new text into chunks');
    assert.deepEqual(lines, [], 'no resend was needed');
  } finally {
    c.dispose();
  }
});

test('warm() starts the counter once, before any count, and the first count uses it; a disposed client stays cold', async () => {
  let started = 0;
  const port = inProcessPort(nodeTableLoader(TABLE_DIR));
  const c = new WorkerClient({ start: (events) => (started++, port(events)), fallback: port, log: () => undefined });
  try {
    assert.equal(started, 0); // nothing runs until asked
    c.warm();
    c.warm();
    assert.equal(started, 1);
    const r = await c.countTexts([TEXT], ['qwen']);
    assert.equal(r.counts.get('qwen')?.tokens, reference.count('qwen', TEXT).tokens);
    assert.equal(started, 1);
  } finally {
    c.dispose();
  }
  c.warm();
  assert.equal(started, 1);
});

test('a warmed real worker thread counts exactly', async () => {
  const { c } = client(WORKER);
  try {
    c.warm();
    const r = await c.countTexts([TEXT], ['qwen', 'o200k_base']);
    for (const id of ['qwen', 'o200k_base'] as const) assert.equal(r.counts.get(id)?.tokens, reference.count(id, TEXT).tokens);
  } finally {
    c.dispose();
  }
});
