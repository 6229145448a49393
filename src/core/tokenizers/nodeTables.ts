// The Node side of table loading: reads `<dir>/<id>.bin`. Kept apart so the rest of the tokenizer code runs where
// there is no file system (a browser hands ExactTokenizers a loader of its own).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableLoader } from './rankTable';

export function nodeTableLoader(dir: string): TableLoader {
  return (id) => readFileSync(join(dir, `${id}.bin`));
}
