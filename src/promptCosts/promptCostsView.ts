// The Prompt Costs view in the Explorer: every prompt file of the workspace with its tokens and cost on the default
// model, grouped by folder with totals. Nothing is searched or counted until the view is shown; then files are
// counted one at a time in the worker (the status bar's counts are never stuck behind a whole workspace), and after
// that only the file that changed is looked at again (reportEngine.ts decides what to read and what to count).
import * as vscode from 'vscode';
import { chatKindOf } from '../core/chat/chatFormat';
import type { Settings } from '../services/settings';
import type { CountClient } from '../counting/countClient';
import { Priority } from '../counting/protocol';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';
import { cost } from '../core/cost';
import { formatBytes } from '../core/textInput';
import { isBinaryDocument } from '../live/measure';
import { formatCount, formatMoney } from '../core/money';
import { findModel } from '../core/prices/priceTable';
import type { TokenizerId } from '../core/prices/types';
import type { ReportTotals } from '../core/report/report';
import { WorkspaceReport } from '../core/report/report';
import { escapeMarkdown } from '../core/summary';
import type { PriceTableSource } from '../services/priceTableSource';
import type { Count, FileRef, ReportPricing, ReportSource, SkipReasons } from '../core/report/engine';
import { ReportEngine } from '../core/report/engine';
import type { ReportNode } from '../core/report/tree';
import { reportFileMatcher, reportTree } from '../core/report/tree';
import { ContextKeys, Views } from '../constants';
import { Disposable } from '../dispose';
import type { Log } from '../services/log';
import type { ContextGroup, ContextNode } from './contextGroup';

export const REPORT_VIEW_ID = Views.promptCosts;
/** Per glob and folder: a search that finds more is cut there, and the view says so. */
const MAX_FILES = 10_000;
const TYPING_DELAY_MS = 300;
const REFRESH_DELAY_MS = 100;

/** A workspace folder (no `node`) or a folder, file or uncounted file under it. */
interface ViewNode {
  root: string;
  node?: ReportNode;
  /** The "Context files" group or one of its rows (contextGroup.ts). */
  ctx?: ContextNode;
}

export class PromptCostsView extends Disposable implements vscode.TreeDataProvider<ViewNode> {
  private readonly emitter = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly treeView: vscode.TreeView<ViewNode>;
  /** Created the first time the view is shown: activation does no work for it. */
  private engine?: ReportEngine;
  private discovered = false;
  /** A search is running; `searched`: one has completed (until then the view is not "empty", only not ready). */
  private searching = false;
  private searched = false;
  private recheck = false;
  private truncated = false;
  private pumping?: Promise<void>;
  /** Exports waiting for a complete report: counting continues while the view is hidden. */
  private forced = 0;
  private readonly trees = new Map<string, ViewNode[]>();
  private readonly editTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private refreshTimer?: ReturnType<typeof setTimeout>;
  private rediscoverTimer?: ReturnType<typeof setTimeout>;
  private empty = false;
  private pricingKey = '';
  private globsKey = '';

