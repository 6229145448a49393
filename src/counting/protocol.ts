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
  | {
      type: 'count';
      id: number;
      tokenizers: TokenizerId[];
      /** Lower runs first (see Priority); among equals the newest request. */
      priority: number;
      doc?: string;
      version?: number;
      texts?: string[];
      /** Count the document (or a single text) as chat messages when it parses as such. */
      chat?: ChatKind;
    }
  /** A rank table's bytes, for counters that cannot read the extension's files themselves (a Web Worker). */
  | { type: 'table'; file: string; bytes: Uint8Array }
  /** Drops tokenizer tables and caches; they load again on next use. */
  | { type: 'release' }
  /**
   * Replaces the user's own tokenizers. The host reads the files and sends their bytes: the worker needs no file
   * system (remote and virtual workspaces work through vscode.workspace.fs) and the size cap is checked before
   * anything is read. `id` 0 (resent to a restarted worker) wants no reply.
   */
  | { type: 'tokenizers'; id: number; sources: UserTokenizerSource[] };

export type FromWorker =
  /**
   * `ms`: from the request's arrival to this reply; `busyMs`: the part spent counting it (the rest waited), of which
   * `loadMs` loading rank tables; `openMs`: cutting the document into chunks when its text arrived (first count only); `memoryMb`: the counter's memory
   * in use, where it can tell (the trace log's memory breakdown).
   */
  | { type: 'counted'; id: number; counts: TokenCount[]; characters: number; ms: number; busyMs: number; loadMs: number; openMs?: number; memoryMb?: { heap: number; total: number } }
  | {
      type: 'failed';
      id: number;
      message: string;
      /** The worker lacks the document or that version: resend it. */
      resync?: boolean;
      /** The document changed since the request (or a newer request replaced it): a newer count follows. */
      stale?: boolean;
    }
  | { type: 'tokenizers'; id: number; statuses: UserTokenizerStatus[] };

/**
 * Who is waiting for a count, most urgent first: the status bar's number for the default model, then its followed
 * models, the comparison panel, a hover, budget checks, the Prompt Costs view.
 */
export const Priority = { status: 0, followed: 1, panel: 2, hover: 3, budgets: 4, promptCosts: 5 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];
