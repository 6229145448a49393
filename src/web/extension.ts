// The browser entry (package.json `browser`): vscode.dev, github.dev, and any VS Code whose web worker extension host
// runs the extension. No Node: rank tables are read with vscode.workspace.fs from the extension's own URI (https on
// vscode.dev, vscode-remote on code-server), and counting runs in this extension host (./inHostWorker.ts), which the
// browser already runs off the editor's thread. The rest is ../activate.ts, shared with the Node entry.
import * as vscode from 'vscode';
import { activateWith, type TokenCostApi } from '../activate';
import type { ExactTokenizerId } from '../core/prices/types';
import { useTableReader } from './inHostWorker';

export type { TokenCostApi } from '../activate';

export function activate(context: vscode.ExtensionContext): TokenCostApi {
  const folder = vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizers');
  const tables = (file: ExactTokenizerId | string): Promise<Uint8Array> => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, `${file}.bin`)));
  useTableReader(tables);
  return activateWith(context, {
    host: 'web',
    home: undefined,
    tables,
    counting: (log) => {
      log('counting in: extension host (the web worker extension host thread, not the editor\'s)');
      return { workerPath: 'dist/worker.js', tableDir: folder.toString(true) };
    },
  });
}

export function deactivate(): void {}
