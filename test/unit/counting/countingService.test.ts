// The counting scheduler: long counts are cut into slices and resumed with the same result, a more urgent request
// overtakes a long background count between two chunks, and requests for a version already replaced are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountingService } from '../../../src/counting/countingService';
import { Priority } from '../../../src/counting/protocol';
import type { FromWorker } from '../../../src/counting/protocol';
import { nodeTableLoader } from '../../../src/core/tokenizers/nodeTables';
import { TokenCounter } from '../../../src/core/tokenizers/tokenCounter';
import { TABLE_DIR } from '../../fixtures/tableDir';
import { mixedText } from '../../bench/mixedText';

const reference = new TokenCounter(TABLE_DIR);

function service(sliceMs: number) {
  const replies: FromWorker[] = [];
  let yields = 0;
  const s = new CountingService({
    tables: nodeTableLoader(TABLE_DIR),
    post: (m) => replies.push(m),
    yieldSlice: () => {
      yields++;
      return new Promise((r) => setImmediate(r));
    },
    sliceMs,
  });
  const settled = async () => {
    while (s.queued) await new Promise((r) => setImmediate(r));
  };
  return { s, replies, settled, yields: () => yields };
}

const tokensOf = (r: FromWorker | undefined, id: string) => (r?.type === 'counted' ? r.counts.find((c) => c.tokenizer === id)?.tokens : undefined);

test('a count cut into many slices equals the uninterrupted count, exactly', async () => {
  const text = mixedText(200_000, 3);
  const { s, replies, settled, yields } = service(0); // every slice counts one chunk, then yields
  s.handle({ type: 'open', doc: 'd', version: 1, text });
  s.handle({ type: 'count', id: 1, tokenizers: ['qwen'], priority: Priority.status, doc: 'd', version: 1 });
  await settled();
  assert.ok(yields() > 10, `sliced (${yields()} yields)`);
  assert.equal(tokensOf(replies[0], 'qwen'), reference.count('qwen', text).tokens);
});

test('a more urgent request overtakes a long background count, and both stay exact', async () => {
  const big = mixedText(300_000, 5);
  const { s, replies, settled } = service(1);
  s.handle({ type: 'open', doc: 'big', version: 1, text: big });
  s.handle({ type: 'count', id: 1, tokenizers: ['o200k_base'], priority: Priority.promptCosts, doc: 'big', version: 1 });
  // Arrives while the background count is under way (it has yielded after its first slice).
  await new Promise((r) => setImmediate(r));
  s.handle({ type: 'count', id: 2, tokenizers: ['qwen'], priority: Priority.status, texts: ['你好，世界'] });
  await settled();
  assert.deepEqual(replies.map((r) => r.id), [2, 1], 'the status bar’s count first');
  assert.equal(tokensOf(replies[0], 'qwen'), reference.count('qwen', '你好，世界').tokens);
  assert.equal(tokensOf(replies[1], 'o200k_base'), reference.count('o200k_base', big).tokens);
  const bg = replies[1];
  assert.ok(bg.type === 'counted' && bg.ms >= bg.busyMs, 'waiting time is reported apart from counting time');
});

test('a request for a newer version drops the older one; an edit makes a queued count stale, never counted as the new text', async () => {
  const { s, replies, settled } = service(1);
  const text = mixedText(100_000, 9);
  s.handle({ type: 'open', doc: 'd', version: 1, text });
  s.handle({ type: 'count', id: 1, tokenizers: ['qwen'], priority: Priority.budgets, doc: 'd', version: 1 });
  await new Promise((r) => setImmediate(r));
  s.handle({ type: 'change', doc: 'd', version: 2, changes: [{ offset: 0, deleteCount: 0, text: '新' }] });
  s.handle({ type: 'count', id: 2, tokenizers: ['qwen'], priority: Priority.status, doc: 'd', version: 2 });
  await settled();
  const r1 = replies.find((r) => r.id === 1);
  assert.equal(r1?.type, 'failed');
  assert.equal(r1?.type === 'failed' && r1.stale, true);
  assert.equal(tokensOf(replies.find((r) => r.id === 2), 'qwen'), reference.count('qwen', '新' + text).tokens);

  // A count for a version the copy has not reached asks for the text again.
  s.handle({ type: 'count', id: 3, tokenizers: ['qwen'], priority: Priority.status, doc: 'd', version: 5 });
  await settled();
  const r3 = replies.find((r) => r.id === 3);
  assert.equal(r3?.type === 'failed' && r3.resync, true);
});

