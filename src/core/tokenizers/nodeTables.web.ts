// The browser build's stand-in for ./nodeTables.ts (esbuild.mjs swaps it in for the web bundles): a browser has no
// folder to read. Nothing there passes a folder (counting gets table bytes in messages, Show Tokens a reader), so
// reaching this is a bug, said plainly rather than as a missing `fs`.
import type { TableLoader } from './rankTable';

export function nodeTableLoader(dir: string): TableLoader {
  return (id) => {
    throw new Error(`${id}.bin: no table folder in a browser (${dir}); tables are read through vscode.workspace.fs`);
  };
}
