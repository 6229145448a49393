// Bring-your-own tokenizers: a user's tiktoken rank file or Hugging Face tokenizer.json, parsed into a counter
// with the same interface as the bundled ones. Pure: takes the settings entry and the file's bytes, returns a
// counter or a clear error; reading the file, and where the entry comes from, is the caller's business.
//
// tiktoken files count with the bundled engine (BpeCounter, same algorithm as tiktoken). tokenizer.json files
// count with the merges-based BPE below, which follows Hugging Face tokenizers step by step: normaliser,
// pre-tokenizer, then per piece the listed merges in order (byte-level as GPT-2/Qwen use, or over characters
// with `<0xNN>` byte fallback as Gemma and Llama use). As everywhere in the product, special-token strings and
// other added tokens count as the plain text they are, and no BOS/EOS is added.
import { BpeCounter } from './bpe';
import { heapPop, heapPush } from './pairHeap';
import { createPreTokenizer } from './pretokenize';
import type { PieceSink, PreTokenizer } from './pretokenize';
import { isExactTokenizer, isKnownTokenizer } from './tokenizerIds';

/** Files larger than this are refused before parsing (the largest public vocabularies are about 35 MB). */
export const USER_TOKENIZER_MAX_BYTES = 64 * 1024 * 1024;

export type UserTokenizerFormat = 'tiktoken' | 'huggingface';

/** One entry of the `tokenCost.tokenizers` setting (or `--tokenizer-file ID=PATH`), validated. */
export interface UserTokenizerEntry {
  /** The id price files and settings use for it; must not be a bundled tokenizer's id. */
  id: string;
  /** Path of the file, as the user wrote it (the caller resolves and reads it). */
  file: string;
  format: UserTokenizerFormat;
  /** tiktoken only: a bundled tokenizer's pre-tokenizer by id (e.g. "qwen"), or a regular expression's source. */
  pattern?: string;
  /** tiktoken only: Unicode normalisation before splitting. Default: the named pre-tokenizer's own, else none. */
  normalize?: 'NFC' | 'none';
}

/** What every counter offers, bundled or the user's. */
export interface TextTokenCounter {
  count(text: string): number;
  /** Token ids, for comparing with reference implementations. */
  encode(text: string): number[];
  clearCache(): void;
}

