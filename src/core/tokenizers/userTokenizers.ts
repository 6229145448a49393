// The user's own tokenizers as the counters see them: each declared id is either a loaded counter or the reason it
// could not load (then it counts with the rough estimate, marked, and says why). Pure: the caller reads the files
// (the extension through vscode.workspace.fs, the CLI from disk) and hands over the bytes.
import type { TokenizerId, UserTokenizerId } from '../prices/types';
import { isExactTokenizer } from './tokenizerIds';
import type { TextTokenCounter, UserTokenizerEntry } from './userTokenizer';
import { loadUserTokenizer, USER_TOKENIZER_MAX_BYTES } from './userTokenizer';

/** One declared tokenizer: its entry and the file's bytes, or why the file could not be read. */
export interface UserTokenizerSource {
  entry: UserTokenizerEntry;
  bytes?: Uint8Array;
  /** Set when reading failed (missing, too large, unreadable): the tokenizer then counts as a rough estimate. */
  error?: string;
}

/** What became of one declared tokenizer: the summary of what loaded, or the error. */
export interface UserTokenizerStatus {
  id: string;
  ok: boolean;
  message: string;
}

export type UserTokenizerState =
  /** `chunked`: the pre-tokenizer is a bundled one whose pieces never cross a chunk cut (cuts.ts), so counts add up. */
  | { counter: TextTokenCounter; chunked: boolean }
  | { error: string };

export class UserTokenizers {
  private readonly states = new Map<string, UserTokenizerState>();

  /** Replaces the whole set; returns each tokenizer's status, in order. */
  set(sources: readonly UserTokenizerSource[]): UserTokenizerStatus[] {
    this.states.clear();
    const out: UserTokenizerStatus[] = [];
    for (const s of sources) {
      const id = s.entry.id;
      if (s.error !== undefined || !s.bytes) {
        const error = s.error ?? `tokenizer "${id}" (${s.entry.file}): the file was not read`;
        this.states.set(id, { error });
        out.push({ id, ok: false, message: error });
        continue;
      }
      const r = loadUserTokenizer(s.entry, s.bytes, USER_TOKENIZER_MAX_BYTES);
      if (!r.ok) {
        this.states.set(id, { error: r.error });
        out.push({ id, ok: false, message: r.error });
        continue;
      }
      // Only a named bundled pre-tokenizer is proven safe to cut at chunk boundaries (NFC included: cuts.ts). A
      // custom pattern, or a tokenizer.json (its own pre-tokenizer, or none as in Gemma, where a piece spans the
      // whole text), could join text across a cut, so it counts the whole text: correctness before speed.
      const chunked = s.entry.format === 'tiktoken' && s.entry.pattern !== undefined && isExactTokenizer(s.entry.pattern);
      this.states.set(id, { counter: r.value.counter, chunked });
      out.push({ id, ok: true, message: `tokenizer "${id}" (${s.entry.file}): ${r.value.summary}` });
    }
    return out;
  }

  has(id: string): id is UserTokenizerId {
    return this.states.has(id);
  }

  get(id: TokenizerId): UserTokenizerState | undefined {
    return this.states.get(id);
  }

  get size(): number {
    return this.states.size;
  }

  /** Drops the counters' caches; the parsed vocabularies stay (re-parsing would need the files again). */
  clearCaches(): void {
    for (const s of this.states.values()) if ('counter' in s) s.counter.clearCache();
  }
}
