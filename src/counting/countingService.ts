// Everything the counting worker does, without the worker: holds the documents it was sent as chunked text, counts
// incrementally, and schedules counts by priority in short time slices so that a newer, more urgent request (the
// status bar's default model for the text just typed) pre-empts a long background count between two chunks. Pure
// TypeScript: the Node worker thread, a browser Web Worker and the in-host fallback all run this same class.
import { ChunkedText } from '../core/incremental/chunkedText';
import { CountPaused, DocumentCounter } from '../core/incremental/documentCounter';
import { countCharacters } from '../core/textInput';
import { countPrompt, countPromptTexts } from '../core/countPrompt';
import type { TableLoader } from '../core/tokenizers/rankTable';
import type { TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { FromWorker, ToWorker } from './protocol';

type CountRequest = Extract<ToWorker, { type: 'count' }>;

export interface CountingServiceOptions {
  /** Reads a rank table's bytes; without it, tables come in `table` messages (hosts without a file system). */
  tables?: TableLoader;
  post(m: FromWorker): void;
  /** Resolves after pending messages had a chance to run (setImmediate, a MessageChannel, setTimeout 0). */
  yieldSlice(): Promise<void>;
  /** Longest stretch of counting between two yields, in ms. */
  sliceMs?: number;
  /**
   * The counter's memory in MB where the host can tell (a Node worker thread): `heap` in use (garbage included),
   * `total` committed heap plus buffers (the rank tables).
   */
  memory?(): { heap: number; total: number };
}

interface Job {
  m: CountRequest;
  /** Arrival order: among equal priorities the newest request runs first (it is the text the user sees). */
  seq: number;
  started: number;
  /** Time spent counting (not waiting), for the per-stage breakdown; `load` of it loading tables. */
  busy: number;
  load: number;
}

/** Default slice: short enough that a pre-empting request starts within ~10 ms, long enough that yields are rare. */
export const SLICE_MS = 10;

export class CountingService {
  private readonly counter: DocumentCounter;
  /** `openMs`: the time its text took to cut into chunks, reported with its next count and then cleared. */
  private readonly docs = new Map<string, { version: number; text: ChunkedText; openMs?: number }>();
  /** Table bytes received in `table` messages, by file name. */
  private readonly received = new Map<string, Uint8Array>();
  private readonly jobs: Job[] = [];
  private seq = 0;
  private pumping = false;

  constructor(private readonly o: CountingServiceOptions) {
    this.counter = new DocumentCounter(
      o.tables ??
        ((file) => {
          const bytes = this.received.get(file);
          if (!bytes) throw new Error(`table ${file} was not sent`);
          return bytes;
        }),
    );
  }

  /** Pending counts (for tests and the bench). */
  get queued(): number {
    return this.jobs.length;
  }

  handle(m: ToWorker): void {
    switch (m.type) {
      case 'open': {
        const t0 = performance.now();
        const text = new ChunkedText(m.text);
        this.docs.set(m.doc, { version: m.version, text, openMs: performance.now() - t0 });
        return;
      }
      case 'change': {
        const d = this.docs.get(m.doc);
        if (!d) return;
        try {
          d.text.applyChanges(m.changes);
          d.version = m.version;
        } catch {
          this.docs.delete(m.doc); // out of sync: the next count asks for a resync
        }
        return;
      }
      case 'close':
        this.docs.delete(m.doc);
        return;
      case 'release':
        this.counter.release();
        return;
      case 'table':
        this.received.set(m.file, m.bytes);
        return;
      case 'tokenizers': {
        const statuses = this.counter.setUserTokenizers(m.sources);
        if (m.id) this.o.post({ type: 'tokenizers', id: m.id, statuses });
        return;
      }
      case 'count':
        this.enqueue(m);
        return;
    }
  }

  private enqueue(m: CountRequest): void {
    // A newer request for a newer version of the same document makes older ones for that document stale: their
    // numbers would never be shown, so drop them now rather than count them.
    if (m.doc !== undefined) {
      for (let i = this.jobs.length - 1; i >= 0; i--) {
        const j = this.jobs[i].m;
        if (j.doc === m.doc && (j.version ?? 0) < (m.version ?? 0)) {
          this.jobs.splice(i, 1);
          this.o.post({ type: 'failed', id: j.id, message: 'superseded by a newer version', stale: true });
        }
      }
    }
    this.jobs.push({ m, seq: this.seq++, started: performance.now(), busy: 0, load: 0 });
    if (!this.pumping) void this.pump();
  }

  /** The most urgent job: lowest priority number, then newest. */
  private next(): Job {
    let best = this.jobs[0];
    for (const j of this.jobs) if (j.m.priority < best.m.priority || (j.m.priority === best.m.priority && j.seq > best.seq)) best = j;
    return best;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.jobs.length) {
        const job = this.next();
        const t0 = performance.now();
        const load0 = this.counter.tableLoadMs;
        this.counter.sliceUntil(t0 + (this.o.sliceMs ?? SLICE_MS));
        let reply: FromWorker | undefined;
        try {
          reply = this.run(job, t0, load0);
        } catch (e) {
          if (!(e instanceof CountPaused)) reply = { type: 'failed', id: job.m.id, message: (e as Error).message };
        } finally {
          this.counter.sliceUntil(undefined);
          job.busy += performance.now() - t0;
          job.load += this.counter.tableLoadMs - load0;
        }
        if (reply) {
          this.jobs.splice(this.jobs.indexOf(job), 1);
          this.o.post(reply);
        }
        // Let edits and newer requests in; they may make this job stale or outrank it.
        if (this.jobs.length) await this.o.yieldSlice();
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * One attempt at a job, started at `t0` with `load0` ms of table loading behind the counter: its reply, or
   * CountPaused when the slice ran out (the next attempt resumes).
   */
  private run(job: Job, t0: number, load0: number): FromWorker {
    const m = job.m;
    // ms: arrival to reply (waiting behind other work included); busyMs: counting only, this attempt included.
    const done = (counts: TokenCount[], characters: number, openMs?: number): FromWorker => {
      const now = performance.now();
      return { type: 'counted', id: m.id, counts, characters, ms: now - job.started, busyMs: job.busy + now - t0, loadMs: job.load + this.counter.tableLoadMs - load0, openMs, memoryMb: this.o.memory?.() };
    };
    if (m.texts) {
      const count = (id: TokenizerId, t: string) => this.counter.countText(t, id);
      const counts = [...countPromptTexts(m.texts, m.tokenizers, count, m.chat).values()];
      return done(counts, m.texts.reduce((n, t) => n + countCharacters(t), 0));
    }
    const d = m.doc === undefined ? undefined : this.docs.get(m.doc);
    // Newer than asked: an edit arrived since, and its own count follows. Older (or missing): this copy missed an edit.
    if (d && d.version > (m.version ?? 0)) return { type: 'failed', id: m.id, message: 'the document changed since', stale: true };
    if (!d || d.version !== m.version) return { type: 'failed', id: m.id, message: 'document not in sync', resync: true };
    // Chat files: the messages (each cached by content, so an edit re-tokenizes only its message) plus overhead.
    const counts = [...countPrompt(m.chat ? d.text.toString() : '', m.tokenizers, (id, t) => this.counter.countText(t, id), m.chat, () => new Map(m.tokenizers.map((id) => [id, this.counter.count(d.text, id)]))).values()];
    const openMs = d.openMs;
    d.openMs = undefined;
    // Code points, kept incrementally like the counts.
    return done(counts, d.text.total('chars', countCharacters), openMs);
  }
}