export interface UserTokenizer {
  id: string;
  counter: TextTokenCounter;
  /** One line for the user: what was loaded, e.g. "tiktoken, 127,957 ranks, pre-tokenizer qwen, NFC". */
  summary: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENTRY_KEYS = new Set(['id', 'file', 'format', 'pattern', 'normalize']);

/** Validates one settings entry (untrusted JSON). */
export function parseUserTokenizerEntry(raw: unknown): Result<UserTokenizerEntry> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('each tokenizer entry must be an object');
  const o = raw as Record<string, unknown>;
  const label = typeof o.id === 'string' ? `tokenizer "${o.id}"` : 'tokenizer entry';
  for (const k of Object.keys(o)) if (!ENTRY_KEYS.has(k)) return fail(`${label}: unknown key "${k}" (known: ${[...ENTRY_KEYS].join(', ')})`);
  if (typeof o.id !== 'string' || !ID_RE.test(o.id)) {
    return fail(`${label}: "id" must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  if (isKnownTokenizer(o.id)) return fail(`${label}: "${o.id}" is a bundled tokenizer's id; choose another`);
  if (typeof o.file !== 'string' || o.file.trim() === '') return fail(`${label}: "file" must be the path of the tokenizer file`);
  if (o.format !== 'tiktoken' && o.format !== 'huggingface') {
    return fail(`${label}: "format" must be "tiktoken" (a rank file) or "huggingface" (a tokenizer.json)`);
  }
  if (o.format === 'huggingface') {
    if (o.pattern !== undefined || o.normalize !== undefined) {
      return fail(`${label}: "pattern" and "normalize" apply only to tiktoken files; a tokenizer.json has its own`);
    }
    return { ok: true, value: { id: o.id, file: o.file, format: 'huggingface' } };
  }
  if (typeof o.pattern !== 'string' || o.pattern === '') {
    return fail(`${label}: a tiktoken file needs "pattern": a bundled tokenizer's id (e.g. "qwen", "cl100k_base") or a regular expression`);
  }
  if (o.normalize !== undefined && o.normalize !== 'NFC' && o.normalize !== 'none') return fail(`${label}: "normalize" must be "NFC" or "none"`);
  const entry: UserTokenizerEntry = { id: o.id, file: o.file, format: 'tiktoken', pattern: o.pattern };
  if (o.normalize !== undefined) entry.normalize = o.normalize;
  if (!isExactTokenizer(o.pattern)) {
    const re = translatePattern(o.pattern);
    if (!re.ok) return fail(`${label}: "pattern": ${re.error}`);
  }
  return { ok: true, value: entry };
}

/** Validates the whole setting: entries that fail are reported and skipped; a repeated id is an error. */
export function parseUserTokenizerEntries(raw: unknown): { entries: UserTokenizerEntry[]; errors: string[] } {
  const entries: UserTokenizerEntry[] = [];
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { entries, errors };
  if (!Array.isArray(raw)) return { entries, errors: ['the tokenizers setting must be a list of entries'] };
  const seen = new Set<string>();
  for (const item of raw) {
    const r = parseUserTokenizerEntry(item);
    if (!r.ok) errors.push(r.error);
    else if (seen.has(r.value.id)) errors.push(`tokenizer "${r.value.id}" is defined twice; the first one is used`);
    else {
      seen.add(r.value.id);
      entries.push(r.value);
    }
  }
  return { entries, errors };
}

/** Parses the file's bytes for a validated entry into a counter. */
export function loadUserTokenizer(entry: UserTokenizerEntry, bytes: Uint8Array, maxBytes = USER_TOKENIZER_MAX_BYTES): Result<UserTokenizer> {
  const where = `tokenizer "${entry.id}" (${entry.file})`;
  if (bytes.length > maxBytes) return fail(`${where}: the file is ${mb(bytes.length)}, over the ${mb(maxBytes)} limit`);
  if (bytes.length === 0) return fail(`${where}: the file is empty`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail(`${where}: the file is not UTF-8 text (a compressed file? unpack it first)`);
  }
  if (text.startsWith('\ufeff')) text = text.slice(1); // a byte-order mark from a Windows editor
  try {
    const r = entry.format === 'tiktoken' ? loadTiktoken(entry, text) : loadHuggingFace(text);
    if (!r.ok) return fail(`${where}: ${r.error}`);
    return { ok: true, value: { id: entry.id, counter: r.value.counter, summary: r.value.summary } };
  } catch (e) {
    return fail(`${where}: ${(e as Error).message}`);
  }
}

function fail<T>(error: string): Result<T> {
  return { ok: false, error };
}

function mb(n: number): string {
  return n < 1024 * 1024 ? `${n.toLocaleString('en-US')} bytes` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------------------------
// tiktoken rank files: one "base64-token rank" pair a line.

function loadTiktoken(entry: UserTokenizerEntry, text: string): Result<{ counter: TextTokenCounter; summary: string }> {
  const ranks = new Map<string, number>();
  const usedRanks = new Set<number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const m = /^([A-Za-z0-9+/]+={0,2}) (\d{1,9})$/.exec(line);
    if (!m) return fail(`line ${i + 1} is not "base64-token rank"${i === 0 && line.startsWith('{') ? ' (this looks like JSON: use "format": "huggingface")' : ''}`);
    let token: string;
    try {
      token = atob(m[1]); // one char per byte: the form BpeCounter keys its table by
    } catch {
      return fail(`line ${i + 1}: "${m[1]}" is not valid base64`);
    }
    const rank = Number(m[2]);
    if (ranks.has(token)) return fail(`line ${i + 1}: token "${m[1]}" appears twice`);
    if (usedRanks.has(rank)) return fail(`line ${i + 1}: rank ${rank} appears twice`);
    ranks.set(token, rank);
    usedRanks.add(rank);
  }
  if (ranks.size === 0) return fail('no ranks found');
  for (let b = 0; b < 256; b++) {
    if (!ranks.has(String.fromCharCode(b))) return fail(`the rank file lacks the single byte 0x${b.toString(16).padStart(2, '0')}, so some text could not be encoded`);
  }
  const pattern = entry.pattern ?? '';
  let pre: PreTokenizer;
  let nfc: boolean;
  if (isExactTokenizer(pattern)) {
    const named = createPreTokenizer(pattern);
    nfc = entry.normalize === undefined ? named.nfc : entry.normalize === 'NFC';
    pre = nfc === named.nfc ? named : { nfc, split: (t, sink) => named.split(t, sink) };
  } else {
    const re = translatePattern(pattern);
    if (!re.ok) return fail(`"pattern": ${re.error}`);
    nfc = entry.normalize === 'NFC';
    pre = new MatchesPreTokenizer(re.value, nfc);
  }
  return {
    ok: true,
    value: {
      counter: bundledEngine(ranks, pre),
      summary: `tiktoken, ${ranks.size.toLocaleString('en-US')} ranks, pre-tokenizer ${isExactTokenizer(pattern) ? pattern : 'from the pattern'}${nfc ? ', NFC' : ''}`,
    },
  };
}

/** The one place the bundled engine is constructed (its constructor may change; adapt here). */
function bundledEngine(ranks: Map<string, number>, pre: PreTokenizer): TextTokenCounter {
  return new BpeCounter(ranks, pre);
}

/** tiktoken's splitting: the pattern's matches are the pieces; text it does not match is dropped, as tiktoken does. */
class MatchesPreTokenizer implements PreTokenizer {
  constructor(private readonly re: RegExp, readonly nfc: boolean) {}
  split(text: string, sink: PieceSink): void {
    const re = this.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === '') {
        re.lastIndex += (text.codePointAt(re.lastIndex) ?? 0) > 0xffff ? 2 : 1; // an empty match yields no tokens
        continue;
      }
      sink(m[0]);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Regular expressions from Rust (tiktoken, fancy-regex) and Oniguruma (Hugging Face) into JavaScript, exactly or
// not at all: constructs whose meaning would change are refused with a message, never approximated.

const WORD_CLASS = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/** Translates a pattern into a JavaScript RegExp (flags "gu"), or says what it cannot translate. */
export function translatePattern(source: string): Result<RegExp> {
  let js: string;
  try {
    js = new PatternTranslator(source).translate();
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    return { ok: true, value: new RegExp(js, 'gu') };
  } catch (e) {
    return fail(`does not compile as a regular expression (${(e as Error).message})`);
  }
}

class PatternTranslator {
  private i = 0;
  private groups = 0;
  constructor(private readonly src: string) {}

  translate(): string {
    const out = this.sequence(false);
    if (this.i < this.src.length) throw new Error(`unbalanced ")" at position ${this.i}`);
    return out;
  }

  /** Atoms up to the end or the closing ")" of the current group; each quantifier binds to the atom before it. */
  private sequence(caseless: boolean): string {
    const atoms: string[] = [];
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ')') break;
      if (c === '|') {
        atoms.push('|');
        this.i++;
        continue;
      }
      const q = this.quantifier();
      if (q !== undefined) {
        const last = atoms.length > 0 ? atoms[atoms.length - 1] : '|';
        if (last === '|' || last === '^' || last === '$') throw new Error(`quantifier "${q.text}" at position ${this.i} has nothing to repeat`);
        atoms[atoms.length - 1] = q.possessive ? this.atomic(last + q.text) : last + q.text;
        continue;
      }
      atoms.push(this.atom(caseless));
    }
    return atoms.join('');
  }

  /** `X` matched once, never given back: JavaScript has no possessive or atomic syntax, so a lookahead and back-reference. */
  private atomic(body: string): string {
    const name = `tc${++this.groups}`;
    return `(?:(?=(?<${name}>${body}))\\k<${name}>)`;
  }

  private quantifier(): { text: string; possessive: boolean } | undefined {
    const s = this.src;
    const start = this.i;
    let text: string;
    const c = s[this.i];
    if (c === '*' || c === '+' || c === '?') {
      text = c;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(this.i));
      if (!m || (m[1] === '' && m[2] === '')) return undefined; // a literal brace
      text = `{${m[1] === '' ? '0' : m[1]}${m[2]}${m[3]}}`;
      this.i += m[0].length;
    } else return undefined;
    let possessive = false;
    if (s[this.i] === '?') {
      text += '?';
      this.i++;
    } else if (s[this.i] === '+') {
      possessive = true;
      this.i++;
    }
    if (this.i === start) return undefined;
    return { text, possessive };
  }

