// Counts a large file while VS Code is still loading it into an editor. The editor's tab reaches the extension host
// (onDidChangeTabs) before the document does: VS Code first sends the whole text, which for 4 MB in code-server takes
// 1.5–2.4 s. Reading the file from disk meanwhile and counting it for the default model fills the counter's content
// cache, so when the document arrives its own count finds every unchanged chunk already counted. Nothing from this
// read is ever shown: numbers always come from the document itself, so a disk text that differs (another encoding,
// unsaved changes elsewhere) only misses the cache.
import * as vscode from 'vscode';
import type { TokenizerId } from '../core/prices/types';
import { chatKindOf } from '../core/chat/chatFormat';
import { decodeText } from '../core/textInput';
import type { ChatKind } from '../core/chat/chatParse';
import { Disposable } from '../dispose';

/** Below this size the document arrives and is counted in milliseconds anyway: reading it again would only cost. */
export const PREFETCH_MIN_BYTES = 256 * 1024;

export interface OpeningFilesOptions {
  /** The default model's tokenizer, the one the status bar shows first; undefined: nothing to count. */
  tokenizer(): TokenizerId | undefined;
  /** Counts a text for one tokenizer in the counter, as the document will be (its result is not used: the cache is). */
  count(text: string, tokenizer: TokenizerId, chat: ChatKind | undefined): Promise<unknown>;
  /** Files above this many bytes are not counted unless asked (tokenCost.maxFileSize). */
  maxBytes(): number;
  /** Trace-level log line, when tracing. */
  trace(): ((line: string) => void) | undefined;
}

export class OpeningFiles extends Disposable {
  /** URIs being read or counted now. */
  private readonly busy = new Set<string>();

  constructor(private readonly o: OpeningFilesOptions) {
    super();
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        // A preview tab reused for another file is reported as changed.
        for (const tab of [...e.opened, ...e.changed]) this.opened(tab);
      }),
    );
  }

  private opened(tab: vscode.Tab): void {
    if (!tab.isActive || !(tab.input instanceof vscode.TabInputText)) return;
    const uri = tab.input.uri;
    const key = uri.toString();
    // Local files only (local to the extension host: in a remote window, the remote disk). A virtual or browser-side
    // file system may fetch over the network, and reading it twice would cost more than it saves.
    if (uri.scheme !== 'file' || this.busy.has(key) || isOpen(key)) return;
    this.busy.add(key);
    void this.prefetch(uri, key).finally(() => this.busy.delete(key));
  }

  private async prefetch(uri: vscode.Uri, key: string): Promise<void> {
    const t0 = performance.now();
    try {
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size < PREFETCH_MIN_BYTES || size > this.o.maxBytes() || isOpen(key)) return;
      // The Prompt Costs view's rules for a file on disk: the size limit, NUL bytes as binary, UTF-8 without its BOM.
      const decoded = decodeText(await vscode.workspace.fs.readFile(uri), this.o.maxBytes());
      // Binary; the document has arrived; or the user has moved on to another tab (clicking through files).
      if (!decoded.ok || isOpen(key) || !isActiveTab(key)) return;
      const tokenizer = this.o.tokenizer();
      if (!tokenizer) return;
      const read = performance.now();
      await this.o.count(decoded.text, tokenizer, chatKindOf(uri.path));
      this.o.trace()?.(`prefetch ${uri.path.slice(uri.path.lastIndexOf('/') + 1)} bytes=${size} tokenizer=${tokenizer} readMs=${(read - t0).toFixed(1)} countMs=${(performance.now() - read).toFixed(1)} documentArrived=${isOpen(key)}`);
    } catch (e) {
      // Unreadable or gone: the document's own count, if it comes, says what matters.
      this.o.trace()?.(`prefetch ${key} skipped: ${(e as Error).message}`);
    }
  }
}

function isActiveTab(key: string): boolean {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText && input.uri.toString() === key;
}

function isOpen(key: string): boolean {
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
}
