// Token counts keyed by text content, shared by every document and selection a DocumentCounter counts: a chunk
// seen before (undo, a re-opened file, a selection inside a counted document) is not tokenized again.

/** Default budget: text held as keys, in UTF-16 code units (≈32 MB: a 10 MB document plus selections). */
export const DEFAULT_CACHE_UNITS = 16 * 1024 * 1024;
/** Per-entry overhead charged against the budget, so many tiny chunks cannot grow the map without bound. */
const ENTRY_UNITS = 32;

export class ContentCache {
  /** Text → count per kind index. Map order is least recently used first. */
  private readonly entries = new Map<string, number[]>();
  private units = 0;

  constructor(private readonly maxUnits = DEFAULT_CACHE_UNITS) {}

  get(text: string, kind: number): number | undefined {
    const e = this.entries.get(text);
    if (e === undefined) return undefined;
    const n = e[kind];
    if (n !== undefined) {
      this.entries.delete(text);
      this.entries.set(text, e);
    }
    return n;
  }

  set(text: string, kind: number, count: number): void {
    const e = this.entries.get(text);
    if (e !== undefined) {
      e[kind] = count;
      return;
    }
    const size = text.length + ENTRY_UNITS;
    if (size > this.maxUnits) return;
    this.units += size;
    for (const [k] of this.entries) {
      if (this.units <= this.maxUnits) break;
      this.entries.delete(k);
      this.units -= k.length + ENTRY_UNITS;
    }
    const counts: number[] = [];
    counts[kind] = count;
    this.entries.set(detach(text), counts);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.units = 0;
  }
}

/**
 * A copy of `text` that does not keep a larger string alive: V8 represents slices of long strings as views into
 * their parent, and a cached chunk must not pin a whole 10 MB document that has since been closed or replaced.
 * Slicing a concatenation flattens it into a fresh string first.
 */
function detach(text: string): string {
  return text.length < 13 ? text : (text + ' ').slice(0, -1);
}
