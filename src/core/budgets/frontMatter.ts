// A prompt file's budget in its front matter: the block between a `---` first line and the next `---` or `...` line.
// Only three flat keys matter (token-budget, cost-budget, budget-model), so this reads `key: value` lines itself
// rather than pulling in a YAML library: quoted values ("…" with backslash escapes, '…' with '' for a quote) and
// trailing `# comments` are handled; indented lines (nested under another key) and every other key are ignored.
// Each value keeps its place so the extension can put a diagnostic exactly on it.
import type { Money, ParseResult } from './budgetValues';
import { parseCostBudget, parseTokenBudget } from './budgetValues';

/** A range on one line: zero-based line, UTF-16 columns (as VS Code positions count), end exclusive. */
export interface TextSpan {
  line: number;
  start: number;
  end: number;
}

export type FrontMatterKey = 'token-budget' | 'cost-budget' | 'budget-model';

export interface FrontMatterValue<T> {
  value: T;
  /** The value as written, quotes included. */
  span: TextSpan;
  keySpan: TextSpan;
}

export interface FrontMatterProblem {
  /** Undefined for a problem with the block itself (not closed). */
  key?: FrontMatterKey;
  /** English, starting with the key: `token-budget: must be greater than 0, got "0"`. */
  message: string;
  span: TextSpan;
}

export interface FrontMatter {
  /** Zero-based line of the closing fence; undefined when the text has no closed front matter block. */
  endLine?: number;
  tokenBudget?: FrontMatterValue<number>;
  costBudget?: FrontMatterValue<Money>;
  budgetModel?: FrontMatterValue<string>;
  problems: FrontMatterProblem[];
}

const KEYS: readonly FrontMatterKey[] = ['token-budget', 'cost-budget', 'budget-model'];
const OPEN = /^\uFEFF?---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
// A top-level key: double- or single-quoted, or plain (starting with a letter), then a colon.
const KEY_LINE = /^(?:"([^"\\]*)"|'([^']*)'|([A-Za-z_][\w.-]*))[ \t]*:/;

interface Occurrence {
  key: FrontMatterKey;
  keySpan: TextSpan;
  value: RawValue;
}

type RawValue = { ok: true; text: string; span: TextSpan } | { ok: false; message: string; span: TextSpan };

/** Never throws; a text without a leading `---` line has no front matter and no problems. */
export function parseFrontMatter(text: string): FrontMatter {
  const result: FrontMatter = { problems: [] };
  const lines = lineReader(text);
  const first = lines();
  if (first === undefined || !OPEN.test(first)) return result;
  const found: Occurrence[] = [];
  let line = 0;
  for (let l = lines(); l !== undefined; l = lines()) {
    line++;
    if (CLOSE.test(l)) {
      result.endLine = line;
      break;
    }
    const m = KEY_LINE.exec(l);
    const key = m && (m[1] ?? m[2] ?? m[3]);
    if (!m || !(KEYS as readonly string[]).includes(key as string)) continue;
    found.push({ key: key as FrontMatterKey, keySpan: { line, start: 0, end: m[0].replace(/[ \t]*:$/, '').length }, value: readValue(l, m[0].length, line) });
  }
  const fence = { line: 0, start: first.startsWith('\uFEFF') ? 1 : 0, end: first.trimEnd().length };
  if (result.endLine === undefined) {
    if (found.length) result.problems.push({ message: `front matter is not closed: add a line "---" after ${found[found.length - 1].key}; its budget is ignored until then`, span: fence });
    return result;
  }
  for (const key of KEYS) {
    const all = found.filter((o) => o.key === key);
    if (all.length === 0) continue;
    const last = all[all.length - 1];
    // As most YAML readers do with a repeated key, the last one applies; the earlier ones are flagged.
    for (const o of all.slice(0, -1)) result.problems.push({ key, message: `${key}: set again on line ${last.keySpan.line + 1}, which applies instead`, span: o.keySpan });
    apply(result, last);
  }
  result.problems.sort((a, b) => a.span.line - b.span.line || a.span.start - b.span.start);
  return result;
}

function apply(result: FrontMatter, o: Occurrence): void {
  const { key, keySpan, value } = o;
  if (!value.ok) {
    result.problems.push({ key, message: `${key}: ${value.message}`, span: value.span });
    return;
  }
  if (value.text.trim() === '') {
    const example = key === 'token-budget' ? '4000' : key === 'cost-budget' ? '0.01 CNY' : 'qwen-plus';
    result.problems.push({ key, message: `${key}: needs a value, e.g. "${key}: ${example}"`, span: value.span.start === value.span.end ? keySpan : value.span });
    return;
  }
  const parsed: ParseResult<unknown> = key === 'token-budget' ? parseTokenBudget(value.text) : key === 'cost-budget' ? parseCostBudget(value.text) : { ok: true, value: value.text.trim() };
  if (!parsed.ok) {
    result.problems.push({ key, message: `${key}: ${parsed.message}`, span: value.span });
    return;
  }
  const entry = { value: parsed.value, span: value.span, keySpan };
  if (key === 'token-budget') result.tokenBudget = entry as FrontMatterValue<number>;
  else if (key === 'cost-budget') result.costBudget = entry as FrontMatterValue<Money>;
  else result.budgetModel = entry as FrontMatterValue<string>;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ' };

/** The value after the colon at `from`: quoted or plain, without a trailing comment. */
function readValue(l: string, from: number, line: number): RawValue {
  let i = from;
  while (l[i] === ' ' || l[i] === '\t') i++;
  if (i >= l.length || l[i] === '#') return { ok: true, text: '', span: { line, start: i, end: i } };
  const q = l[i];
  if (q === '"' || q === "'") {
    let out = '';
    let j = i + 1;
    for (; j < l.length; j++) {
      const c = l[j];
      if (q === '"' && c === '\\' && j + 1 < l.length) {
        out += ESCAPES[l[j + 1]] ?? l[j + 1];
        j++;
      } else if (c === q) {
        if (q === "'" && l[j + 1] === "'") {
          out += "'";
          j++;
        } else break;
      } else out += c;
    }
    if (j >= l.length) return { ok: false, message: `the quoted value is not closed with ${q}`, span: { line, start: i, end: l.trimEnd().length } };
    const span = { line, start: i, end: j + 1 };
    const after = l.slice(j + 1);
    if (!/^[ \t]*(?:#.*)?$/.test(after)) return { ok: false, message: 'unexpected text after the quoted value', span: { line, start: j + 1, end: l.trimEnd().length } };
    return { ok: true, text: out, span };
  }
  // A plain value ends at a comment: a # after white space (a # inside a word, as in "C#", is text).
  const comment = /[ \t]#/.exec(l.slice(i));
  const end = i + (comment ? comment.index : l.length - i);
  const raw = l.slice(i, end).replace(/[ \t]+$/, '');
  return { ok: true, text: raw, span: { line, start: i, end: i + raw.length } };
}

/** Returns the text's lines one by one (without their \n, \r\n or \r, as VS Code splits them), then undefined. */
function lineReader(text: string): () => string | undefined {
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  let done = false;
  return () => {
    if (done) return undefined;
    const m = breaks.exec(text);
    if (!m) {
      done = true;
      return text.slice(start);
    }
    const line = text.slice(start, m.index);
    start = m.index + m[0].length;
    return line;
  };
}
