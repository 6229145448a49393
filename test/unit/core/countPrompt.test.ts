// Chat files count as they are sent wherever a whole document is counted: in the worker (the status bar), in the
// host after the worker failed, and in the CLI. Expected numbers come from the cookbook accounting written out here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { countPrompt } from '../../../src/core/countPrompt';
import { TokenCounter } from '../../../src/core/tokenizers/tokenCounter';
import { nodeCounting } from '../../../src/counting/nodeWorkerPort';
import { WorkerClient } from '../../../src/counting/workerClient';
import { referenceEncoder } from '../../fixtures/references';
import { TABLE_DIR } from '../../fixtures/tableDir';

const counter = new TokenCounter(TABLE_DIR);
const count = (id: Parameters<TokenCounter['count']>[0], t: string) => counter.count(id, t);
const MESSAGES = [
  { role: 'system', content: '你是一位翻译。' },
  { role: 'user', name: 'alice', content: 'Translate: 天空为什么是蓝色的？' },
];
const CHAT = JSON.stringify({ model: 'gpt-5.5', messages: MESSAGES }, null, 2);

/** OpenAI's cookbook: 3 per message, +1 per name, every value's tokens, 3 to prime the reply. */
function cookbook(messages: typeof MESSAGES): number {
  const enc = referenceEncoder('o200k_base');
  let n = 3;
  for (const m of messages) {
    n += 3;
    for (const [k, v] of Object.entries(m)) n += enc(v).length + (k === 'name' ? 1 : 0);
  }
  return n;
}

test('countPrompt: a chat file counts messages plus overhead; other JSON counts as text', () => {
  const chat = countPrompt(CHAT, ['o200k_base', 'qwen'], count, 'json');
  assert.equal(chat.get('o200k_base')?.tokens, cookbook(MESSAGES));
  assert.equal(chat.get('o200k_base')?.exact, true);
  assert.notEqual(chat.get('o200k_base')?.tokens, counter.count('o200k_base', CHAT).tokens);
  const plain = '{"version": 1, "models": []}';
  assert.equal(countPrompt(plain, ['o200k_base'], count, 'json').get('o200k_base')?.tokens, counter.count('o200k_base', plain).tokens);
  assert.equal(countPrompt(CHAT, ['o200k_base'], count, undefined).get('o200k_base')?.tokens, counter.count('o200k_base', CHAT).tokens);
});

test('the worker counts an open chat document as chat, and again after an edit', async () => {
  const c = new WorkerClient({ ...nodeCounting({ workerPath: join(__dirname, '../../../dist/worker.js'), tableDir: TABLE_DIR }), log: () => undefined });
  try {
    let text = CHAT;
    let version = 1;
    const doc = { key: 'file:///chat.json', get version() { return version; }, getText: () => text, chat: 'json' as const };
    assert.equal((await c.countDocument(doc, ['o200k_base'])).counts.get('o200k_base')?.tokens, cookbook(MESSAGES));
    const edited = [MESSAGES[0], { ...MESSAGES[1], content: 'Translate: 为什么晚霞是红色的？' }];
    const next = JSON.stringify({ model: 'gpt-5.5', messages: edited }, null, 2);
    const at = [...text].findIndex((_, i) => text[i] !== next[i]);
    text = next;
    version = 2;
    c.change(doc.key, 2, [{ offset: at, deleteCount: CHAT.length - at, text: next.slice(at) }]);
    const r = (await c.countDocument(doc, ['o200k_base'])).counts.get('o200k_base') as { tokens: number; messages?: number };
    assert.equal(r.tokens, cookbook(edited));
    assert.equal(r.messages, 2);
  } finally {
    c.dispose();
  }
});

test('CLI: a chat file reports its messages and counts them with overhead', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-chat-'));
  const file = join(dir, 'chat.json');
  writeFileSync(file, CHAT);
  const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), '--tokenizer', 'o200k_base', '--json', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.files[0].tokens, cookbook(MESSAGES));
  assert.deepEqual({ messages: out.files[0].chat.messages, known: out.files[0].chat.overheadKnown }, { messages: 2, known: true });
  const table = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), '--model', 'gpt-5.5,claude-sonnet-5-5', file], { encoding: 'utf8' });
  assert.match(table.stdout, /chat format: 2 messages; per-message overhead included — from the vendor's template for o200k_base, estimated \(≈\) for the others/);
});

test('a chat file counted as one text (the Prompt Costs view) is counted as chat too, in the worker', async () => {
  const c = new WorkerClient({ ...nodeCounting({ workerPath: join(__dirname, '../../../dist/worker.js'), tableDir: TABLE_DIR }), log: () => undefined });
  try {
    assert.equal((await c.countTexts([CHAT], ['o200k_base'], 'json')).counts.get('o200k_base')?.tokens, cookbook(MESSAGES));
    assert.equal((await c.countTexts([CHAT], ['o200k_base'])).counts.get('o200k_base')?.tokens, counter.count('o200k_base', CHAT).tokens);
  } finally {
    c.dispose();
  }
});

test('CLI --report counts a chat file as chat, like the status bar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-chat-report-'));
  writeFileSync(join(dir, 'chat.json'), CHAT);
  const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/cli.js'), '--report', dir, '--glob', '**/*.json', '--model', 'gpt-5.5', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).files[0].tokens, cookbook(MESSAGES));
});
