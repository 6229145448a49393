// Counts for the live text, computed in the worker and shared by the status bar, the panel and the summary: one
// request per change for the tokenizers the registered consumers need, results kept only for the text they belong to.
import * as vscode from 'vscode';
import type { CountClient, CountResult } from '../counting/countClient';
import { Priority } from '../counting/protocol';
import { DocumentChangedError } from '../counting/workerClient';
import type { TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { LiveText, MeasurementTimes } from './liveText';
import type { Measurement } from './measure';
import { Disposable } from '../dispose';

export interface LiveState {
  measurement?: Measurement;
  /** Counts of the current text, or of the previous one while `fresh` is false. */
  counts: ReadonlyMap<TokenizerId, TokenCount>;
  characters?: number;
  /** True when `counts` belong to the current text. */
  fresh: boolean;
  /** When counting last failed, why. */
  error?: string;
  /** The measurement key of the text `counts` belong to. */
  countsKey?: string;
}

export class LiveCounts extends Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private key?: string;
  private countsKey?: string;
  private counts = new Map<TokenizerId, TokenCount>();
  private characters?: number;
  private fresh = false;
  private error?: string;
  private readonly inflight = new Set<TokenizerId>();
  /** What each consumer needs counted on every change; primary ones (the status bar) first. */
  private readonly consumers: { needs: () => readonly TokenizerId[]; primary: boolean }[] = [];
  private readonly waiters: { ids: TokenizerId[]; resolve: (s: LiveState) => void }[] = [];

  /**
   * `trace`: a sink for one line per count shown, with its time by stage (edit event → debounce → measure → counter
   * → status bar), when the output channel is at Trace level; undefined otherwise, so nothing is formatted.
   */
  constructor(
    private readonly live: LiveText,
    private readonly client: CountClient,
    private readonly trace: () => ((line: string) => void) | undefined = () => undefined,
    private readonly hostHeapMb?: () => number,
  ) {
    super();
    this._register(live.onDidChange(() => this.onText()));
  }

  /**
   * Adds tokenizers to count for every text until the returned disposable is disposed. The first tokenizer of the
   * first primary consumer (the status bar: the default model's) is requested on its own, so its number comes first.
   * A consumer registered while a text is shown gets its counts for that text too.
   */
  register(needs: () => readonly TokenizerId[], options: { primary?: boolean } = {}): vscode.Disposable {
    const consumer = { needs, primary: options.primary ?? false };
    if (consumer.primary) this.consumers.splice(this.consumers.filter((c) => c.primary).length, 0, consumer);
    else this.consumers.push(consumer);
    if (this.live.current?.ok) this.ensureAll();
    return {
      dispose: () => {
        const i = this.consumers.indexOf(consumer);
        if (i >= 0) this.consumers.splice(i, 1);
      },
    };
  }

  /** Every registered consumer's tokenizers, once each, in consumer order. */
  private wanted(): TokenizerId[] {
    return [...new Set(this.consumers.flatMap((c) => c.needs()))];
  }

  state(): LiveState {
    const measurement = this.live.current;
    // Counts are fresh only for the text they were requested for.
    const fresh = this.fresh && measurement?.key === this.key;
    return { measurement, counts: this.counts, characters: this.characters, fresh, error: this.error, countsKey: this.countsKey };
  }

  /**
   * Makes sure these tokenizers are counted for the current text (results arrive through onDidChange). `priority`:
   * the counter runs more urgent requests first and pre-empts less urgent ones between chunks.
   */
  ensure(ids: readonly TokenizerId[], priority: Priority = Priority.panel): void {
    const m = this.live.current;
    if (!m?.ok) return;
    const missing = [...new Set(ids)].filter((id) => !(this.fresh && this.counts.has(id)) && !this.inflight.has(id));
    if (missing.length) this.request(m, missing, priority);
  }

  /**
   * Every consumer's tokenizers in three requests: the status bar's number (the default model's) alone and first,
   * then the status bar's followed models, then the rest (the panel's other models).
   */
  private ensureAll(): void {
    const primary = [...new Set(this.consumers.filter((c) => c.primary).flatMap((c) => c.needs()))];
    this.ensure(primary.slice(0, 1), Priority.status);
    this.ensure(primary, Priority.followed);
    this.ensure(this.wanted(), Priority.panel);
  }

  /** Resolves once these tokenizers are counted for the current text. */
  whenCounted(ids: readonly TokenizerId[]): Promise<LiveState> {
    const ready = () => this.fresh && ids.every((id) => this.counts.has(id));
    if (ready() || !this.live.current?.ok) return Promise.resolve(this.state());
    return new Promise((resolve) => {
      this.waiters.push({ ids: [...ids], resolve });
      this.ensure(ids);
    });
  }

  private onText(): void {
    const m = this.live.current;
    if (m?.key !== this.key) {
      this.key = m?.key;
      this.fresh = false; // keep the old numbers, marked stale, until the new ones arrive
      this.inflight.clear();
      this.error = undefined;
    }
    this.emitter.fire();
    if (m?.ok) this.ensureAll();
    else this.resolveWaiters(true);
  }

  private request(m: Extract<Measurement, { ok: true }>, ids: TokenizerId[], priority: Priority): void {
    for (const id of ids) this.inflight.add(id);
    const key = m.key;
    const requested = performance.now();
    const work: Promise<CountResult> = m.scope === 'document' ? this.client.countDocument(m.document, ids, priority) : this.client.countTexts(m.texts, ids, priority);
    work.then(
      (r) => {
        if (key !== this.key) return; // a newer text is being counted; never show these as its numbers
        if (!this.fresh) {
          this.counts = new Map();
          this.fresh = true;
          this.countsKey = key;
        }
        for (const [id, c] of r.counts) this.counts.set(id, c);
        this.characters = r.characters;
        for (const id of ids) this.inflight.delete(id);
        const replied = performance.now();
        this.emitter.fire();
        this.resolveWaiters(false);
        this.trace()?.(traceLine(m, this.live.timing, ids, priority, r, requested, replied, this.hostHeapMb?.()));
      },
      (e: Error) => {
        if (key !== this.key) return;
        for (const id of ids) this.inflight.delete(id);
        // The document moved on under the count: the edit's own count follows; the old numbers stay, marked stale.
        if (e instanceof DocumentChangedError) return;
        this.error = e.message;
        this.emitter.fire();
        this.resolveWaiters(true);
      },
    );
  }

  private resolveWaiters(all: boolean): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (all || (this.fresh && w.ids.every((id) => this.counts.has(id)))) {
        this.waiters.splice(i, 1);
        w.resolve(this.state());
      }
    }
  }

  override dispose(): void {
    super.dispose();
    this.emitter.dispose();
    this.resolveWaiters(true);
  }
}