  constructor(
    private readonly settings: Settings,
    private readonly service: CostService,
    private readonly client: CountClient,
    private readonly output: Log,
    prices: PriceTableSource,
    private readonly contextGroup?: ContextGroup,
  ) {
    super();
    this.treeView = vscode.window.createTreeView(REPORT_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this._register(
      this.treeView,
      this.emitter,
      {
        dispose: () => {
          clearTimeout(this.refreshTimer);
          clearTimeout(this.rediscoverTimer);
          this.editTimers.forEach((t) => clearTimeout(t));
        },
      },
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) this.kick();
      }),
      settings.onDidChange(() => this.onSettings()),
      settings.onDidChangeExcludes(() => this.rediscover(false)),
      prices.onDidChange(() => this.reprice()),
      contextGroup?.onDidChange(() => this.emitter.fire(undefined)) ?? { dispose: () => {} },
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rediscover(false)),
      vscode.workspace.onDidSaveTextDocument((d) => this.touchKnown(d.uri)),
      // An editor's unsaved text is what its row shows; closing it without saving brings back the file's.
      vscode.workspace.onDidCloseTextDocument((d) => this.touchKnown(d.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const key = e.document.uri.toString();
        if (!e.contentChanges.length || !this.engine?.has(key)) return;
        clearTimeout(this.editTimers.get(key));
        this.editTimers.set(
          key,
          setTimeout(() => {
            this.editTimers.delete(key);
            this.touchKnown(e.document.uri);
          }, TYPING_DELAY_MS),
        );
      }),
    );
  }

  // ---- Tree ----

  getChildren(element?: ViewNode): ViewNode[] {
    if (!this.engine) {
      // VS Code asks for children once the view is shown: the report starts then.
      this.kick(true);
      return [];
    }
    if (element?.ctx) return element.ctx.kind === 'context-group' ? (this.contextGroup?.children() ?? []).map((ctx) => ({ root: '', ctx })) : [];
    if (!element) {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const context: ViewNode[] = (this.contextGroup?.nodes() ?? []).map((ctx) => ({ root: '', ctx }));
      if (folders.length === 1) return [...context, ...this.tree(folders[0].uri.toString())];
      return [...context, ...folders.map((f) => f.uri.toString()).filter((root) => this.engine!.report(root)).map((root) => ({ root }))];
    }
    if (!element.node) return this.tree(element.root);
    if (element.node.kind === 'folder') return element.node.children.map((node) => ({ root: element.root, node }));
    return [];
  }

  getTreeItem(v: ViewNode): vscode.TreeItem {
    if (v.ctx && this.contextGroup) return this.contextGroup.treeItem(v.ctx);
    const locale = localeOf();
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === v.root);
    const modelName = this.modelName();
    const n = v.node;
    if (!n) {
      const totals = this.engine?.report(v.root)?.total() ?? { files: 0, tokens: 0, cost: 0, estimates: 0 };
      const item = new vscode.TreeItem(folder?.name ?? v.root, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `root:${v.root}`;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.description = this.totalsText(totals, locale);
      item.tooltip = this.totalsTooltip(folder?.name ?? v.root, totals, modelName, locale);
      return item;
    }
    const uri = folder ? vscode.Uri.joinPath(folder.uri, ...n.path.split('/')) : vscode.Uri.parse(v.root);
    if (n.kind === 'folder') {
      const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `${v.root}#${n.path}/`;
      item.resourceUri = uri;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = this.totalsText(n.totals, locale);
      item.tooltip = this.totalsTooltip(`${n.path}/`, n.totals, modelName, locale);
      return item;
    }
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.id = `${v.root}#${n.path}`;
    item.label = n.name;
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open File'), arguments: [uri] };
    if (n.kind === 'skipped') {
      item.iconPath = new vscode.ThemeIcon('warning');
      item.description = vscode.l10n.t('not counted: {0}', n.reason);
      item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(n.path)}**\n\n${escapeMarkdown(vscode.l10n.t('not counted: {0}', n.reason))}`);
      return item;
    }
    const r = n.row;
    const tokens = `${r.exact ? '' : '≈'}${formatCount(r.tokens, locale)}`;
    const money = formatMoney(r.cost, r.currency, locale);
    item.description = vscode.l10n.t('{0} tokens · {1}', tokens, money);
    const note = r.exact ? vscode.l10n.t('exact count') : vscode.l10n.t('estimate: the vendor’s tokenizer is not public');
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(n.path)}**\n\n${escapeMarkdown(vscode.l10n.t('{0} tokens on {1} ({2}), {3} per call', tokens, modelName, note, money))}`);
    item.accessibilityInformation = { label: `${n.name}, ${vscode.l10n.t('{0} tokens · {1}', tokens, money)}` };
    return item;
  }

  private tree(root: string): ViewNode[] {
    let t = this.trees.get(root);
    if (!t) {
      const report = this.engine?.report(root);
      t = report ? reportTree(report).map((node) => ({ root, node })) : [];
      this.trees.set(root, t);
    }
    return t;
  }

  private totalsText(t: ReportTotals, locale: string): string {
    const files = t.files === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', formatCount(t.files, locale));
    const tokens = `${t.estimates ? '≈' : ''}${formatCount(t.tokens, locale)}`;
    return `${files} · ${vscode.l10n.t('{0} tokens · {1}', tokens, formatMoney(t.cost, this.currency(), locale))}`;
  }

  private totalsTooltip(name: string, t: ReportTotals, modelName: string, locale: string): vscode.MarkdownString {
    const tokens = `${t.estimates ? '≈' : ''}${formatCount(t.tokens, locale)}`;
    const lines = [
      `**${escapeMarkdown(name)}**`,
      escapeMarkdown(vscode.l10n.t('{0} prompt files, {1} tokens on {2}, {3} per call in total', formatCount(t.files, locale), tokens, modelName, formatMoney(t.cost, this.currency(), locale))),
    ];
    if (t.estimates) lines.push(escapeMarkdown(vscode.l10n.t('{0} of them counted with an estimate (≈)', formatCount(t.estimates, locale))));
    return new vscode.MarkdownString(lines.join('\n\n'));
  }

  private modelName(): string {
    const id = this.engine?.model ?? this.service.defaultModel().model.id;
    return findModel(this.service.models, id)?.name ?? id;
  }

  private currency(): ReportPricing['currency'] {
    const first = vscode.workspace.workspaceFolders?.[0];
    return (first && this.engine?.report(first.uri.toString())?.currency) ?? this.pricing().currency;
  }

  // ---- The whole report ----

  /** Every folder's report as one: paths are prefixed with the folder's name in a multi-root workspace. */
  combined(): WorkspaceReport {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const reports = folders.map((f) => ({ name: f.name, r: this.engine?.report(f.uri.toString()) }));
    if (reports.length === 1 && reports[0].r) return reports[0].r;
    // Every folder's report is priced alike (reprice replaces them all at once); the first one's currency is theirs.
    const first = reports.find((x) => x.r)?.r;
    const all = new WorkspaceReport(first ? { currency: first.currency, model: first.model } : { currency: this.pricing().currency, model: this.pricing().model });
    for (const { name, r } of reports) {
      if (!r || r.currency !== all.currency) continue;
      for (const row of r.rows()) all.set({ ...row, path: `${name}/${row.path}` });
      for (const s of r.skipped()) all.skip(`${name}/${s.path}`, s.reason);
    }
    return all;
  }

  /** Searches and counts whatever is left, even while the view is hidden (for an export). */
  async complete(): Promise<void> {
    this.forced++;
    try {
      // Files edited meanwhile are queued again; a bounded number of rounds, should a search keep failing.
      for (let round = 0; round < 20 && (round === 0 || !this.discovered || (this.engine?.pending ?? 0) > 0); round++) await this.pump();
    } finally {
      this.forced--;
    }
  }

  /** Searches again; files are only read again if their size or time changed, and counted if their text did. */
  refresh(): void {
    this.rediscover(true);
  }

  // ---- Counting ----

  private kick(force = false): void {
    if (force || this.treeView.visible || this.forced > 0) void this.pump();
  }

  private pump(): Promise<void> {
    this.pumping ??= this.run().finally(() => {
      this.pumping = undefined;
      this.updateMessage();
      // A change that arrived as the loop was ending.
      if ((this.engine?.pending ?? 0) > 0 || !this.discovered) this.kick();
    });
    return this.pumping;
  }

  private async run(): Promise<void> {
    try {
      await vscode.window.withProgress({ location: { viewId: REPORT_VIEW_ID } }, async () => {
        const engine = this.start();
        while (!this.discovered) {
          this.discovered = true; // a change during the search sets it back, and the search runs again
          const recheck = this.recheck;
          this.recheck = false;
          this.searching = true;
          try {
            await this.discover(engine, recheck);
          } finally {
            this.searching = false;
          }
        }
        this.searched = true;
        this.changed();
        this.updateMessage();
        await engine.drain(() => this.treeView.visible || this.forced > 0);
      });
    } catch (e) {
      this.output.error(`prompt costs report failed: ${(e as Error).message}`);
    }
  }

  private start(): ReportEngine {
    if (this.engine) return this.engine;
    const pricing = this.pricing();
    this.pricingKey = pricingKey(pricing, this.settings);
    this.globsKey = this.globsOfFolders();
    this.engine = new ReportEngine(this.source(), pricing, skipReasons(), () => this.changed());
    // Every file event in the workspace, filtered here: one shared watcher, not one per prompt-file glob.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this._register(
      watcher,
      watcher.onDidCreate((uri) => this.onCreate(uri)),
      watcher.onDidChange((uri) => this.touchKnown(uri)),
      watcher.onDidDelete((uri) => {
        const ref = refOf(uri);
        if (ref) this.engine?.remove(ref.root, ref.path);
      }),
    );
    return this.engine;
  }

  /** Each folder's prompt-file globs, as one key: a change in any folder's settings re-discovers. */
  private globsOfFolders(): string {
    return JSON.stringify((vscode.workspace.workspaceFolders ?? []).map((f) => this.settings.promptFiles(f.uri)));
  }

  private async discover(engine: ReportEngine, recheck: boolean): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    engine.keepRoots(folders.map((f) => f.uri.toString()));
    this.truncated = false;
    for (const folder of folders) {
      const globs = this.settings.promptFiles(folder.uri);
      const excludes = this.settings.filesExclude(folder.uri);
      const match = reportFileMatcher(globs, excludes);
      // The search skips node_modules and the plain files.exclude globs; the matcher also applies any with braces.
      const skip = ['**/node_modules/**', ...excludes.filter((g) => !/[{}]/.test(g))];
      const found = new Map<string, vscode.Uri>();
      for (const glob of globs) {
        let uris: vscode.Uri[] = [];
        try {
          uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), `{${skip.join(',')}}`, MAX_FILES);
        } catch {
          continue; // a glob the search refuses finds nothing; hovers and budgets ignore it the same way
        }
        if (uris.length >= MAX_FILES) this.truncated = true;
        for (const u of uris) found.set(u.toString(), u);
      }
      const refs: FileRef[] = [];
      for (const u of found.values()) {
        const ref = refOf(u, folder);
        if (ref && !match.excluded(ref.path)) refs.push(ref);
      }
      engine.setFiles(folder.uri.toString(), refs, recheck);
    }
  }

  private rediscover(recheck: boolean): void {
    if (!this.engine) return;
    this.discovered = false;
    this.recheck ||= recheck;
    this.kick();
  }

  private onCreate(uri: vscode.Uri): void {
    const ref = refOf(uri);
    if (!ref || !this.engine) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri)!;
    const match = reportFileMatcher(this.settings.promptFiles(folder.uri), this.settings.filesExclude(folder.uri));
    if (match.excluded(ref.path)) return;
    if (match.included(ref.path)) {
      this.engine.touch(ref);
      this.kick();
      return;
    }
    // A folder moved or copied in brings files no event names: search again, once the burst of events is over.
    void vscode.workspace.fs.stat(uri).then(
      (s) => {
        if (!(s.type & vscode.FileType.Directory)) return;
        clearTimeout(this.rediscoverTimer);
        this.rediscoverTimer = setTimeout(() => this.rediscover(false), 500);
      },
      () => undefined,
    );
  }

  private touchKnown(uri: vscode.Uri): void {
    const ref = this.engine?.ref(uri.toString());
    if (!ref) return;
    this.engine!.touch(ref);
    this.kick();
  }

  private onSettings(): void {
    if (!this.engine) return;
    const globs = this.globsOfFolders();
    if (globs !== this.globsKey) {
      this.globsKey = globs;
      this.rediscover(false);
    }
    const pricing = this.pricing();
    const key = pricingKey(pricing, this.settings);
    if (key === this.pricingKey) return;
    this.pricingKey = key;
    this.engine.reprice(pricing);
    this.kick();
  }

  private reprice(): void {
    if (!this.engine) return;
    const pricing = this.pricing();
    this.pricingKey = pricingKey(pricing, this.settings);
    this.engine.reprice(pricing);
    this.kick();
  }

  /** The default model's prices in the display currency ('native': the model's own first list). */
  private pricing(): ReportPricing {
    const cfg = this.settings.current;
    const { model } = this.service.defaultModel();
    const currency = cfg.currency === 'native' ? (model?.prices[0]?.currency ?? 'CNY') : cfg.currency;
    const options = { ...this.service.costOptions(), currency };
    return {
      model: model?.id ?? cfg.defaultModel,
      tokenizer: model?.tokenizer ?? 'qwen',
      currency,
      price: (tokens) => (model ? cost(tokens, model, options)?.totalCost : undefined),
      maxBytes: cfg.maxFileSize,
    };
  }

  private source(): ReportSource {
    const one = (counts: ReadonlyMap<TokenizerId, Count>, id: TokenizerId): Count => {
      const c = counts.get(id);
      if (!c) throw new Error(`no count for ${id}`);
      return c;
    };
    return {
      stat: async (key) => {
        try {
          const s = await vscode.workspace.fs.stat(vscode.Uri.parse(key, true));
          return s.type & vscode.FileType.Directory ? undefined : { size: s.size, mtime: s.mtime };
        } catch (e) {
          if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
          throw e;
        }
      },
      read: (key) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse(key, true))),
      unsaved: (key) => {
        const doc = vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === key);
        if (!doc) return undefined;
        return {
          version: `${documentId(doc)}@${doc.version}`,
          length: doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end),
          text: () => doc.getText(),
          binary: () => isBinaryDocument(doc),
          count: async (id) => one((await this.client.countDocument(doc, [id], Priority.promptCosts)).counts, id),
        };
      },
      count: async (text, id, key) => one((await this.client.countTexts([text], [id], Priority.promptCosts, chatKindOf(vscode.Uri.parse(key, true).path))).counts, id),
    };
  }

  private changed(): void {
    this.trees.clear();
    if (this.refreshTimer) return;
    // Batched: a first count of many files would otherwise redraw the tree once per file.
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.emitter.fire(undefined);
      this.updateMessage();
      if (!this.searched) return;
      this.treeView.description = `${this.modelName()} · ${this.totalsText(this.combined().total(), localeOf())}`;
      // The welcome text ("no prompt files") only once a search has found none, never while one runs.
      const folders = vscode.workspace.workspaceFolders ?? [];
      const empty = !this.searching && folders.length > 0 && folders.every((f) => isEmpty(this.engine?.report(f.uri.toString())));
      if (empty !== this.empty) void vscode.commands.executeCommand('setContext', ContextKeys.promptCostsEmpty, (this.empty = empty));
    }, REFRESH_DELAY_MS);
  }

  private updateMessage(): void {
    const pending = this.engine?.pending ?? 0;
    const notes: string[] = [];
    if (this.pumping && pending > 0) notes.push(vscode.l10n.t('Counting prompt files… {0} left', formatCount(pending, localeOf())));
    if (this.truncated) notes.push(vscode.l10n.t('Only the first {0} files of each prompt-file pattern are listed.', formatCount(MAX_FILES, localeOf())));
    this.treeView.message = notes.length ? notes.join(' ') : undefined;
  }

  override dispose(): void {
    super.dispose();
  }
}

