// Loads the four exact tokenizers on first use from the rank tables built into dist/tokenizers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpeCounter } from './bpe';
import { createPreTokenizer } from './pretokenize';
import { decodeRankTable } from './rankTable';
import type { ExactTokenizerId } from '../prices/types';

export class ExactTokenizers {
  private readonly loaded = new Map<ExactTokenizerId, BpeCounter>();
  /** Tables that failed to load, so a broken install is not re-read on every count. Cleared by release(). */
  private readonly failed = new Map<ExactTokenizerId, Error>();

  /** `tableDir`: the folder holding `<id>.bin` rank tables. */
  constructor(private readonly tableDir: string) {}

  get(id: ExactTokenizerId): BpeCounter {
    let t = this.loaded.get(id);
    if (!t) {
      const failure = this.failed.get(id);
      if (failure) throw failure;
      try {
        const ranks = decodeRankTable(readFileSync(join(this.tableDir, `${id}.bin`)));
        t = new BpeCounter(ranks, createPreTokenizer(id));
      } catch (e) {
        const err = new Error(`the ${id} tokenizer could not be loaded (${(e as Error).message})`);
        this.failed.set(id, err);
        throw err;
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
