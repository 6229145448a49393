// The host's handle on the counting worker, without VS Code: starts it on first use, keeps its copies of documents
// in step, restarts it when it dies, and never lets one bad text take counting down. Kept free of `vscode` so the
// crash and restart paths are tested in plain Node against the real worker bundle.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { TextChange } from '../core/incremental/chunkedText';
import type { TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import { countByTokenizer } from '../core/compare';
import { countPromptTexts } from '../core/countPrompt';
import type { ChatKind } from '../core/chat/chatParse';
import { countHan } from '../core/tokenizers/estimates';
import { roughTokens, TokenCounter } from '../core/tokenizers/tokenCounter';
import { countCharacters } from '../core/textInput';
import type { FromWorker, ToWorker } from './protocol';
import type { UserTokenizerSource, UserTokenizerStatus } from '../core/tokenizers/userTokenizers';

export interface CountResult {
  counts: Map<TokenizerId, TokenCount>;
  characters: number;
  ms: number;
}

export interface WorkerDocument {
  key: string;
  version: number;
  getText(): string;
  /** The document is a chat file of this kind (counted as messages when it parses as such). */
  chat?: ChatKind;
}

export interface WorkerClientOptions {
  workerPath: string;
  tableDir: string;
  /** A runaway worker (a pathological text) then dies alone with ERR_WORKER_OUT_OF_MEMORY instead of the host. */
  resourceLimits?: ResourceLimits;
  /** Deaths after which counting moves into the host for good. */
  maxRestarts?: number;
  /** Idle time after which the worker drops its tables. */
  idleReleaseMs?: number;
  /** A line for the output channel. */
  log(line: string): void;
  /** Counting moved into the host after repeated deaths (shown to the user once). */
  onInProcess?(): void;
}

/** The worker's heap cap: four tables (≈ 160 MB), a 16 MB document's chunks and caches fit with room to spare. */
export const WORKER_HEAP_MB = 1536;

class WorkerDied extends Error {}

/** The document kept changing under a count; the change that caused it schedules a newer count. */
export class DocumentChangedError extends Error {
  constructor() {
    super('document changed while counting');
    this.name = 'DocumentChangedError';
  }
}

export class WorkerClient {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: FromWorker) => void; reject: (e: Error) => void }>();
  /** Document key → version the worker holds, after the edits sent. */
  private readonly synced = new Map<string, number>();
  private idleTimer?: ReturnType<typeof setTimeout>;
  private deaths = 0;
  private inProcess?: TokenCounter;
  private disposed = false;
  /** The user's tokenizers as last set: kept (bytes included) to load them into a restarted worker. */
  private userSources: UserTokenizerSource[] = [];

  constructor(private readonly o: WorkerClientOptions) {}

  /** How often the worker died, and whether counting has moved into the host. */
  get health(): { deaths: number; inProcess: boolean } {
    return { deaths: this.deaths, inProcess: this.inProcess !== undefined };
  }

  /** Counts a whole document with each tokenizer. Rejects only when the document keeps changing under the count. */
  async countDocument(doc: WorkerDocument, tokenizers: readonly TokenizerId[]): Promise<CountResult> {
    return this.run(
      () => [doc.getText()],
      doc.chat,
      async () => {
        for (let attempt = 0; attempt < 2; attempt++) {
          if (this.synced.get(doc.key) !== doc.version) this.open(doc);
          const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], doc: doc.key, version: doc.version, chat: doc.chat });
          if (r.type === 'counted') return r;
          if (r.type !== 'failed' || !r.resync) throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
          this.synced.delete(doc.key);
        }
        throw new DocumentChangedError();
      },
      tokenizers,
    );
  }

  /** Counts texts (selections, a hover's block), summed, with each tokenizer; one text of a chat file, as chat. */
  countTexts(texts: readonly string[], tokenizers: readonly TokenizerId[], chat?: ChatKind): Promise<CountResult> {
    return this.run(
      () => texts,
      chat,
      async () => {
        const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], texts: [...texts], chat });
        if (r.type === 'counted') return r;
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
    if (this.inProcess) {
      this.userSources = [...sources];
      return this.inProcess.user.set(this.userSources);
    }
    this.ensureWorker(); // before recording them, so a fresh worker is not sent the same files twice
    this.userSources = [...sources];
    try {
      const r = await this.request({ type: 'tokenizers', id: 0, sources: this.userSources });
      if (r.type === 'tokenizers') return r.statuses;
      throw new Error(r.type === 'failed' ? r.message : 'unexpected reply');
    } catch (e) {
      // The worker died while parsing (a file too big for its heap?): a restarted one gets them again; say so here.
      const inProcess = this.inProcess as TokenCounter | undefined; // set by onDeath meanwhile, maybe
      if (inProcess) return inProcess.user.set(this.userSources);
      return this.userSources.map((s) => ({ id: s.entry.id, ok: false, message: `tokenizer "${s.entry.id}" (${s.entry.file}): ${(e as Error).message}` }));
    }
  }

  /** An edit to a document; a version gap (an edit the worker never saw) makes the next count resend the text. */
  change(key: string, version: number, changes: readonly TextChange[]): void {
    const v = this.synced.get(key);
    if (v === undefined || !this.worker) return;
    if (version !== v + 1) {
      this.close(key);
      return;
    }
    this.post({ type: 'change', doc: key, version, changes: [...changes] });
    this.synced.set(key, version);
  }

  close(key: string): void {
    if (this.synced.delete(key)) this.post({ type: 'close', doc: key });
  }

  /**
   * One count: in the worker, retried once on a fresh worker if it died meanwhile; a text that kills the worker twice
   * gets a rough estimate flagged as such rather than a third try (and never runs in the host, where it could take
   * the editor down with it).
   */
  private async run(
    texts: () => readonly string[],
    chat: ChatKind | undefined,
    inWorker: () => Promise<Extract<FromWorker, { type: 'counted' }>>,
    tokenizers: readonly TokenizerId[],
  ): Promise<CountResult> {
    let died: Error | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.inProcess) return died ? this.rough(texts(), tokenizers, died) : this.countInProcess(texts(), tokenizers, chat);
      try {
        const r = await inWorker();
        return { counts: new Map(r.counts.map((c) => [c.tokenizer, c])), characters: r.characters, ms: r.ms };
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

  private countInProcess(texts: readonly string[], tokenizers: readonly TokenizerId[], chat: ChatKind | undefined): CountResult {
    const t0 = performance.now();
    const counts = countPromptTexts(texts, tokenizers, (id, t) => this.inProcess!.count(id, t), chat);
    return { counts, characters: texts.reduce((n, t) => n + countCharacters(t), 0), ms: performance.now() - t0 };
  }

  private open(doc: WorkerDocument): void {
    this.ensureWorker();
    this.post({ type: 'open', doc: doc.key, version: doc.version, text: doc.getText() });
    this.synced.set(doc.key, doc.version);
  }

  private request(m: Extract<ToWorker, { type: 'count' | 'tokenizers' }>): Promise<FromWorker> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    this.touch();
    // Referenced only while a count is pending: an idle worker never keeps a process (the CLI, tests) alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...m, id });
    });
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.o.workerPath, {
      workerData: { tableDir: this.o.tableDir },
      resourceLimits: this.o.resourceLimits ?? { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      p.resolve(m);
    });
    w.on('error', (e) => this.onDeath(w, e));
    w.on('exit', (code) => this.onDeath(w, new Error(`worker exited with code ${code}`)));
    w.unref();
    this.worker = w;
    if (this.userSources.length) w.postMessage({ type: 'tokenizers', id: 0, sources: this.userSources } satisfies ToWorker);
    return w;
  }

  private onDeath(w: Worker, e: Error): void {
    if (this.worker !== w || this.disposed) return;
    this.worker = undefined;
    this.synced.clear();
    this.deaths++;
    const err = new WorkerDied(e.message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.o.log(`counting worker stopped: ${e.message}; it restarts on the next count`);
    if (this.deaths >= (this.o.maxRestarts ?? 3) && !this.inProcess) {
      this.inProcess = new TokenCounter(this.o.tableDir);
      this.inProcess.user.set(this.userSources);
      this.o.log('counting worker failed repeatedly; counting in the extension host from now on');
      this.o.onInProcess?.();
    }
  }

  /** Releases tokenizer tables after a quiet period; they reload on the next count. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.post({ type: 'release' }), this.o.idleReleaseMs ?? 5 * 60_000);
    this.idleTimer.unref?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
