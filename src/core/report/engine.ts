// The workspace report's bookkeeping, without VS Code: which prompt files need counting, one at a time, and which only
// need pricing again. A file is read again only when its size or modification time changed, and counted again only
// when its text changed (a content hash) or the tokenizer did. Counts are kept per tokenizer, so switching the default
// model back and forth never recounts. reportView.ts supplies the file system, the editors and the worker.
import { contentHash } from '../contentHash';
import type { Currency, TokenizerId } from '../prices/types';
import { WorkspaceReport } from './report';
import { decodeText, oversizeBytes } from '../textInput';

export interface Count {
  tokens: number;
  exact: boolean;
}

/** A prompt file: its folder's key (a workspace folder's URI), its '/'-separated path there, and its own key (URI). */
export interface FileRef {
  root: string;
  path: string;
  key: string;
}

/** How the report prices: the default model, and the size limit files are counted under. */
export interface ReportPricing {
  model: string;
  tokenizer: TokenizerId;
  currency: Currency;
  /** Total cost of a text of `tokens` tokens in `currency`; undefined when the model has no price. */
  price(tokens: number): number | undefined;
  maxBytes: number;
}

/** An open editor's text with unsaved changes: it is what the user sees, so it is what the row shows. */
export interface UnsavedText {
  /**
   * Changes whenever the text does (an id of the open document and its version): a 4 MB editor is then neither
   * read nor hashed on each look, only counted, and that incrementally.
   */
  version: string;
  /** The text's length in UTF-16 code units. */
  length: number;
  /** Reads the text; only when its length cannot tell whether it is over the size limit. */
  text(): string;
  /** Whether it holds NUL characters (a binary file opened as text), decided as the status bar decides it. */
  binary(): boolean;
  /** Counts this same text (the worker keeps the editor's document in step incrementally). */
  count(tokenizer: TokenizerId): Promise<Count>;
}

export interface ReportSource {
  /** Size and modification time; undefined when the file is gone. */
  stat(key: string): Promise<{ size: number; mtime: number } | undefined>;
  read(key: string): Promise<Uint8Array>;
  unsaved(key: string): UnsavedText | undefined;
  /** Counts a file's text; `key` lets a chat file (by its name) be counted as messages, as the status bar does. */
  count(text: string, tokenizer: TokenizerId, key: string): Promise<Count>;
}

/** Why a file is listed but not counted, in the user's language. */
export interface SkipReasons {
  binary: string;
  tooLarge(bytes: number, limit: number): string;
  unreadable(message: string): string;
  noPrice(model: string): string;
  countFailed(message: string): string;
}

interface FileState {
  ref: FileRef;
  /** What the last look saw: the file's size and time, or 'unsaved' when an editor's text was used. */
  seen?: { size: number; mtime: number } | 'unsaved';
  /** The size limit in force at that look. */
  limit?: number;
  hash?: string;
  counts: Map<TokenizerId, Count>;
  skip?: string;
}

export class ReportEngine {
  private readonly files = new Map<string, FileState>();
  private readonly reports = new Map<string, WorkspaceReport>();
  /** Files waiting to be looked at, oldest first; a file is in it at most once. */
  private readonly queue = new Map<string, FileRef>();
  private running?: Promise<void>;
  private go: () => boolean = () => false;
  private pricing: ReportPricing;

  constructor(
    private readonly source: ReportSource,
    pricing: ReportPricing,
    private readonly reasons: SkipReasons,
    private readonly onChange: () => void,
  ) {
    this.pricing = pricing;
  }

  get model(): string {
    return this.pricing.model;
  }

  /** Files waiting to be counted. */
  get pending(): number {
    return this.queue.size;
  }

  report(root: string): WorkspaceReport | undefined {
    return this.reports.get(root);
  }

  has(key: string): boolean {
    return this.files.has(key);
  }

  ref(key: string): FileRef | undefined {
    return this.files.get(key)?.ref;
  }

  /**
   * The files a search found under `root`: new ones are queued, ones no longer found are dropped, and with `recheck`
   * the others are queued too (they are only read again if their size or time changed).
   */
  setFiles(root: string, refs: readonly FileRef[], recheck: boolean): void {
    this.ensureReport(root);
    const found = new Set(refs.map((r) => r.key));
    for (const [key, st] of this.files) if (st.ref.root === root && !found.has(key)) this.drop(key);
    for (const ref of refs) if (recheck || !this.files.has(ref.key)) this.touch(ref);
    this.onChange();
  }

  /** Forgets every file of the folders not listed (a workspace folder was removed). */
  keepRoots(roots: readonly string[]): void {
    const keep = new Set(roots);
    for (const [key, st] of this.files) if (!keep.has(st.ref.root)) this.drop(key);
    for (const root of [...this.reports.keys()]) if (!keep.has(root)) this.reports.delete(root);
    this.onChange();
  }

  /** A file was created, changed, saved or edited: look at it again (in turn). */
  touch(ref: FileRef): void {
    if (!this.files.has(ref.key)) this.files.set(ref.key, { ref, counts: new Map() });
    this.queue.set(ref.key, ref);
  }

