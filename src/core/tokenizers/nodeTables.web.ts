// The browser build's stand-in for ./nodeTables.ts (esbuild.mjs swaps it in for the web bundles): a browser has no
// folder to read, so a table folder given there is a wiring mistake, reported as such; tables come through a
// TableLoader instead (the client sends their bytes, read with vscode.workspace.fs).
import type { TableLoader } from './rankTable';

export function nodeTableLoader(dir: string): TableLoader {
  return (id) => {
    throw new Error(`no file system here to read ${id}.bin from ${dir}: tables must be passed as bytes`);
  };
}
