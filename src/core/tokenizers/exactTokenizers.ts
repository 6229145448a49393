// Loads the exact tokenizers on first use from their rank tables (built into dist/tokenizers).
import { BpeCounter } from './bpe';
import { createPreTokenizer } from './pretokenize';
import { RankTable, tableOf } from './rankTable';
import { nodeTableLoader } from './nodeTables';
import type { ExactTokenizerId } from '../prices/types';
import type { TableLoader } from './rankTable';

export class ExactTokenizers {
  private readonly loaded = new Map<ExactTokenizerId, BpeCounter>();
  /** Tables that failed to load, so a broken install is not re-read on every count. Cleared by release(). */
  private readonly failed = new Map<ExactTokenizerId, Error>();
  private readonly load: TableLoader;
  /** Time spent reading and decoding tables, in ms, since construction (the counting breakdown reports deltas). */
  loadMs = 0;

  /** `tables`: the folder holding `<id>.bin` rank tables (Node), or a function returning a table's bytes. */
  constructor(tables: string | TableLoader) {
    this.load = typeof tables === 'string' ? nodeTableLoader(tables) : tables;
  }

  get(id: ExactTokenizerId): BpeCounter {
    let t = this.loaded.get(id);
    if (!t) {
      const failure = this.failed.get(id);
      if (failure) throw failure;
      const t0 = performance.now();
      try {
        const { file, ranks } = tableOf(id);
        t = new BpeCounter(RankTable.decode(this.load(file), ranks), createPreTokenizer(id));
      } catch (e) {
        const err = new Error(`the ${id} tokenizer could not be loaded (${(e as Error).message})`);
        this.failed.set(id, err);
        throw err;
      } finally {
        this.loadMs += performance.now() - t0;
      }
      this.loaded.set(id, t);
    }
    return t;
  }

  isLoaded(id: ExactTokenizerId): boolean {
    return this.loaded.has(id);
  }

  /** Drops loaded tables so their memory can be reclaimed; they load again on next use. */
  release(id?: ExactTokenizerId): void {
    if (id) {
      this.loaded.delete(id);
      this.failed.delete(id);
    } else {
      this.loaded.clear();
      this.failed.clear();
    }
  }
}
