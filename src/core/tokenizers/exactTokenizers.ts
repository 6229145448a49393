// Loads the four exact tokenizers on first use from the rank tables built into dist/tokenizers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpeCounter } from './bpe';
import { createPreTokenizer } from './pretokenize';
import { decodeRankTable } from './rankTable';
import type { ExactTokenizerId } from '../prices/types';

export class ExactTokenizers {
  private readonly loaded = new Map<ExactTokenizerId, BpeCounter>();

  /** `tableDir`: the folder holding `<id>.bin` rank tables. */
  constructor(private readonly tableDir: string) {}

  get(id: ExactTokenizerId): BpeCounter {
    let t = this.loaded.get(id);
    if (!t) {
      const ranks = decodeRankTable(readFileSync(join(this.tableDir, `${id}.bin`)));
      t = new BpeCounter(ranks, createPreTokenizer(id));
      this.loaded.set(id, t);
    }
    return t;
  }

  isLoaded(id: ExactTokenizerId): boolean {
    return this.loaded.has(id);
  }

  /** Drops loaded tables so their memory can be reclaimed; they load again on next use. */
  release(id?: ExactTokenizerId): void {
    if (id) this.loaded.delete(id);
    else this.loaded.clear();
  }
}
