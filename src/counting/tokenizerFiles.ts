// Reads the files tokenCost.tokenizers names, on the host, through vscode.workspace.fs (so remote and virtual
// workspaces work and the worker needs no file system), refusing a file over the size cap before reading it.
import * as vscode from 'vscode';
import type { TokenizerSetting } from '../services/settings';
import type { UserTokenizerSource } from '../core/tokenizers/userTokenizers';
import { USER_TOKENIZER_MAX_BYTES } from '../core/tokenizers/userTokenizer';
import { formatBytes } from '../core/textInput';

/** An absolute path (POSIX, Windows, or ~/ for the home folder) as is; a relative one against the workspace folder. */
export function resolveTokenizerFile(file: string, base: vscode.Uri | undefined, home: string | undefined): vscode.Uri | undefined {
  const p = file.trim();
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')) return vscode.Uri.file(p);
  if ((p === '~' || p.startsWith('~/')) && home) return vscode.Uri.file(home + p.slice(1));
  return base && vscode.Uri.joinPath(base, p);
}

export async function readTokenizerFiles(settings: readonly TokenizerSetting[], home: string | undefined): Promise<UserTokenizerSource[]> {
  return Promise.all(
    settings.map(async ({ entry, base }): Promise<UserTokenizerSource> => {
      const where = `tokenizer "${entry.id}" (${entry.file})`;
      const uri = resolveTokenizerFile(entry.file, base, home);
      if (!uri) return { entry, error: vscode.l10n.t('{0}: a relative path needs an open workspace folder; give an absolute path', where) };
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > USER_TOKENIZER_MAX_BYTES) {
          return { entry, error: vscode.l10n.t('{0}: the file is {1}, over the {2} limit', where, formatBytes(stat.size), formatBytes(USER_TOKENIZER_MAX_BYTES)) };
        }
        return { entry, bytes: await vscode.workspace.fs.readFile(uri) };
      } catch (e) {
        return { entry, error: vscode.l10n.t('{0}: cannot read {1}: {2}', where, uri.fsPath, (e as Error).message) };
      }
    }),
  );
}
