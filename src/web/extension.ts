// The browser entry (package.json `browser`): vscode.dev, github.dev, and any VS Code whose web worker extension host
// runs the extension. No Node: rank tables are read with vscode.workspace.fs from the extension's own URI (https on
// vscode.dev, vscode-remote on code-server), and counting runs in a Web Worker where the host allows one, else in this
// extension host in short time slices (../counting/webWorkerPort.ts). The rest is ../activate.ts, shared with the Node entry.
import * as vscode from 'vscode';
import { activateWith, type TokenCostApi } from '../activate';
import type { ExactTokenizerId } from '../core/prices/types';
import { webCounting } from '../counting/webWorkerPort';

export type { TokenCostApi } from '../activate';

export function activate(context: vscode.ExtensionContext): TokenCostApi {
  const folder = vscode.Uri.joinPath(context.extensionUri, 'dist', 'tokenizers');
  const tables = (file: ExactTokenizerId | string): Promise<Uint8Array> => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, `${file}.bin`)));
  return activateWith(context, {
    host: 'web',
    home: undefined,
    tables,
    counting: (log) => webCounting(context.extensionUri, tables, log),
  });
}

export function deactivate(): void {}
