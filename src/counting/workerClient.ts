// The host's handle on the counting worker, without VS Code: starts it on first use, keeps its copies of documents
// in step, restarts it when it dies, and never lets one bad text take counting down. Kept free of `vscode` so the
// crash and restart paths are tested in plain Node against the real worker bundle.
import type { TextChange } from '../core/incremental/chunkedText';
import type { TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import { countByTokenizer } from '../core/compare';
import type { ChatKind } from '../core/chat/chatParse';
import { countHan, tableFor } from '../core/tokenizers/estimates';
import { tableOf } from '../core/tokenizers/rankTable';
import { roughTokens } from '../core/tokenizers/tokenCounter';
import { countCharacters } from '../core/textInput';
import { Priority } from './protocol';
import type { FromWorker, ToWorker } from './protocol';
import type { UserTokenizerSource, UserTokenizerStatus } from '../core/tokenizers/userTokenizers';

export interface CountResult {
  counts: Map<TokenizerId, TokenCount>;
  characters: number;
  /** From the request reaching the counter to its reply (waiting behind more urgent work included). */
  ms: number;
  /** Where the time went, for the trace log and the extension-host bench (absent where nothing was counted). */
  stages?: CountStages;
}

/** One count's time by stage, in ms. */
export interface CountStages {
  /** Reading the document's text and posting it to the counter (its first count, or after a resync). */
  sendMs: number;
  /** From posting the request to its reply arriving: the counter's `ms` plus messaging both ways. */
  roundTripMs: number;
  /** Counting this request in the counter (the rest of `ms` it waited behind more urgent work). */
  busyMs: number;
  /** Of busyMs, loading rank tables. */
  loadMs: number;
  /** Cutting the document into chunks when its text arrived. */
  openMs: number;
  /** The counter's memory after this count, in MB, where it can tell: heap in use, and committed heap plus buffers. */
  memoryMb?: { heap: number; total: number };
}

type Counted = Extract<FromWorker, { type: 'counted' }> & { sendMs: number; roundTripMs: number };

export interface WorkerDocument {
  key: string;
  /** Read when the count starts and again before the text is (re)sent: a document that moved on is not resent. */
  readonly version: number;
  getText(): string;
  /** The document is a chat file of this kind (counted as messages when it parses as such). */
  chat?: ChatKind;
}

/** A running counter the client talks to: a worker thread, a Web Worker, or the in-host fallback. */
export interface CountingPort {
  post(m: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Keeps the process alive while a count is pending (Node); absent where that means nothing. */
  ref?(): void;
  unref?(): void;
  terminate(): void;
}

export interface PortEvents {
  message(m: FromWorker): void;
  /** The counter stopped (crashed, ran out of memory); pending requests fail and the next count starts a new one. */
  died(e: Error): void;
}

export type StartPort = (events: PortEvents) => CountingPort;

export interface WorkerClientOptions {
  /** Starts the counter (on first use, and again after it died). */
  start: StartPort;
  /** Counting in the extension host itself, time-sliced: used for good after `maxRestarts` deaths. */
  fallback: StartPort;
  /**
   * Reads a rank table's bytes (vscode.workspace.fs in a browser). When set, the client sends each table a count
   * needs before that count, so the counter needs no file system of its own.
   */
  tableBytes?(file: string): Promise<Uint8Array>;
  /** Deaths after which counting moves into the host for good. */
  maxRestarts?: number;
  /** Idle time after which the worker drops its tables. */
  idleReleaseMs?: number;
  /** A line for the output channel. */
  log(line: string): void;
  /** A line for the output channel at Trace level (why a document's text is sent again). */
  trace?(line: string): void;
  /** Counting moved into the host after repeated deaths (shown to the user once). */
  onInProcess?(): void;
}

class WorkerDied extends Error {}

/** The document kept changing under a count; the change that caused it schedules a newer count. */
export class DocumentChangedError extends Error {
  constructor() {
    super('document changed while counting');
    this.name = 'DocumentChangedError';
  }
}

export class WorkerClient {
  private port?: CountingPort;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: FromWorker) => void; reject: (e: Error) => void }>();
  /** Document key → version the counter holds, after the edits sent. */
  private readonly synced = new Map<string, number>();
  /** Tables sent to the current counter (WorkerClientOptions.tableBytes), by file; a new counter starts empty. */
  private sentTables = new Map<string, Promise<void>>();
  private idleTimer?: ReturnType<typeof setTimeout>;
  private deaths = 0;
  private inProcess = false;
  private disposed = false;
  /** The user's tokenizers as last set: kept (bytes included) to load them into a restarted worker. */
  private userSources: UserTokenizerSource[] = [];

  constructor(private readonly o: WorkerClientOptions) {}

  /** How often the worker died, and whether counting has moved into the host. */
  get health(): { deaths: number; inProcess: boolean } {
    return { deaths: this.deaths, inProcess: this.inProcess };
  }

  /**
   * Counts a whole document with each tokenizer. Rejects with DocumentChangedError when the document moved on
   * under the count (the edit that did it schedules a newer one).
   */
  async countDocument(doc: WorkerDocument, tokenizers: readonly TokenizerId[], priority: Priority = Priority.promptCosts): Promise<CountResult> {
    const version = doc.version;
    return this.run(
      () => [doc.getText()],
      async () => {
        let sendMs = 0;
        for (let attempt = 0; attempt < 2; attempt++) {
          if (this.synced.get(doc.key) !== version) {
            if (doc.version !== version) throw new DocumentChangedError();
            const t0 = performance.now();
            this.open(doc);
            sendMs += performance.now() - t0;
          }
          const t1 = performance.now();
          const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], priority, doc: doc.key, version, chat: doc.chat });
          if (r.type === 'counted') return { ...r, sendMs, roundTripMs: performance.now() - t1 };
          if (r.type === 'failed' && r.stale) throw new DocumentChangedError();
          if (r.type !== 'failed' || !r.resync) throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
          this.synced.delete(doc.key);
        }
        throw new DocumentChangedError();
      },
      tokenizers,
    );
  }

  /** Counts texts (selections, a hover's block), summed, with each tokenizer; one text of a chat file, as chat. */
  countTexts(texts: readonly string[], tokenizers: readonly TokenizerId[], chat?: ChatKind, priority: Priority = Priority.promptCosts): Promise<CountResult> {
    return this.run(
      () => texts,
      async () => {
        const t0 = performance.now();
        const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], priority, texts: [...texts], chat });
        if (r.type === 'counted') return { ...r, sendMs: 0, roundTripMs: performance.now() - t0 };
        throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
      },
      tokenizers,
    );
  }

  /**
   * Replaces the user's own tokenizers; resolves with what loaded (parsed in the worker, off the host's thread).
   * Counts requested afterwards use them: the worker handles messages in order.
   */
  async setUserTokenizers(sources: readonly UserTokenizerSource[]): Promise<UserTokenizerStatus[]> {
    this.ensurePort(); // before recording them, so a fresh worker is not sent the same files twice
    this.userSources = [...sources];
    try {
      const r = await this.request({ type: 'tokenizers', id: 0, sources: this.userSources });
      if (r.type === 'tokenizers') return r.statuses;
      throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
    } catch (e) {
      // The worker died while parsing (a file too big for its heap?): a restarted one gets them again; say so here.
      return this.userSources.map((s) => ({ id: s.entry.id, ok: false, message: `tokenizer "${s.entry.id}" (${s.entry.file}): ${(e as Error).message}` }));
    }
  }

  /** An edit to a document; a version gap (an edit the worker never saw) makes the next count resend the text. */
  change(key: string, version: number, changes: readonly TextChange[]): void {
    const v = this.synced.get(key);
    // No changes: VS Code's event for the dirty state flipping (same version). Resending 4 MB for it would be waste.
    if (v === undefined || !this.port || changes.length === 0) return;
    if (version !== v + 1) {
      this.o.trace?.(`${key}: edit to version ${version} after ${v}; its text is sent again with the next count`);
      this.close(key);
      return;
    }
    this.port.post({ type: 'change', doc: key, version, changes: [...changes] });
    this.synced.set(key, version);
  }

  close(key: string): void {
    if (this.synced.delete(key)) this.port?.post({ type: 'close', doc: key });
  }

  /**
   * One count: retried once on a fresh worker if it died meanwhile; a text that kills the worker twice gets a rough
   * estimate flagged as such rather than a third try (and never runs in the host, where it could take the editor
   * down with it).
   */
  private async run(texts: () => readonly string[], count: () => Promise<Counted>, tokenizers: readonly TokenizerId[]): Promise<CountResult> {
    let died: Error | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.inProcess && died) return this.rough(texts(), tokenizers, died);
      try {
        const r = await count();
        const stages = { sendMs: r.sendMs, roundTripMs: r.roundTripMs, busyMs: r.busyMs, loadMs: r.loadMs, openMs: r.openMs ?? 0, memoryMb: r.memoryMb };
        return { counts: new Map(r.counts.map((c) => [c.tokenizer, c])), characters: r.characters, ms: r.ms, stages };
      } catch (e) {
        if (!(e instanceof WorkerDied) || this.disposed) throw e;
        died = e;
      }
    }
    return this.rough(texts(), tokenizers, died!);
  }

  private rough(texts: readonly string[], tokenizers: readonly TokenizerId[], cause: Error): CountResult {
    const fallback = `the counting worker stopped while counting this text (${cause.message})`;
    const counts = countByTokenizer(texts, tokenizers, (tokenizer, t) => {
      const han = countHan(t);
      return { tokenizer, tokens: roughTokens(han, countCharacters(t) - han), exact: false, fallback };
    });
    return { counts, characters: texts.reduce((n, t) => n + countCharacters(t), 0), ms: 0 };
  }

  private open(doc: WorkerDocument): void {
    const port = this.ensurePort();
    port.post({ type: 'open', doc: doc.key, version: doc.version, text: doc.getText() });
    this.synced.set(doc.key, doc.version);
  }

  private async request(m: Extract<ToWorker, { type: 'count' | 'tokenizers' }>): Promise<FromWorker> {
    const port = this.ensurePort();
    if (m.type === 'count' && this.o.tableBytes) await this.sendTables(port, m.tokenizers);
    if (port !== this.port) throw new WorkerDied('the counter restarted while its tables were sent');
    const id = this.nextId++;
    this.touch();
    port.ref?.();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      port.post({ ...m, id });
    });
  }

  /** Sends the tables these tokenizers need that this counter has not been sent; a table that cannot be read is logged. */
  private async sendTables(port: CountingPort, tokenizers: readonly TokenizerId[]): Promise<void> {
    const files = new Set<string>();
    for (const id of tokenizers) {
      const exact = tableFor(id);
      if (exact) files.add(tableOf(exact).file);
    }
    await Promise.all(
      [...files].map((file) => {
        let sent = this.sentTables.get(file);
        if (!sent) {
          const sentTo = this.sentTables;
          sent = this.o.tableBytes!(file).then(
            (bytes) => {
              if (this.port === port) port.post({ type: 'table', file, bytes });
            },
            (e: unknown) => {
              sentTo.delete(file); // tried again on the next count; meanwhile the counter says the table is missing
              this.o.log(`rank table ${file} could not be read: ${(e as Error).message}`);
            },
          );
          this.sentTables.set(file, sent);
        }
        return sent;
      }),
    );
  }

  private ensurePort(): CountingPort {
    if (this.port) return this.port;
    const events: PortEvents = {
      message: (m) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) port.unref?.();
        p.resolve(m);
      },
      died: (e) => this.onDeath(port, e),
    };
    const port = (this.inProcess ? this.o.fallback : this.o.start)(events);
    this.port = port;
    this.sentTables = new Map();
    if (this.userSources.length) port.post({ type: 'tokenizers', id: 0, sources: this.userSources });
    return port;
  }

  private onDeath(port: CountingPort, e: Error): void {
    if (this.port !== port || this.disposed) return;
    this.port = undefined;
    this.synced.clear();
    this.deaths++;
    const err = new WorkerDied(e.message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.o.log(`counting worker stopped: ${e.message}; it restarts on the next count`);
    if (this.deaths >= (this.o.maxRestarts ?? 3) && !this.inProcess) {
      this.inProcess = true;
      this.o.log('counting worker failed repeatedly; counting in the extension host from now on');
      this.o.onInProcess?.();
    }
  }

  /**
   * Starts the counter now, without tables, so the first count does not wait for a thread to boot (measured 120–170 ms
   * on an idle 2-core machine, more while VS Code renders a large file beside it). Idempotent; a disposed client is
   * left alone, and an idle counter never keeps a process alive.
   */
  warm(): void {
    if (!this.disposed && !this.port) this.ensurePort();
  }

  /** Releases tokenizer tables after a quiet period; they reload on the next count. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.port?.post({ type: 'release' }), this.o.idleReleaseMs ?? 5 * 60_000);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
    this.port?.terminate();
    this.port = undefined;
  }
}
