// A document held as chunks split at safe cuts (./cuts.ts), with per-chunk counts cached per kind, so an edit
// re-splits and recounts only the chunks around it.
import { splitAtCuts } from './cuts';

/** One edit as VS Code reports it: UTF-16 offset into the text before this change, length removed, text inserted. */
export interface TextChange {
  offset: number;
  deleteCount: number;
  text: string;
}

interface Chunk {
  text: string;
  /** Count per kind index; undefined = not counted yet. */
  counts: number[];
}

interface KindState {
  index: number;
  total: number;
  /** Chunks created since this kind's last total() call. */
  pending: Set<Chunk>;
}

export class ChunkedText {
  private chunks: Chunk[] = [];
  /**
   * Chunk start offsets. Shifting the whole tail on every keystroke would be O(chunks), so one shift is kept
   * pending: the true start of chunk i is starts[i] + (i >= shiftFrom ? shift : 0). An edit materialises only
   * the entries between it and the pending shift, so typing in one place, and VS Code's batches (sorted by
   * offset), cost O(distance) rather than O(chunks) per change.
   */
  private starts = new Int32Array(16);
  private shiftFrom = 0;
  private shift = 0;
  private len = 0;
  private readonly kinds = new Map<string, KindState>();
  private joined: string | undefined;

  constructor(text: string) {
    const texts = splitAtCuts(text);
    this.starts = new Int32Array(Math.max(16, texts.length + 16));
    let at = 0;
    this.chunks = texts.map((t, i) => {
      this.starts[i] = at;
      at += t.length;
      return { text: t, counts: [] };
    });
    this.len = text.length;
    this.joined = text;
  }

  get length(): number {
    return this.len;
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  toString(): string {
    this.joined ??= this.chunks.map((c) => c.text).join('');
    return this.joined;
  }

  slice(start: number, end: number): string {
    start = Math.max(0, Math.min(start, this.len));
    end = Math.max(start, Math.min(end, this.len));
    if (start === end) return '';
    if (this.joined !== undefined) return this.joined.slice(start, end);
    let i = this.locate(start);
    let s = this.start(i);
    let out = '';
    while (s < end) {
      const t = this.chunks[i].text;
      out += t.slice(Math.max(0, start - s), Math.min(t.length, end - s));
      s += t.length;
      i++;
    }
    return out;
  }

  /**
   * Applies changes in array order, each against the result of the previous one. Throws a RangeError for a
   * change outside the text (changes before it stay applied).
   */
  applyChanges(changes: readonly TextChange[]): void {
    for (const c of changes) this.applyOne(c);
  }

  /**
   * Sum over chunks of `countChunk(chunk)` for a cache key `kind`. The first call counts every chunk; later calls
   * count only chunks created since (totals are updated when chunks are replaced).
   */
  total(kind: string, countChunk: (chunk: string) => number): number {
    let k = this.kinds.get(kind);
    if (!k) {
      k = { index: this.kinds.size, total: 0, pending: new Set(this.chunks) };
      this.kinds.set(kind, k);
    }
    // Delete as we go so a throwing countChunk leaves a consistent state.
    for (const c of k.pending) {
      const n = countChunk(c.text);
      c.counts[k.index] = n;
      k.total += n;
      k.pending.delete(c);
    }
    return k.total;
  }

  private start(i: number): number {
    return this.starts[i] + (i >= this.shiftFrom ? this.shift : 0);
  }

  /** Index of the chunk holding offset `pos` (0 <= pos < length): the last chunk starting at or before it. */
  private locate(pos: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.start(mid) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private applyOne(change: TextChange): void {
    const { offset, deleteCount, text: insert } = change;
    // A change outside the text means the caller's copy is out of sync: fail loudly so it resends the full text.
    if (!(Number.isInteger(offset) && Number.isInteger(deleteCount) && offset >= 0 && deleteCount >= 0 && offset + deleteCount <= this.len)) {
      throw new RangeError(`change {offset: ${offset}, deleteCount: ${deleteCount}} outside a text of length ${this.len}`);
    }
    if (deleteCount === 0 && insert.length === 0) return;
    this.joined = undefined;
    const n = this.chunks.length;
    // The cut at the edit's start depends on the character before it, and the cut at its end on the deleted
    // text: re-split from the chunk holding offset-1 through the chunk holding offset+deleteCount.
    const first = n === 0 || offset === 0 ? 0 : this.locate(offset - 1);
    const last = n === 0 ? -1 : offset + deleteCount >= this.len ? n - 1 : this.locate(offset + deleteCount);
    const regionStart = n === 0 ? 0 : this.start(first);
    let old = '';
    for (let i = first; i <= last; i++) old += this.chunks[i].text;
    const region = old.slice(0, offset - regionStart) + insert + old.slice(offset + deleteCount - regionStart);
    const texts = splitAtCuts(region);

    // Keep chunks that come out unchanged (usually the one after the edit), with their counts.
    let head = 0;
    const removed = last - first + 1;
    while (head < texts.length && head < removed && texts[head] === this.chunks[first + head].text) head++;
    let tail = 0;
    while (tail < texts.length - head && tail < removed - head && texts[texts.length - 1 - tail] === this.chunks[last - tail].text) tail++;
    const from = first + head;
    const fresh = texts.slice(head, texts.length - tail).map((t): Chunk => ({ text: t, counts: [] }));
    const gone = this.chunks.slice(from, last + 1 - tail);
    for (const k of this.kinds.values()) {
      for (const c of gone) {
        const v = c.counts[k.index];
        if (v === undefined) k.pending.delete(c);
        else k.total -= v;
      }
      for (const c of fresh) k.pending.add(c);
    }

    this.replaceStarts(first, last, texts, regionStart, region.length - old.length);
    if (fresh.length === gone.length) for (let i = 0; i < fresh.length; i++) this.chunks[from + i] = fresh[i];
    else if (fresh.length < 1024) this.chunks.splice(from, gone.length, ...fresh);
    else this.chunks = this.chunks.slice(0, from).concat(fresh, this.chunks.slice(from + gone.length)); // no huge spread
    this.len += insert.length - deleteCount;
  }

  /** Updates starts for chunks first..last replaced by `texts`, the chunks after them moving by `delta`. */
  private replaceStarts(first: number, last: number, texts: string[], regionStart: number, delta: number): void {
    const n = this.chunks.length;
    const m = texts.length;
    const next = last + 1; // first chunk after the region, old index
    // Bring the pending shift to start exactly at `next`, touching only entries between it and the edit.
    if (this.shiftFrom < first) {
      for (let i = this.shiftFrom; i < first; i++) this.starts[i] += this.shift;
    } else if (this.shiftFrom > next) {
      for (let i = next; i < Math.min(this.shiftFrom, n); i++) this.starts[i] -= this.shift;
    }
    this.shiftFrom = next;
    this.shift += delta;
    if (m !== next - first) {
      const size = n - (next - first) + m;
      if (size > this.starts.length) {
        const grown = new Int32Array(Math.max(size + 16, this.starts.length * 2));
        grown.set(this.starts.subarray(0, n));
        this.starts = grown;
      }
      this.starts.copyWithin(first + m, next, n);
      this.shiftFrom = first + m;
    }
    // Starts of the new chunks are exact (entries before shiftFrom are stored without the shift).
    let at = regionStart;
    for (let i = 0; i < m; i++) {
      this.starts[first + i] = at;
      at += texts[i].length;
    }
  }
}