  /** A file or folder was deleted: drops the file, or every file under the folder. */
  remove(root: string, path: string): void {
    const prefix = path + '/';
    let changed = false;
    for (const [key, st] of this.files) {
      if (st.ref.root === root && (st.ref.path === path || st.ref.path.startsWith(prefix))) {
        this.drop(key);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }

  /**
   * New prices, model, currency or size limit: the rows are priced again from the counts kept; only files without a
   * count for the new tokenizer, or that the new limit concerns, are queued.
   */
  reprice(pricing: ReportPricing): void {
    this.pricing = pricing;
    for (const root of [...this.reports.keys()]) this.reports.set(root, new WorkspaceReport({ currency: pricing.currency, model: pricing.model }));
    for (const st of this.files.values()) {
      if (st.limit !== pricing.maxBytes || (!st.skip && !st.counts.has(pricing.tokenizer))) this.queue.set(st.ref.key, st.ref);
      else this.place(st);
    }
    this.onChange();
  }

  /**
   * Looks at queued files one at a time while `go()` holds (the view is visible, or an export waits). One loop runs
   * at a time; calling again while it runs only updates `go`. Resolves when the queue is empty or `go()` fails.
   */
  drain(go: () => boolean): Promise<void> {
    this.go = go;
    this.running ??= this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  private async loop(): Promise<void> {
    while (this.queue.size && this.go()) {
      const key = this.queue.keys().next().value as string;
      this.queue.delete(key);
      const st = this.files.get(key);
      if (!st) continue;
      const before = this.shown(st);
      try {
        await this.look(st);
      } catch (e) {
        // Never let one file stop the report: it is listed with the reason.
        st.skip = this.reasons.countFailed((e as Error).message);
        st.seen = undefined;
      }
      if (this.files.get(key) === st) this.place(st);
      // A save that changed nothing (or an unchanged file looked at again) does not redraw the view.
      if (this.shown(st) !== before || this.files.get(key) !== st) this.onChange();
    }
  }

  /** What the report shows for a file, to tell whether looking at it changed anything. */
  private shown(st: FileState): string {
    const row = this.reports.get(st.ref.root)?.get(st.ref.path);
    return row ? `${row.tokens}|${row.exact}|${row.cost}` : `skip|${st.skip ?? ''}`;
  }

  private async look(st: FileState): Promise<void> {
    const p = this.pricing;
    const key = st.ref.key;
    const unsaved = this.source.unsaved(key);
    let text = '';
    let hash: string;
    if (unsaved) {
      st.seen = 'unsaved';
      st.limit = p.maxBytes;
      const bytes = oversizeBytes(unsaved.length, unsaved.text, p.maxBytes);
      if (bytes !== undefined) return this.skipAs(st, this.reasons.tooLarge(bytes, p.maxBytes));
      if (unsaved.binary()) return this.skipAs(st, this.reasons.binary);
      hash = `unsaved ${unsaved.version}`;
    } else {
      let stat: { size: number; mtime: number } | undefined;
      try {
        stat = await this.source.stat(key);
      } catch (e) {
        return this.skipAs(st, this.reasons.unreadable((e as Error).message), undefined);
      }
      if (!stat) {
        this.drop(key);
        return;
      }
      const old = st.seen;
      if (old !== undefined && old !== 'unsaved' && old.size === stat.size && old.mtime === stat.mtime && st.limit === p.maxBytes && (st.skip || st.counts.has(p.tokenizer))) return;
      st.seen = stat;
      st.limit = p.maxBytes;
      if (stat.size > p.maxBytes) return this.skipAs(st, this.reasons.tooLarge(stat.size, p.maxBytes), stat);
      let bytes: Uint8Array;
      try {
        bytes = await this.source.read(key);
      } catch (e) {
        return this.skipAs(st, this.reasons.unreadable((e as Error).message), undefined);
      }
      const decoded = decodeText(bytes, p.maxBytes);
      if (!decoded.ok) return this.skipAs(st, decoded.reason === 'binary' ? this.reasons.binary : this.reasons.tooLarge(bytes.length, p.maxBytes), stat);
      text = decoded.text;
      hash = contentHash(text);
    }
    if (hash !== st.hash) {
      st.counts.clear();
      st.hash = hash;
    }
    st.skip = undefined;
    if (st.counts.has(p.tokenizer)) return;
    // Counted in the same turn as the text was taken, so the count is of that text.
    const count = await (unsaved ? unsaved.count(p.tokenizer) : this.source.count(text, p.tokenizer, key));
    if (st.hash === hash) st.counts.set(p.tokenizer, { tokens: count.tokens, exact: count.exact });
  }

  /** `seen`: what the skip was decided on (undefined: look again next time, as for a read error). */
  private skipAs(st: FileState, reason: string, seen: FileState['seen'] = st.seen): void {
    st.skip = reason;
    st.seen = seen;
    st.hash = undefined;
    st.counts.clear();
  }

  private place(st: FileState): void {
    const report = this.ensureReport(st.ref.root);
    const { path } = st.ref;
    if (st.skip) return report.skip(path, st.skip);
    const c = st.counts.get(this.pricing.tokenizer);
    if (!c) {
      report.delete(path); // waiting to be counted with the new tokenizer
      return;
    }
    const cost = this.pricing.price(c.tokens);
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) return report.skip(path, this.reasons.noPrice(this.pricing.model));
    report.set({ path, tokens: c.tokens, exact: c.exact, cost, currency: this.pricing.currency });
  }

  private drop(key: string): void {
    const st = this.files.get(key);
    if (!st) return;
    this.files.delete(key);
    this.queue.delete(key);
    this.reports.get(st.ref.root)?.delete(st.ref.path);
  }

  private ensureReport(root: string): WorkspaceReport {
    let r = this.reports.get(root);
    if (!r) this.reports.set(root, (r = new WorkspaceReport({ currency: this.pricing.currency, model: this.pricing.model })));
    return r;
  }
}
