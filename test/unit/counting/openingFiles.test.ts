// A large file's tab opens before its document arrives: OpeningFiles reads it from disk and counts it for the
// default model, so the document's own count finds its chunks cached. Only where that pays (large, text, within
// the size limit, not open yet), and it never changes a number: counts come from the document.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';
import { TABLE_DIR } from '../../fixtures/tableDir';
import { eventually } from '../../fixtures/eventually';
import { TokenCounter } from '../../../src/core/tokenizers/tokenCounter';
import { WorkerClient } from '../../../src/counting/workerClient';
import { inProcessPort } from '../../../src/counting/inProcessPort';
import { nodeTableLoader } from '../../../src/core/tokenizers/nodeTables';
import type { TokenizerId } from '../../../src/core/prices/types';

const vscode = installFakeVscode();
const { OpeningFiles, PREFETCH_MIN_BYTES } = require('../../../src/counting/openingFiles') as typeof import('../../../src/counting/openingFiles');

const LINE = '第一行：你好，世界。The quick brown fox.\n';
const BIG = LINE.repeat(Math.ceil((PREFETCH_MIN_BYTES * 1.5) / Buffer.byteLength(LINE)));

function setup(o: { maxBytes?: number; tokenizer?: TokenizerId | undefined } = {}) {
  const counted: { text: string; tokenizer: TokenizerId; chat: unknown }[] = [];
  const traces: string[] = [];
  const opening = new OpeningFiles({
    tokenizer: () => ('tokenizer' in o ? o.tokenizer : 'qwen'),
    count: async (text, tokenizer, chat) => void counted.push({ text, tokenizer, chat }),
    maxBytes: () => o.maxBytes ?? 16 * 1024 * 1024,
    trace: () => (line) => traces.push(line),
  });
  return { opening, counted, traces };
}

beforeEach(() => vscode.reset());

test("a large file's tab: its disk text is counted once for the default model, as text (BOM dropped) or as chat", async () => {
  const { opening, counted, traces } = setup();
  try {
    const uri = vscode.writeFile('/w/big.prompt.md', '\ufeff' + BIG);
    vscode.openTab(uri);
    vscode.openTab(uri); // reported twice while the first read runs: read once
    await eventually(() => assert.equal(traces.length, 1));
    assert.equal(counted.length, 1);
    assert.equal(counted[0].text, BIG);
    assert.equal(counted[0].tokenizer, 'qwen');
    assert.equal(counted[0].chat, undefined);
    assert.match(traces[0], /^prefetch big\.prompt\.md bytes=\d+ tokenizer=qwen readMs=[\d.]+ countMs=[\d.]+ documentArrived=false$/);

    const chat = vscode.writeFile('/w/log.jsonl', `${JSON.stringify({ role: 'user', content: BIG })}\n`);
    vscode.openTab(chat, { changed: true }); // a preview tab reused for another file
    await eventually(() => assert.equal(counted.length, 2));
    assert.equal(counted[1].chat, 'jsonl');
  } finally {
    opening.dispose();
  }
});

test('nothing is read or counted where it does not pay or cannot be right', async () => {
  const { opening, counted, traces } = setup({ maxBytes: PREFETCH_MIN_BYTES * 4 });
  try {
    vscode.openTab(vscode.writeFile('/w/small.md', 'small\n')); // arrives and counts in milliseconds anyway
    vscode.openTab(vscode.writeFile('/w/huge.log', BIG.repeat(4))); // above tokenCost.maxFileSize
    vscode.openTab(vscode.writeFile('/w/blob.bin', 'PK\u0003\u0004\u0000' + BIG)); // binary
    vscode.openTab(vscode.writeFile('/w/side.md', BIG), { active: false }); // opened in the background
    const open = vscode.writeFile('/w/open.md', BIG);
    vscode.document(BIG, '/w/open.md'); // already synced: its own count needs no help
    vscode.openTab(open);
    vscode.openTab(vscode.Uri.file('/w/missing.md')); // gone: skipped, said in the trace only
    vscode.openTab(vscode.Uri.parse('untitled:Untitled-1'));
    // Clicked past: another tab is active by the time the file has been read.
    vscode.openTab(vscode.writeFile('/w/passed.md', BIG));
    vscode.openTab(vscode.writeFile('/w/tiny.md', 'the file the user stopped at\n'));
    await eventually(() => assert.ok(traces.some((l) => /missing\.md skipped/.test(l))));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(counted, []);
    // A virtual file system (GitHub Repositories, say) may fetch over the network: never read twice.
    const vfs = vscode.Uri.parse('vscode-vfs://github/o/r/big.md');
    vscode.files.set(vfs.toString(), { bytes: new TextEncoder().encode(BIG), mtime: 0 });
    vscode.openTab(vfs);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(counted, []);
  } finally {
    opening.dispose();
  }
  const none = setup({ tokenizer: undefined });
  try {
    vscode.openTab(vscode.writeFile('/w/big2.md', BIG));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(none.counted, []);
  } finally {
    none.opening.dispose();
  }
});

test('a prefetched disk text that differs from the document never changes its count', async () => {
  const reference = new TokenCounter(TABLE_DIR);
  const port = inProcessPort(nodeTableLoader(TABLE_DIR));
  const client = new WorkerClient({ start: port, fallback: port, log: () => undefined });
  const traces: string[] = [];
  const opening = new OpeningFiles({
    tokenizer: () => 'qwen',
    count: (text, id, chat) => client.countTexts([text], [id], chat, 0),
    maxBytes: () => 16 * 1024 * 1024,
    trace: () => (line) => traces.push(line),
  });
  try {
    const disk = BIG;
    const edited = BIG.replace(/fox/g, '狐狸'); // the editor's text is not the disk's (another encoding, say)
    vscode.openTab(vscode.writeFile('/w/big.md', disk));
    await eventually(() => assert.equal(traces.length, 1));
    const doc = { key: 'file:///w/big.md', version: 1, getText: () => edited };
    const r = await client.countDocument(doc, ['qwen'], 0);
    assert.equal(r.counts.get('qwen')?.tokens, reference.count('qwen', edited).tokens);
    assert.notEqual(reference.count('qwen', edited).tokens, reference.count('qwen', disk).tokens);
    // And the same text: the same number as without any prefetch.
    const same = await client.countDocument({ key: 'file:///w/other.md', version: 1, getText: () => disk }, ['qwen'], 0);
    assert.equal(same.counts.get('qwen')?.tokens, reference.count('qwen', disk).tokens);
  } finally {
    opening.dispose();
    client.dispose();
  }
});