const PRIORITY_NAMES = new Map<number, string>(Object.entries(Priority).map(([name, p]) => [p, name]));
const ms = (n: number) => n.toFixed(1);

/**
 * One count's time by stage as `name=value` pairs (the extension-host bench parses them): from the edit event to the
 * status bar's listeners having run. Stages not measured here (the renderer painting) are the bench's to measure.
 */
function traceLine(m: Extract<Measurement, { ok: true }>, t: MeasurementTimes | undefined, ids: readonly TokenizerId[], priority: Priority, r: CountResult, requested: number, replied: number, hostHeapMb?: number): string {
  const now = performance.now();
  const st = r.stages;
  const parts = [
    `count doc=${m.documentName}`,
    `key=${m.key.slice(m.key.lastIndexOf('@') + 1)}`,
    `priority=${PRIORITY_NAMES.get(priority) ?? priority}`,
    `tokenizers=${ids.join(',')}`,
    t?.event !== undefined ? `debounceMs=${ms(t.measured - t.event)}` : 'debounceMs=-',
    `measureMs=${ms(t?.measureMs ?? 0)}`,
    `sendMs=${ms(st?.sendMs ?? 0)}`,
    `roundTripMs=${ms(st?.roundTripMs ?? replied - requested)}`,
    `counterMs=${ms(r.ms)}`,
    `busyMs=${ms(st?.busyMs ?? 0)}`,
    `loadMs=${ms(st?.loadMs ?? 0)}`,
    `openMs=${ms(st?.openMs ?? 0)}`,
    `requestMs=${ms(replied - requested)}`,
    `shownMs=${ms(now - replied)}`,
  ];
  if (t?.event !== undefined) parts.push(`totalMs=${ms(now - t.event)}`);
  if (st?.memoryMb) parts.push(`counterHeapMb=${st.memoryMb.heap.toFixed(0)}`, `counterMb=${st.memoryMb.total.toFixed(0)}`);
  if (hostHeapMb !== undefined) parts.push(`hostHeapMb=${hostHeapMb.toFixed(0)}`);
  return parts.join(' ');
}
