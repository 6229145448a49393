// The browser build's stand-in for ./nodeTables.ts (esbuild.mjs swaps it in for the web bundle): a browser has no
// folder to read, so the host reads the table files first (vscode.workspace.fs, asynchronously) and hands their bytes
// here; a loader then serves them synchronously, as ExactTokenizers expects.
import type { TableLoader } from './rankTable';

const tables = new Map<string, Uint8Array>();

/** A table file's bytes, read by the host (src/web/inHostWorker.ts). */
export function provideTable(file: string, bytes: Uint8Array): void {
  tables.set(file, bytes);
}

export function nodeTableLoader(dir: string): TableLoader {
  return (id) => {
    const b = tables.get(id);
    if (!b) throw new Error(`${id}.bin was not read from ${dir}`);
    return b;
  };
}
