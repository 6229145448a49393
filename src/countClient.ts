// The extension host's side of the counting worker: starts it on first use, keeps its copies of documents in step
// by sending edits, restarts it if it dies, and falls back to counting in-process (reported) if it keeps dying.
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import type { TextChange } from './core/incremental/chunkedText';
import type { TokenizerId } from './core/prices/types';
import type { TokenCount } from './core/tokenizers/tokenCounter';
import { countByTokenizer } from './core/compare';
import { TokenCounter } from './core/tokenizers/tokenCounter';
import { countCharacters } from './core/textInput';
import type { FromWorker, ToWorker } from './worker/protocol';

export interface CountResult {
  counts: Map<TokenizerId, TokenCount>;
  characters: number;
  ms: number;
}

/** Tables are released after this long without a count. */
const IDLE_RELEASE_MS = 5 * 60_000;
const MAX_RESTARTS = 3;

interface Synced {
  /** Version the worker has, after the edits sent. */
  version: number;
}

export class CountClient implements vscode.Disposable {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: FromWorker) => void; reject: (e: Error) => void }>();
  private readonly synced = new Map<string, Synced>();
  private readonly disposables: vscode.Disposable[] = [];
  private idleTimer?: ReturnType<typeof setTimeout>;
  private crashes = 0;
  private fallback?: TokenCounter;

  constructor(
    private readonly workerPath: string,
    private readonly tableDir: string,
    private readonly output: vscode.OutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        if (this.synced.delete(key)) this.post({ type: 'close', doc: key });
      }),
    );
  }

  /** Counts a whole document with each tokenizer. Rejects if the document changed meanwhile (a newer count follows). */
  async countDocument(doc: vscode.TextDocument, tokenizers: readonly TokenizerId[]): Promise<CountResult> {
    if (this.fallback) return this.countInProcess([doc.getText()], tokenizers);
    const key = doc.uri.toString();
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.synced.get(key)?.version !== doc.version) this.open(doc);
      const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], doc: key, version: doc.version });
      if (r.type === 'counted') return this.toResult(r);
      if (!r.resync) throw new Error(r.message);
      this.synced.delete(key);
    }
    throw new Error('document changed while counting');
  }

  /** Counts texts (selections, a hover's block), summed, with each tokenizer. */
  async countTexts(texts: readonly string[], tokenizers: readonly TokenizerId[]): Promise<CountResult> {
    if (this.fallback) return this.countInProcess(texts, tokenizers);
    const r = await this.request({ type: 'count', id: 0, tokenizers: [...tokenizers], texts: [...texts] });
    if (r.type === 'counted') return this.toResult(r);
    throw new Error(r.message);
  }

  /** Tokenizers already reported as failed to load (once each, until they load again). */
  private readonly reported = new Set<string>();

  private toResult(r: Extract<FromWorker, { type: 'counted' }>): CountResult {
    for (const c of r.counts) {
      if (c.fallback && !this.reported.has(c.tokenizer)) {
        this.reported.add(c.tokenizer);
        this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${c.fallback}; showing a rough estimate (≈) instead`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: {0}; counts for it are rough estimates (≈) until it loads.', c.fallback));
      } else if (!c.fallback) this.reported.delete(c.tokenizer);
    }
    return { counts: new Map(r.counts.map((c) => [c.tokenizer, c])), characters: r.characters, ms: r.ms };
  }

  private open(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.post({ type: 'open', doc: key, version: doc.version, text: doc.getText() });
    this.synced.set(key, { version: doc.version });
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const s = this.synced.get(key);
    if (!s || !this.worker) return;
    // Versions rise by one per change event: any gap means an edit the worker never saw, so resend the document.
    if (e.document.version !== s.version + 1) {
      this.synced.delete(key);
      this.post({ type: 'close', doc: key });
      return;
    }
    // contentChanges are ordered so that applying them one after another is correct.
    const changes: TextChange[] = e.contentChanges.map((c) => ({ offset: c.rangeOffset, deleteCount: c.rangeLength, text: c.text }));
    this.post({ type: 'change', doc: key, version: e.document.version, changes });
    s.version = e.document.version;
  }

  private request(m: Extract<ToWorker, { type: 'count' }>): Promise<FromWorker> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    this.touch();
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
    const w = new Worker(this.workerPath, { workerData: { tableDir: this.tableDir } });
    w.on('message', (m: FromWorker) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    w.on('error', (e) => this.onWorkerDeath(w, e));
    w.on('exit', (code) => {
      if (this.worker === w) this.onWorkerDeath(w, new Error(`worker exited with code ${code}`));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private onWorkerDeath(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.synced.clear();
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.crashes++;
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] counting worker stopped: ${e.message}`);
    if (this.crashes >= MAX_RESTARTS && !this.fallback) {
      this.fallback = new TokenCounter(this.tableDir);
      this.output.appendLine('counting worker failed repeatedly; counting in the extension host from now on');
      void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: the counting worker failed repeatedly; counting continues in the extension host, which may be slower on large files.'));
    }
  }

  private countInProcess(texts: readonly string[], tokenizers: readonly TokenizerId[]): CountResult {
    const t0 = Date.now();
    const counts = countByTokenizer(texts, tokenizers, (id, t) => this.fallback!.count(id, t));
    return { counts, characters: texts.reduce((n, t) => n + countCharacters(t), 0), ms: Date.now() - t0 };
  }

  /** Releases tokenizer tables after a quiet period; they reload on the next count. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.post({ type: 'release' }), IDLE_RELEASE_MS);
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const d of this.disposables) d.dispose();
    for (const p of this.pending.values()) p.reject(new Error('disposed'));
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }
}


