// Messages between the extension host and the counting worker. Counting runs in the worker so that a 10 MB
// document never blocks typing or other extensions; the worker keeps its own copy of each counted document and is
// sent the edits, so after the first count only the changed region is re-tokenized.
import type { TextChange } from '../core/incremental/chunkedText';
import type { TokenizerId } from '../core/prices/types';
import type { ChatKind } from '../core/chat/chatParse';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { UserTokenizerSource, UserTokenizerStatus } from '../core/tokenizers/userTokenizers';

export type ToWorker =
  | { type: 'open'; doc: string; version: number; text: string }
  | { type: 'change'; doc: string; version: number; changes: TextChange[] }
  | { type: 'close'; doc: string }
  /** Counts a whole document (at `version`) or, with `texts`, the sum over those texts (selections, hover blocks). */
  | { type: 'count'; id: number; tokenizers: TokenizerId[]; doc?: string; version?: number; texts?: string[]; /** Count the document (or a single text) as chat messages when it parses as such. */ chat?: ChatKind }
  /** Drops tokenizer tables and caches; they load again on next use. */
  | { type: 'release' }
  /**
   * Replaces the user's own tokenizers. The host reads the files and sends their bytes: the worker needs no file
   * system (remote and virtual workspaces work through vscode.workspace.fs) and the size cap is checked before
   * anything is read. `id` 0 (resent to a restarted worker) wants no reply.
   */
  | { type: 'tokenizers'; id: number; sources: UserTokenizerSource[] };

export type FromWorker =
  | { type: 'counted'; id: number; counts: TokenCount[]; characters: number; ms: number }
  | { type: 'failed'; id: number; message: string; /** The worker lacks the document or that version: resend it. */ resync?: boolean }
  | { type: 'tokenizers'; id: number; statuses: UserTokenizerStatus[] };
