// Chat files: what counting a 10 MB JSONL of chat requests as messages (parse + contents + overhead) costs against
// counting the same file as plain text, and what an edit to one message costs afterwards (message texts are cached
// by content, so only the edited message is tokenized again). Ratios against the plain count in the same run.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { DocumentCounter } from '../../src/core/incremental/documentCounter';
import { ChunkedText } from '../../src/core/incremental/chunkedText';
import { countChat } from '../../src/core/chat/chatFormat';
import { parseChat } from '../../src/core/chat/chatParse';
import type { TokenizerId } from '../../src/core/prices/types';
import { mixedText } from './mixedText';

const TABLE_DIR = join(__dirname, '../../dist/tokenizers');
const body = mixedText(10 * 1024 * 1024, 9).split('\n').filter(Boolean);
const lines: string[] = [];
for (let i = 0; i + 2 < body.length; i += 3) {
  lines.push(JSON.stringify({ custom_id: `r${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'qwen-plus', messages: [{ role: 'system', content: body[i] }, { role: 'user', content: body[i + 1] }, { role: 'assistant', content: body[i + 2] }] } }));
}
const text = lines.join('\n') + '\n';
const ids: TokenizerId[] = ['qwen', 'o200k_base', 'deepseek-v3', 'estimate:doubao'];
const ms = (t0: number) => performance.now() - t0;

console.log(`chat JSONL: ${(Buffer.byteLength(text) / 1048576).toFixed(2)} MB, ${lines.length} requests, ${lines.length * 3} messages; tokenizers ${ids.join(', ')}; node ${process.version}`);
const warm = new DocumentCounter(TABLE_DIR);
for (const id of ids) warm.countText('x', id); // tables loaded before timing

let t0 = performance.now();
const plainCounter = new DocumentCounter(TABLE_DIR);
for (const id of ids) plainCounter.countText('x', id);
t0 = performance.now();
const doc = new ChunkedText(text);
const plain = ids.map((id) => plainCounter.count(doc, id).tokens);
const plainMs = ms(t0);

const counter = new DocumentCounter(TABLE_DIR);
for (const id of ids) counter.countText('x', id);
t0 = performance.now();
const parsed = parseChat(text, 'jsonl')!;
const parseMs = ms(t0);
const count = (id: TokenizerId, t: string) => counter.countText(t, id);
t0 = performance.now();
const chat = countChat(parsed, ids, count);
const chatMs = ms(t0) + parseMs;

// An edit to one message: the worker re-parses the file and recounts; unchanged message texts hit the cache.
const edited = text.replace('"role":"user","content":"', '"role":"user","content":"请简洁地回答。');
t0 = performance.now();
const again = countChat(parseChat(edited, 'jsonl')!, ids, count);
const editMs = ms(t0);

const row = (what: string, t: number, note = '') => console.log(`${what.padEnd(52)}${t.toFixed(0).padStart(8)} ms${(t / plainMs).toFixed(2).padStart(8)}×  ${note}`);
row('plain text count of the file (baseline)', plainMs, `tokens ${plain.join(' / ')}`);
row('as chat: parse', parseMs);
row('as chat: parse + contents + overhead (first)', chatMs, `tokens ${ids.map((id) => chat.get(id)!.tokens).join(' / ')}`);
row('as chat: one message edited, re-parse + recount', editMs, `tokens ${ids.map((id) => again.get(id)!.tokens).join(' / ')}`);
console.log(`overhead tokens (qwen): ${chat.get('qwen')!.overheadTokens}; JSON syntax no longer counted: ${plain[0] - chat.get('qwen')!.tokens} qwen tokens`);