  private atom(caseless: boolean): string {
    const s = this.src;
    const c = s[this.i];
    if (c === '(') return this.group(caseless);
    if (c === '[') return this.charClass(caseless);
    if (c === '\\') return this.escape(false, caseless);
    const ch = String.fromCodePoint(s.codePointAt(this.i)!);
    this.i += ch.length;
    if (ch === '.') return '[^\\n]'; // Rust and Oniguruma: any character but \n
    if (ch === '^' || ch === '$') return ch; // no multiline flag on either side: start / end of text
    if (ch === '{' || ch === '}' || ch === ']') return `\\${ch}`;
    if (ch === '/') return '\\/';
    return caseless ? caselessLiteral(ch) : ch;
  }

  private group(caseless: boolean): string {
    const s = this.src;
    const at = this.i;
    this.i++; // "("
    let open = '(?:';
    let inner = caseless;
    let atomic = false;
    if (s[this.i] === '?') {
      const rest = s.slice(this.i);
      const m = /^\?(:|=|!|<=|<!|>|P?<([A-Za-z_][A-Za-z0-9_]*)>|([imsx-]+):|([imsx-]+)\))/.exec(rest);
      if (!m) throw new Error(`unsupported group syntax at position ${at}`);
      if (m[4] !== undefined) throw new Error(`inline flags "(?${m[4]})" at position ${at} are not supported; use a group "(?${m[4]}:…)"`);
      if (m[3] !== undefined) {
        if (m[3] !== 'i') throw new Error(`flags "${m[3]}" at position ${at} are not supported (only "(?i:…)")`);
        inner = true;
      } else if (m[1] === '>') atomic = true;
      else if (m[1] === '=' || m[1] === '!' || m[1] === '<=' || m[1] === '<!') open = `(?${m[1]}`;
      // Named and plain groups capture nothing anyone reads here: non-capturing keeps numbering out of it.
      this.i += m[0].length;
    }
    const body = this.sequence(inner);
    if (s[this.i] !== ')') throw new Error(`group opened at position ${at} is not closed`);
    this.i++;
    return atomic ? this.atomic(body) : `${open}${body})`;
  }

  private charClass(caseless: boolean): string {
    const s = this.src;
    const at = this.i;
    this.i++; // "["
    let out = '[';
    if (s[this.i] === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    while (this.i < s.length && (s[this.i] !== ']' || first)) {
      const c = s[this.i];
      if (c === '[') throw new Error(`nested classes or [:posix:] classes at position ${this.i} are not supported`);
      if (c === '&' && s[this.i + 1] === '&') throw new Error(`class intersection "&&" at position ${this.i} is not supported`);
      if (c === '\\') out += this.escape(true, caseless);
      else {
        const ch = String.fromCodePoint(s.codePointAt(this.i)!);
        this.i += ch.length;
        if (ch === ']') out += '\\]';
        else if (ch === '/' || ch === '{' || ch === '}' || ch === '(' || ch === ')' || ch === '|') out += `\\${ch}`;
        else if (ch === '-') out += '-';
        else out += caseless ? caselessInClass(ch) : ch;
      }
      first = false;
    }
    if (s[this.i] !== ']') throw new Error(`class opened at position ${at} is not closed`);
    this.i++;
    return out + ']';
  }

  private escape(inClass: boolean, caseless: boolean): string {
    const s = this.src;
    const at = this.i;
    const c = s[this.i + 1];
    if (c === undefined) throw new Error('the pattern ends with a lone backslash');
    this.i += 2;
    switch (c) {
      // Rust and Oniguruma's \s is Unicode White_Space; JavaScript's adds U+FEFF and lacks U+0085.
      case 's':
        return '\\p{White_Space}';
      case 'S':
        return '\\P{White_Space}';
      case 'd':
        return '\\p{Nd}';
      case 'D':
        return '\\P{Nd}';
      case 'w':
        return inClass ? WORD_CLASS : `[${WORD_CLASS}]`;
      case 'W':
        if (inClass) throw new Error(`\\W inside a class at position ${at} is not supported`);
        return `[^${WORD_CLASS}]`;
      case 'p':
      case 'P':
        if (caseless) throw new Error(`\\${c} inside a case-insensitive group at position ${at} is not supported`);
        return this.property(c, at);
      case 'n':
      case 'r':
      case 't':
      case 'f':
      case 'v':
        return `\\${c}`;
      case 'x': {
        const m = /^\{([0-9A-Fa-f]{1,6})\}|^([0-9A-Fa-f]{2})/.exec(s.slice(this.i));
        if (!m) throw new Error(`bad \\x escape at position ${at}`);
        this.i += m[0].length;
        return `\\u{${m[1] ?? m[2]}}`;
      }
      case 'u': {
        const m = /^([0-9A-Fa-f]{4})/.exec(s.slice(this.i));
        if (!m) throw new Error(`bad \\u escape at position ${at}`);
        this.i += 4;
        return `\\u{${m[1]}}`;
      }
      case 'A':
        if (inClass) break;
        return '^';
      case 'z':
        if (inClass) break;
        return '$';
    }
    if (/[A-Za-z0-9]/.test(c)) throw new Error(`escape "\\${c}" at position ${at} is not supported (its meaning differs between regex engines)`);
    // Escaped punctuation: JavaScript's Unicode mode allows escaping only its own syntax characters.
    const ch = String.fromCodePoint(s.codePointAt(at + 1)!);
    this.i = at + 1 + ch.length;
    if (JS_SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
    return ch;
  }

  private property(c: 'p' | 'P', at: number): string {
    const s = this.src;
    let name: string;
    if (s[this.i] === '{') {
      const end = s.indexOf('}', this.i);
      if (end < 0) throw new Error(`unclosed \\${c}{ at position ${at}`);
      name = s.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = s[this.i] ?? '';
      this.i++;
    }
    let negate = c === 'P';
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    const p = negate ? 'P' : 'p';
    for (const candidate of [name, `Script=${name}`]) {
      try {
        new RegExp(`\\p{${candidate}}`, 'u');
        return `\\${p}{${candidate}}`;
      } catch {
        // not this spelling
      }
    }
    throw new Error(`unknown Unicode property "${name}" at position ${at}`);
  }
}

/** A literal under (?i): its simple case-fold partners (Rust folds s with ſ and k with the Kelvin sign). */
function caselessLiteral(ch: string): string {
  const set = caseVariants(ch);
  return set.length === 1 ? escapeLiteral(ch) : `[${set.join('')}]`;
}

function caselessInClass(ch: string): string {
  return caseVariants(ch).join('');
}

function caseVariants(ch: string): string[] {
  const v = new Set([ch, ch.toLowerCase(), ch.toUpperCase()].filter((x) => [...x].length === 1));
  const lower = ch.toLowerCase();
  if (lower === 's') v.add('\u017f');
  if (lower === 'k') v.add('\u212a');
  return [...v];
}

function escapeLiteral(ch: string): string {
  return JS_SYNTAX.has(ch) ? `\\${ch}` : ch;
}

// ---------------------------------------------------------------------------------------------------------------
// Hugging Face tokenizer.json: BPE models only.

interface HfJson {
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  model?: {
    type?: unknown;
    vocab?: unknown;
    merges?: unknown;
    unk_token?: unknown;
    byte_fallback?: unknown;
    fuse_unk?: unknown;
    ignore_merges?: unknown;
    continuing_subword_prefix?: unknown;
    end_of_word_suffix?: unknown;
    dropout?: unknown;
  };
}

type Normalize = (text: string) => string;
/** One pre-tokenization step: pieces in, pieces out. */
type PreStep = (pieces: string[]) => string[];

function loadHuggingFace(text: string): Result<{ counter: TextTokenCounter; summary: string }> {
  let json: HfJson;
  try {
    json = JSON.parse(text) as HfJson;
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message})${/^[A-Za-z0-9+/=]+ \d+/.test(text) ? '; this looks like a tiktoken rank file: use "format": "tiktoken"' : ''}`);
  }
  const model = json.model;
  if (typeof model !== 'object' || model === null) return fail('no "model" section: is this a tokenizer.json?');
  if (model.type !== 'BPE') return fail(`the model is ${JSON.stringify(model.type ?? 'untyped')}; only BPE models are supported`);
  if (model.dropout !== undefined && model.dropout !== null) return fail('BPE dropout makes counts random; not supported');
  if (nonEmpty(model.continuing_subword_prefix) || nonEmpty(model.end_of_word_suffix)) {
    return fail('continuing_subword_prefix / end_of_word_suffix are not supported');
  }
  if (typeof model.vocab !== 'object' || model.vocab === null || Array.isArray(model.vocab)) return fail('"model.vocab" must be an object of token → id');
  const vocab = new Map<string, number>();
  let maxId = -1;
  const rawVocab = model.vocab as Record<string, unknown>;
  for (const tok in rawVocab) {
    const id = rawVocab[tok]; // for-in: twice as fast as Object.entries on a quarter-million keys
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= 1 << 24) return fail(`vocabulary entry ${JSON.stringify(tok)} has a bad id ${JSON.stringify(id)}`);
    vocab.set(tok, id);
    if (id > maxId) maxId = id;
  }
  if (vocab.size === 0) return fail('the vocabulary is empty');
  if (!Array.isArray(model.merges)) return fail('"model.merges" must be a list');
  if (model.merges.length >= 1 << 21) return fail(`${model.merges.length} merges is more than supported (2,097,151)`);
  const merges = new MergeTable(model.merges.length);
  for (let r = 0; r < model.merges.length; r++) {
    const m = model.merges[r] as unknown;
    let a: unknown, b: unknown;
    if (typeof m === 'string') {
      const sp = m.indexOf(' ');
      if (sp <= 0 || m.indexOf(' ', sp + 1) >= 0) return fail(`merge ${r} ${JSON.stringify(m)} is not "left right"`);
      a = m.slice(0, sp);
      b = m.slice(sp + 1);
    } else if (Array.isArray(m) && m.length === 2) [a, b] = m;
    if (typeof a !== 'string' || typeof b !== 'string') return fail(`merge ${r} ${JSON.stringify(m)} is not a pair of tokens`);
    const left = vocab.get(a);
    const right = vocab.get(b);
    const merged = vocab.get(a + b);
    if (left === undefined || right === undefined || merged === undefined) {
      return fail(`merge ${r} (${JSON.stringify(a)} + ${JSON.stringify(b)}) uses a token missing from the vocabulary`);
    }
    merges.set(left, right, r, merged); // a later duplicate wins, as in Hugging Face's map
  }
  const normalize = buildNormalizer(json.normalizer ?? null);
  if (!normalize.ok) return normalize;
  const pre = buildPreTokenizer(json.pre_tokenizer ?? null);
  if (!pre.ok) return pre;
  const byteFallback = model.byte_fallback === true;
  const unk = typeof model.unk_token === 'string' ? vocab.get(model.unk_token) : undefined;
  if (typeof model.unk_token === 'string' && unk === undefined) return fail(`unk_token ${JSON.stringify(model.unk_token)} is not in the vocabulary`);
  if (pre.value.byteLevel) {
    for (const ch of BYTE_CHARS) if (!vocab.has(ch)) return fail(`byte-level vocabulary lacks the byte character ${JSON.stringify(ch)}`);
  }
  const counter = new MergesBpe(vocab, merges, normalize.value, pre.value.steps, {
    byteLevel: pre.value.byteLevel,
    byteFallback,
    unk,
    fuseUnk: model.fuse_unk === true,
    ignoreMerges: model.ignore_merges === true,
  });
  const kind = pre.value.byteLevel ? 'byte-level BPE' : byteFallback ? 'BPE with byte fallback' : 'BPE';
  return { ok: true, value: { counter, summary: `tokenizer.json, ${kind}, ${vocab.size.toLocaleString('en-US')} tokens, ${model.merges.length.toLocaleString('en-US')} merges` } };
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

function typeOf(node: unknown): string {
  return typeof node === 'object' && node !== null && typeof (node as { type?: unknown }).type === 'string' ? (node as { type: string }).type : '?';
}

function buildNormalizer(node: unknown): Result<Normalize> {
  if (node === null) return { ok: true, value: (t) => t };
  const n = node as Record<string, unknown>;
  switch (typeOf(node)) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD': {
      const form = typeOf(node) as 'NFC';
      return { ok: true, value: (t) => t.normalize(form) };
    }
    case 'Lowercase':
      return { ok: true, value: (t) => t.toLowerCase() };
    case 'Sequence': {
      if (!Array.isArray(n.normalizers)) return fail('normalizer Sequence without a list');
      const fns: Normalize[] = [];
      for (const sub of n.normalizers) {
        const r = buildNormalizer(sub);
        if (!r.ok) return r;
        fns.push(r.value);
      }
      return { ok: true, value: (t) => fns.reduce((acc, f) => f(acc), t) };
    }
    case 'Prepend': {
      if (typeof n.prepend !== 'string') return fail('normalizer Prepend without a string');
      const p = n.prepend;
      return { ok: true, value: (t) => (t === '' ? t : p + t) };
    }
    case 'Replace': {
      if (typeof n.content !== 'string') return fail('normalizer Replace without content');
      const content = n.content;
      const pattern = n.pattern as { String?: unknown; Regex?: unknown } | undefined;
      if (typeof pattern?.String === 'string') {
        const from = pattern.String;
        return { ok: true, value: (t) => (from === '' ? t : t.split(from).join(content)) };
      }
      if (typeof pattern?.Regex === 'string') {
        const re = translatePattern(pattern.Regex);
        if (!re.ok) return fail(`normalizer Replace pattern: ${re.error}`);
        return { ok: true, value: (t) => t.replace(re.value, () => content) };
      }
      return fail('normalizer Replace without a pattern');
    }
    case 'Strip': {
      const left = n.strip_left !== false;
      const right = n.strip_right !== false;
      return {
        ok: true,
        value: (t) => {
          if (left) t = t.replace(/^\p{White_Space}+/u, '');
          if (right) t = t.replace(/\p{White_Space}+$/u, '');
          return t;
        },
      };
    }
  }
  return fail(`normalizer ${JSON.stringify(typeOf(node))} is not supported`);
}

/** GPT-2's split, which the ByteLevel pre-tokenizer applies when use_regex is on. */
const GPT2_SPLIT = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

function buildPreTokenizer(node: unknown): Result<{ steps: PreStep[]; byteLevel: boolean }> {
  if (node === null) return { ok: true, value: { steps: [], byteLevel: false } };
  const n = node as Record<string, unknown>;
  const one = (step: PreStep): Result<{ steps: PreStep[]; byteLevel: boolean }> => ({ ok: true, value: { steps: [step], byteLevel: false } });
  switch (typeOf(node)) {
    case 'Sequence': {
      if (!Array.isArray(n.pretokenizers)) return fail('pre-tokenizer Sequence without a list');
      const steps: PreStep[] = [];
      let byteLevel = false;
      for (const sub of n.pretokenizers) {
        const r = buildPreTokenizer(sub);
        if (!r.ok) return r;
        if (byteLevel && r.value.steps.length > 0) return fail('a pre-tokenizer after ByteLevel is not supported');
        steps.push(...r.value.steps);
        byteLevel ||= r.value.byteLevel;
      }
      return { ok: true, value: { steps, byteLevel } };
    }
    case 'ByteLevel': {
      const steps: PreStep[] = [];
      if (n.add_prefix_space === true) steps.push((pieces) => pieces.map((p) => (p.startsWith(' ') ? p : ' ' + p)));
      if (n.use_regex !== false) steps.push(splitStep(new RegExp(new PatternTranslator(GPT2_SPLIT).translate(), 'gu'), 'Isolated', false));
      return { ok: true, value: { steps, byteLevel: true } };
    }
    case 'Split': {
      const behavior = n.behavior;
      if (behavior !== 'Isolated' && behavior !== 'Removed' && behavior !== 'MergedWithPrevious' && behavior !== 'MergedWithNext' && behavior !== 'Contiguous') {
        return fail(`Split behaviour ${JSON.stringify(behavior)} is not supported`);
      }
      const pattern = n.pattern as { String?: unknown; Regex?: unknown } | undefined;
      let matcher: RegExp | string;
      if (typeof pattern?.String === 'string') matcher = pattern.String;
      else if (typeof pattern?.Regex === 'string') {
        const re = translatePattern(pattern.Regex);
        if (!re.ok) return fail(`Split pattern: ${re.error}`);
        matcher = re.value;
      } else return fail('Split without a pattern');
      return one(splitStep(matcher, behavior, n.invert === true));
    }
    case 'Digits':
      return one(splitStep(/\p{N}/gu, n.individual_digits === true ? 'Isolated' : 'Contiguous', false));
    case 'Metaspace': {
      const rep = typeof n.replacement === 'string' ? n.replacement : '▁';
      const scheme = n.prepend_scheme ?? (n.add_prefix_space === false ? 'never' : 'always');
      if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') return fail(`Metaspace prepend_scheme ${JSON.stringify(scheme)} is not supported`);
      const split = n.split !== false;
      return one((pieces) => {
        const out: string[] = [];
        pieces.forEach((p, i) => {
          let s = p.split(' ').join(rep);
          if ((scheme === 'always' || (scheme === 'first' && i === 0)) && !s.startsWith(rep)) s = rep + s;
          if (split) for (const piece of splitSpans(s, rep, 'MergedWithNext', false)) out.push(piece);
          else out.push(s);
        });
        return out;
      });
    }
  }
  return fail(`pre-tokenizer ${JSON.stringify(typeOf(node))} is not supported`);
}

type Behavior = 'Isolated' | 'Removed' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';

function splitStep(matcher: RegExp | string, behavior: Behavior, invert: boolean): PreStep {
  return (pieces) => {
    const out: string[] = [];
    for (const p of pieces) for (const s of splitSpans(p, matcher, behavior, invert)) out.push(s);
    return out;
  };
}

/** Hugging Face's split with a delimiter behaviour, on one piece; empty pieces are dropped as there. */
function splitSpans(text: string, matcher: RegExp | string, behavior: Behavior, invert: boolean): string[] {
  const spans: [number, number, boolean][] = [];
  let prev = 0;
  const push = (start: number, end: number): void => {
    if (prev < start) spans.push([prev, start, invert]);
    spans.push([start, end, !invert]);
    prev = end;
  };
  if (typeof matcher === 'string') {
    if (matcher !== '') {
      for (let at = text.indexOf(matcher); at >= 0; at = text.indexOf(matcher, at + matcher.length)) push(at, at + matcher.length);
    }
  } else {
    matcher.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = matcher.exec(text)) !== null) {
      if (m[0] === '') {
        matcher.lastIndex += (text.codePointAt(matcher.lastIndex) ?? 0) > 0xffff ? 2 : 1;
        continue;
      }
      push(m.index, m.index + m[0].length);
    }
  }
  if (prev < text.length) spans.push([prev, text.length, invert]);
  const merged: [number, number][] = [];
  let previousMatch = false;
  switch (behavior) {
    case 'Isolated':
      for (const [a, b] of spans) merged.push([a, b]);
      break;
    case 'Removed':
      for (const [a, b, isMatch] of spans) if (!isMatch) merged.push([a, b]);
      break;
    case 'Contiguous':
      for (const [a, b, isMatch] of spans) {
        if (merged.length > 0 && isMatch === previousMatch) merged[merged.length - 1][1] = b;
        else merged.push([a, b]);
        previousMatch = isMatch;
      }
      break;
    case 'MergedWithPrevious':
      for (const [a, b, isMatch] of spans) {
        if (isMatch && !previousMatch && merged.length > 0) merged[merged.length - 1][1] = b;
        else merged.push([a, b]);
        previousMatch = isMatch;
      }
      break;
    case 'MergedWithNext':
      for (let k = spans.length - 1; k >= 0; k--) {
        const [a, b, isMatch] = spans[k];
        if (isMatch && !previousMatch && merged.length > 0) merged[merged.length - 1][0] = a;
        else merged.push([a, b]);
        previousMatch = isMatch;
      }
      merged.reverse();
      break;
  }
  const out: string[] = [];
  for (const [a, b] of merged) if (a < b) out.push(text.slice(a, b));
  return out;
}

/** GPT-2's byte → character map: printable bytes stand for themselves, the rest move to U+0100 onwards. */
const BYTE_CHARS: readonly string[] = (() => {
  const chars: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return chars;
})();

/**
 * Pair → (rank, merged id), open addressing over typed arrays: half a million merges (Gemma 3) in 16 MB, and
 * lookups without allocating keys.
 */
class MergeTable {
  private readonly mask: number;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly rank: Int32Array;
  private readonly merged: Int32Array;
  constructor(count: number) {
    let cap = 16;
    while (cap < count * 2) cap <<= 1;
    this.mask = cap - 1;
    this.left = new Int32Array(cap).fill(-1);
    this.right = new Int32Array(cap);
    this.rank = new Int32Array(cap);
    this.merged = new Int32Array(cap);
  }
  private slot(l: number, r: number): number {
    let h = (Math.imul(l, 0x9e3779b1) ^ Math.imul(r + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
    while (this.left[h] !== -1 && (this.left[h] !== l || this.right[h] !== r)) h = (h + 1) & this.mask;
    return h;
  }
  set(l: number, r: number, rank: number, merged: number): void {
    const h = this.slot(l, r);
    this.left[h] = l;
    this.right[h] = r;
    this.rank[h] = rank;
    this.merged[h] = merged;
  }
  /** The slot of the pair, or -1. */
  find(l: number, r: number): number {
    const h = this.slot(l, r);
    return this.left[h] === -1 ? -1 : h;
  }
  rankAt(slot: number): number {
    return this.rank[slot];
  }
  mergedAt(slot: number): number {
    return this.merged[slot];
  }
}

interface BpeOptions {
  byteLevel: boolean;
  byteFallback: boolean;
  unk: number | undefined;
  fuseUnk: boolean;
  ignoreMerges: boolean;
}

const NO_PAIR = 0x7fffffff;
const CACHE_LIMIT = 100_000;
/** Pieces up to this many characters are cached (a byte-fallback vocabulary may make the whole text one piece). */
const CACHE_PIECE_CHARS = 256;

/** Hugging Face's BPE model: per piece, apply the listed merge of lowest rank (leftmost on ties) until none applies. */
class MergesBpe implements TextTokenCounter {
  private readonly cache = new Map<string, number>();
  private readonly byteFallbackIds: Int32Array | undefined;

  constructor(
    private readonly vocab: Map<string, number>,
    private readonly merges: MergeTable,
    private readonly normalize: Normalize,
    private readonly steps: PreStep[],
    private readonly opts: BpeOptions,
  ) {
    if (opts.byteFallback) {
      const ids = new Int32Array(256).fill(-1);
      for (let b = 0; b < 256; b++) ids[b] = vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) ?? -1;
      this.byteFallbackIds = ids;
    }
  }

  count(text: string): number {
    let n = 0;
    for (const piece of this.pieces(text)) {
      const hit = this.cache.get(piece);
      if (hit !== undefined) {
        n += hit;
        continue;
      }
      const k = this.mergePiece(piece).length;
      if (piece.length <= CACHE_PIECE_CHARS) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, k);
      }
      n += k;
    }
    return n;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of this.pieces(text)) for (const id of this.mergePiece(piece)) ids.push(id);
    return ids;
  }

  clearCache(): void {
    this.cache.clear();
  }

  private pieces(text: string): string[] {
    const normalized = this.normalize(wellFormed(text));
    if (normalized === '') return [];
    let pieces = [normalized];
    for (const step of this.steps) pieces = step(pieces);
    return pieces;
  }

  /** The piece's initial symbols (characters, or byte characters for byte-level), then the merges. */
  private mergePiece(piece: string): number[] {
    const vocab = this.vocab;
    const o = this.opts;
    const word = o.byteLevel ? byteChars(piece) : piece;
    if (o.ignoreMerges) {
      const whole = vocab.get(word);
      if (whole !== undefined) return [whole];
    }
    const ids: number[] = [];
    let pendingUnk = false;
    for (const ch of word) {
      const id = vocab.get(ch);
      if (id !== undefined) {
        if (pendingUnk) {
          ids.push(o.unk!);
          pendingUnk = false;
        }
        ids.push(id);
        continue;
      }
      if (this.byteFallbackIds) {
        const bytes = utf8Bytes(ch);
        if (bytes.every((b) => this.byteFallbackIds![b] >= 0)) {
          for (const b of bytes) ids.push(this.byteFallbackIds[b]);
          continue;
        }
      }
      if (o.unk !== undefined) {
        if (pendingUnk && !o.fuseUnk) ids.push(o.unk);
        pendingUnk = true;
      }
      // No unk token: Hugging Face drops the character.
    }
    if (pendingUnk) ids.push(o.unk!);
    return mergeAll(ids, this.merges);
  }
}

/** Merges by a heap over (rank, position) and a linked list of symbols: O(n log n), so a whole text as one piece is fine. */
function mergeAll(ids: number[], merges: MergeTable): number[] {
  const n = ids.length;
  if (n < 2) return ids;
  const sym = Int32Array.from(ids);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const pairRank = new Int32Array(n).fill(NO_PAIR);
  const pairSlot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap(n);
  const look = (i: number): void => {
    const j = next[i];
    const slot = j < 0 ? -1 : merges.find(sym[i], sym[j]);
    if (slot < 0) {
      pairRank[i] = NO_PAIR;
      return;
    }
    pairRank[i] = merges.rankAt(slot);
    pairSlot[i] = slot;
    heap.push(pairRank[i], i);
  };
  for (let i = 0; i < n - 1; i++) look(i);
  let alive = n;
  while (heap.size > 0) {
    const [rank, i] = heap.pop();
    if (pairRank[i] !== rank) continue; // stale: the pair at i changed since it was pushed
    const j = next[i];
    sym[i] = merges.mergedAt(pairSlot[i]);
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    pairRank[j] = NO_PAIR;
    alive--;
    look(i);
    if (prev[i] >= 0) look(prev[i]);
  }
  const out = new Array<number>(alive);
  for (let i = 0, k = 0; i >= 0; i = next[i]) out[k++] = sym[i];
  return out;
}

/** Min-heap of (rank, position), ordered by rank then position, as Hugging Face's merge queue; grows as needed. */
class PairHeap {
  private keys: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
  }
  push(rank: number, pos: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
    }
    this.size = heapPush(this.keys, this.size, rank * 4294967296 + pos);
  }
  pop(): [number, number] {
    const top = this.keys[0];
    this.size = heapPop(this.keys, this.size);
    const pos = top % 4294967296;
    return [(top - pos) / 4294967296, pos];
  }
}

/** Lone surrogates (possible in an editor buffer, impossible in Rust strings) become U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function utf8Bytes(ch: string): number[] {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 0x3f)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
}

function byteChars(piece: string): string {
  let out = '';
  for (const ch of piece) for (const b of utf8Bytes(ch)) out += BYTE_CHARS[b];
  return out;
}
