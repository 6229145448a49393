// The Node entry (desktop and remote extension hosts, package.json `main`): Node's worker thread, tables from disk.
// Everything else is wired in ./activate.ts, shared with the browser entry (src/web/extension.ts).
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { activateWith, type TokenCostApi } from './activate';
import { nodeCounting } from './counting/nodeWorkerPort';

export type { TokenCostApi } from './activate';

export function activate(context: vscode.ExtensionContext): TokenCostApi {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const tableDir = vscode.Uri.joinPath(dist, 'tokenizers').fsPath;
  return activateWith(context, {
    host: 'node',
    home: homedir(),
    tables: tableDir,
    hostHeapMb: () => getHeapStatistics().used_heap_size / 1048576,
    counting: (log) => {
      log('counting in: worker thread');
      return nodeCounting({ workerPath: vscode.Uri.joinPath(dist, 'worker.js').fsPath, tableDir });
    },
  });
}

export function deactivate(): void {}
