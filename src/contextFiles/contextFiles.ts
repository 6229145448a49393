// The context files that apply to the active editor's file (src/core/context decides which), read through
// vscode.workspace.fs (an open editor's unsaved text wins, so editing CLAUDE.md updates at once) and counted in the
// worker, one file at a time, for the tokenizers of the default and followed models. Consumers (the status bar
// tooltip, the Prompt Costs view) price the counts themselves, so a price change needs no recount.
import * as vscode from 'vscode';
import type { ContextEntry, ContextFs } from '../core/context/contextFiles';
import { contextFor, loadContextFiles } from '../core/context/contextFiles';
import type { ContextSummary } from '../core/context/contextCost';
import { priceContextRows } from '../core/context/contextCost';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { CostService } from '../services/costService';
import type { Settings } from '../services/settings';
import { Disposable } from '../dispose';

/** Counts texts with tokenizers (CountClient.countTexts). */
export type CountTexts = (texts: readonly string[], tokenizers: readonly TokenizerId[]) => Promise<{ counts: ReadonlyMap<TokenizerId, TokenCount> }>;

export interface ContextState {
  /** The workspace folder's name and URI. */
  folder: string;
  folderUri: string;
  /** The active file, relative to the folder. */
  target: string;
  entries: ContextEntry[];
  /** Per file path: its counts by tokenizer; a file still being counted has none yet. */
  counts: ReadonlyMap<string, ReadonlyMap<TokenizerId, TokenCount>>;
}

const RELOAD_DELAY_MS = 300;
/** What names a context file: a change to one of these reloads (see src/core/context for where each is looked for). */
const WATCH = '{**/AGENTS.md,**/CLAUDE.md,**/CLAUDE.local.md,**/GEMINI.md,**/.claude/CLAUDE.md,.github/**,.cursor/rules/**,.cursorrules,.clinerules,.clinerules/**,.windsurfrules,.windsurf/rules/**}';

