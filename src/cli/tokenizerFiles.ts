// --tokenizer-file ID=PATH (with --tokenizer-pattern ID=NAME|REGEX and --tokenizer-normalize ID=NFC|none): the
// user's own tokenizers on the command line, as tokenCost.tokenizers declares them in the extension.
import type { CliIo } from './io';
import type { UserTokenizerEntry } from '../core/tokenizers/userTokenizer';
import { parseUserTokenizerEntry } from '../core/tokenizers/userTokenizer';
import type { UserTokenizerSource } from '../core/tokenizers/userTokenizers';

export interface TokenizerFileArgs {
  files: readonly string[];
  patterns: readonly string[];
  normalize: readonly string[];
}

/** Splits "ID=VALUE" at the first "=" (a regular expression may contain more). */
function pairs(option: string, values: readonly string[]): { map: Map<string, string> } | { error: string } {
  const map = new Map<string, string>();
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1) return { error: `${option} takes ID=VALUE, got "${v}"` };
    const id = v.slice(0, i);
    if (map.has(id)) return { error: `${option} is given twice for "${id}"` };
    map.set(id, v.slice(i + 1));
  }
  return { map };
}

/**
 * Validated entries. The format follows the file name as in the extension's settings: `.json` is a Hugging Face
 * tokenizer.json, anything else a tiktoken rank file, which needs --tokenizer-pattern: there is no default, since a
 * wrong pre-tokenizer silently gives wrong counts.
 */
export function parseTokenizerFileArgs(a: TokenizerFileArgs): { entries: UserTokenizerEntry[] } | { error: string } {
  const files = pairs('--tokenizer-file', a.files);
  const patterns = pairs('--tokenizer-pattern', a.patterns);
  const normalize = pairs('--tokenizer-normalize', a.normalize);
  for (const p of [files, patterns, normalize]) if ('error' in p) return p;
  const f = (files as { map: Map<string, string> }).map;
  for (const [opt, p] of [['--tokenizer-pattern', patterns], ['--tokenizer-normalize', normalize]] as const) {
    for (const id of (p as { map: Map<string, string> }).map.keys()) if (!f.has(id)) return { error: `${opt} names "${id}", which no --tokenizer-file declares` };
  }
  const entries: UserTokenizerEntry[] = [];
  for (const [id, file] of f) {
    const huggingface = file.toLowerCase().endsWith('.json');
    const pattern = (patterns as { map: Map<string, string> }).map.get(id);
    const norm = (normalize as { map: Map<string, string> }).map.get(id);
    if (!huggingface && pattern === undefined) {
      return { error: `--tokenizer-file ${id}=${file} is a tiktoken rank file: give its pre-tokenizer with --tokenizer-pattern ${id}=NAME|REGEX (e.g. ${id}=qwen)` };
    }
    const raw: Record<string, unknown> = { id, file, format: huggingface ? 'huggingface' : 'tiktoken' };
    if (pattern !== undefined) raw.pattern = pattern;
    if (norm !== undefined) raw.normalize = norm;
    const r = parseUserTokenizerEntry(raw);
    if (!r.ok) return { error: r.error };
    entries.push(r.value);
  }
  return { entries };
}

/** Reads each file; a read failure becomes the entry's error (the caller decides what a bad file means). */
export function readTokenizerSources(entries: readonly UserTokenizerEntry[], io: Pick<CliIo, 'readFile'>): UserTokenizerSource[] {
  return entries.map((entry) => {
    try {
      return { entry, bytes: io.readFile(entry.file) };
    } catch (e) {
      return { entry, error: `tokenizer "${entry.id}" (${entry.file}): cannot read the file: ${(e as Error).message}` };
    }
  });
}