function isEmpty(r: WorkspaceReport | undefined): boolean {
  return !r || (r.size === 0 && r.skipped().length === 0);
}

/** A file's place in the workspace: its folder's key and its '/'-separated path there. */
function refOf(uri: vscode.Uri, folder = vscode.workspace.getWorkspaceFolder(uri)): FileRef | undefined {
  if (!folder) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  if (!uri.path.startsWith(base) || uri.path.length === base.length) return undefined;
  return { root: folder.uri.toString(), path: uri.path.slice(base.length), key: uri.toString() };
}

function pricingKey(p: ReportPricing, settings: Settings): string {
  const c = settings.current;
  return JSON.stringify([p.model, p.tokenizer, p.currency, p.maxBytes, c.exchangeRate, c.outputTokens, c.cacheHitShare]);
}

function skipReasons(): SkipReasons {
  return {
    binary: vscode.l10n.t('looks binary (contains NUL bytes)'),
    tooLarge: (bytes, limit) => vscode.l10n.t('{0} is above the {1} limit (tokenCost.maxFileSize)', formatBytes(bytes), formatBytes(limit)),
    unreadable: (message) => vscode.l10n.t('cannot be read: {0}', message),
    noPrice: (model) => vscode.l10n.t('{0} has no current price', model),
    countFailed: (message) => vscode.l10n.t('counting failed: {0}', message),
  };
}

const documentIds = new WeakMap<vscode.TextDocument, number>();
let nextDocumentId = 1;

/** A number per open document: a file closed and opened again starts at version 1 again, under a new id. */
function documentId(doc: vscode.TextDocument): number {
  let id = documentIds.get(doc);
  if (id === undefined) documentIds.set(doc, (id = nextDocumentId++));
  return id;
}