export class ContextFiles extends Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private state?: ContextState;
  /** Counts by tokenizer and sent text: a reload recounts only files whose text changed. */
  private cache = new Map<string, TokenCount>();
  private timer?: ReturnType<typeof setTimeout>;
  private generation = 0;
  /** The last text editor: with focus on a panel (the comparison panel) its file's context stays, as LiveText keeps its text. */
  private editor?: vscode.TextEditor;

  constructor(
    private readonly service: CostService,
    settings: Settings,
    private readonly countTexts: CountTexts,
    private readonly fsFor: (folder: vscode.Uri) => ContextFs = workspaceContextFs,
  ) {
    super();
    const watcher = vscode.workspace.createFileSystemWatcher?.(WATCH);
    this.editor = vscode.window.activeTextEditor;
    this._register(
      this.emitter,
      { dispose: () => clearTimeout(this.timer) },
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (!e) return; // focus moved to a panel or terminal: keep the last editor's files
        this.editor = e;
        this.schedule(0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d !== this.editor?.document) return;
        this.editor = undefined;
        this.schedule(0);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule(0)),
      settings.onDidChange(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isContextDocument(e.document.uri)) this.schedule(RELOAD_DELAY_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.isContextDocument(d.uri)) this.schedule(RELOAD_DELAY_MS);
      }),
    );
    if (watcher) {
      const reload = () => this.schedule(RELOAD_DELAY_MS);
      this._register(watcher, watcher.onDidCreate(reload), watcher.onDidDelete(reload), watcher.onDidChange(reload));
    }
    this.schedule(0);
  }

  current(): ContextState | undefined {
    return this.state;
  }

  /** The applying files' tokens and cost per request on `model`, when its tokenizer has been counted for them all. */
  summary(model: ModelEntry, currency?: Parameters<CostService['costOptions']>[0]): ContextSummary | undefined {
    const s = this.state;
    if (!s) return undefined;
    const rows = [];
    for (const entry of s.entries) {
      if (entry.file.problem) {
        rows.push({ entry, tokens: 0, exact: true });
        continue;
      }
      const c = s.counts.get(entry.file.path)?.get(model.tokenizer);
      if (!c) {
        if (entry.applies) return undefined;
        continue;
      }
      rows.push({ entry, tokens: c.tokens, exact: c.exact && !c.fallback });
    }
    return priceContextRows(rows, model, this.service.costOptions(currency));
  }

  /** Reloads now (tests; the refresh command). */
  reload(): Promise<void> {
    clearTimeout(this.timer);
    return this.load();
  }

  private isContextDocument(uri: vscode.Uri): boolean {
    const s = this.state;
    const path = uri.toString();
    if (s?.entries.some((e) => `${s.folderUri}/${e.file.path}` === path)) return true;
    return /(^|\/)(AGENTS\.md|CLAUDE(\.local)?\.md|GEMINI\.md|\.cursorrules|\.windsurfrules|\.clinerules)$|\/\.(github|cursor|clinerules|windsurf)\//.test(uri.path);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), ms);
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    const editor = vscode.window.activeTextEditor ?? this.editor;
    const doc = editor && !editor.document.isClosed ? editor.document : undefined;
    const folder = doc && vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!doc || !folder) {
      // No file of a workspace folder: nothing applies (the previous file's numbers would be wrong here).
      if (this.state) {
        this.state = undefined;
        this.emitter.fire();
      }
      return;
    }
    const root = folder.uri.toString().replace(/\/$/, '');
    const target = doc.uri.toString().startsWith(root + '/') ? decodeURIComponent(doc.uri.toString().slice(root.length + 1)) : undefined;
    if (target === undefined) return;
    let entries: ContextEntry[];
    try {
      entries = contextFor(await loadContextFiles(this.fsFor(folder.uri), target), target);
    } catch {
      entries = [];
    }
    if (gen !== this.generation) return;
    const tokenizers = this.service.tokenizersOf(this.service.focusModels());
    const counts = new Map<string, Map<TokenizerId, TokenCount>>();
    const next = new Map<string, TokenCount>();
    // Files that are sent first: they make the total; the others only fill in their rows.
    const order = [...entries].filter((e) => !e.file.problem).sort((a, b) => Number(b.applies) - Number(a.applies));
    for (const e of order) {
      const byTokenizer = new Map<TokenizerId, TokenCount>();
      const missing: TokenizerId[] = [];
      for (const id of tokenizers) {
        const hit = this.cache.get(`${id}\u0000${e.file.sent}`);
        if (hit) byTokenizer.set(id, hit);
        else missing.push(id);
      }
      if (missing.length) {
        try {
          const r = await this.countTexts([e.file.sent], missing);
          for (const [id, c] of r.counts) byTokenizer.set(id, c);
        } catch {
          // The worker drops a request superseded by edits; the next reload counts it.
        }
        if (gen !== this.generation) return;
      }
      for (const [id, c] of byTokenizer) next.set(`${id}\u0000${e.file.sent}`, c);
      counts.set(e.file.path, byTokenizer);
    }
    this.cache = next;
    this.state = { folder: folder.name, folderUri: root, target, entries, counts };
    this.emitter.fire();
  }

  override dispose(): void {
    this.generation++;
    super.dispose();
  }
}

/** vscode.workspace.fs as a ContextFs; an open document's text (unsaved edits included) is what it reads. */
export function workspaceContextFs(folder: vscode.Uri): ContextFs {
  const uri = (p: string) => (p ? vscode.Uri.joinPath(folder, ...p.split('/')) : folder);
  return {
    async list(dir) {
      try {
        const entries = await vscode.workspace.fs.readDirectory(uri(dir));
        return entries.map(([name, type]) => ({ name, directory: (type & vscode.FileType.Directory) !== 0 }));
      } catch {
        return undefined;
      }
    },
    async read(p) {
      const u = uri(p);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
      if (open) return new TextEncoder().encode(open.getText());
      try {
        return await vscode.workspace.fs.readFile(u);
      } catch (e) {
        throw Object.assign(new Error((e as Error).message), { code: (e as { code?: string }).code });
      }
    },
  };
}