test('without a table loader, tables come in table messages; a missing one is reported, not fatal', async () => {
  const replies: FromWorker[] = [];
  const s = new CountingService({ post: (m) => replies.push(m), yieldSlice: () => new Promise((r) => setImmediate(r)) });
  s.handle({ type: 'count', id: 1, tokenizers: ['qwen'], priority: Priority.status, texts: ['hello'] });
  while (s.queued) await new Promise((r) => setImmediate(r));
  const first = replies[0];
  assert.ok(first.type === 'counted' && first.counts[0].exact === false && /qwen.*not sent/.test(first.counts[0].fallback ?? ''));
  s.handle({ type: 'release' }); // forget the failure
  s.handle({ type: 'table', file: 'qwen', bytes: nodeTableLoader(TABLE_DIR)('qwen') });
  s.handle({ type: 'count', id: 2, tokenizers: ['qwen'], priority: Priority.status, texts: ['hello'] });
  while (s.queued) await new Promise((r) => setImmediate(r));
  assert.equal(tokensOf(replies[1], 'qwen'), reference.count('qwen', 'hello').tokens);
});

test('the in-host port with tables sent as bytes (the browser path) counts documents and edits exactly', async () => {
  const { WorkerClient } = await import('../../../src/counting/workerClient');
  const { inProcessPort } = await import('../../../src/counting/inProcessPort');
  const read: string[] = [];
  const tableBytes = async (file: string) => {
    read.push(file);
    return nodeTableLoader(TABLE_DIR)(file as never);
  };
  const c = new WorkerClient({ start: inProcessPort(), fallback: inProcessPort(), tableBytes, log: () => undefined });
  try {
    let text = mixedText(50_000, 2);
    const doc = { key: 'file:///a.md', version: 1, getText: () => text };
    const r1 = await c.countDocument(doc, ['qwen', 'o200k_base'], Priority.status);
    assert.equal(r1.counts.get('qwen')?.tokens, reference.count('qwen', text).tokens);
    assert.equal(r1.counts.get('o200k_base')?.tokens, reference.count('o200k_base', text).tokens);
    text = '前' + text;
    c.change(doc.key, 2, [{ offset: 0, deleteCount: 0, text: '前' }]);
    const r2 = await c.countDocument({ ...doc, version: 2 }, ['qwen'], Priority.status);
    assert.equal(r2.counts.get('qwen')?.tokens, reference.count('qwen', text).tokens);
    assert.deepEqual(read.sort(), ['o200k_base', 'qwen'], 'each table read once');
  } finally {
    c.dispose();
  }
});

test('a reply says where its time went: table loading and chunking on the first count of a document, neither after', async () => {
  const { s, replies, settled } = service(10);
  s.handle({ type: 'open', doc: 'd', version: 1, text: mixedText(50_000, 5) });
  s.handle({ type: 'count', id: 1, tokenizers: ['glm-5'], priority: Priority.status, doc: 'd', version: 1 });
  await settled();
  s.handle({ type: 'change', doc: 'd', version: 2, changes: [{ offset: 0, deleteCount: 0, text: 'x' }] });
  s.handle({ type: 'count', id: 2, tokenizers: ['glm-5'], priority: Priority.status, doc: 'd', version: 2 });
  await settled();
  const [first, second] = replies;
  assert.ok(first.type === 'counted' && second.type === 'counted');
  assert.ok(first.loadMs > 0 && first.loadMs <= first.busyMs, 'the table load is part of the first count');
  assert.ok(first.openMs !== undefined && first.openMs >= 0, 'chunking the new text is reported with its first count');
  assert.equal(second.loadMs, 0, 'the table was loaded already');
  assert.equal(second.openMs, undefined, 'the text was cut once');
});
