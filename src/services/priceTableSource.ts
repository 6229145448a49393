// The price table the extension uses: shipped defaults, then user settings, then (in trusted workspaces) workspace
// settings and the workspace price-table file. Problems are reported where the user can act on them: the Problems
// panel for the file, the output channel and one notification for settings. Never throws.
import * as vscode from 'vscode';
import { parse, parseTree } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { layerPriceTables } from '../core/prices/priceTable';
import type { LayeredTable, PriceLayer } from '../core/prices/priceTable';
import type { ModelEntry } from '../core/prices/types';
import type { Settings } from './settings';
import { formatBytes } from '../core/textInput';
import { nodeForPath } from '../core/prices/jsonLocation';
import { Disposable } from '../dispose';
import type { Log } from './log';
import { reportProblems } from './log';

/** A price file larger than this is refused rather than parsed (a cloned repo could hold anything). */
const MAX_PRICE_FILE_BYTES = 2 * 1024 * 1024;

export class PriceTableSource extends Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('tokenCost');
  /** One per price-table file named in settings (several in a multi-root workspace). */
  private readonly watchers: vscode.FileSystemWatcher[] = [];
  /** Validated on first use, not during activation. */
  private layered?: LayeredTable;
  private lastNotified = '';
  private generation = 0;

  constructor(
    private readonly settings: Settings,
    private readonly output: Log,
  ) {
    super();
    this._register(
      this.diagnostics,
      settings.onDidChange(() => void this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
  }

  private get table(): LayeredTable {
    this.layered ??= layerPriceTables([]);
    return this.layered;
  }

  get models(): readonly ModelEntry[] {
    return this.table.models;
  }

  get problemCount(): number {
    return this.table.errors.length + this.settings.current.problems.length;
  }

  async reload(): Promise<void> {
    const gen = ++this.generation;
    const cfg = this.settings.current;
    const trusted = vscode.workspace.isTrusted;
    const layers: PriceLayer[] = [{ origin: vscode.l10n.t('user settings (tokenCost.prices)'), input: cfg.userPrices }];
    const notes: string[] = [];
    if (trusted) for (const input of cfg.workspacePrices) layers.push({ origin: vscode.l10n.t('workspace settings (tokenCost.prices)'), input });
    else if (await untrustedWorkspaceSetsPrices()) {
      if (gen !== this.generation) return;
      notes.push(vscode.l10n.t('This workspace is not trusted: its price entries and price-table file are ignored. User settings and the shipped prices still apply.'));
    }

    this.diagnostics.clear();
    for (const w of this.watchers.splice(0)) w.dispose();
    const fileLayers: { uri: vscode.Uri; text: string; root?: Node }[] = [];
    const files = trusted ? this.settings.priceTableFiles() : [];
    for (const file of files) {
      const uri = resolveWorkspacePath(file.path, file.base);
      if (!uri) {
        notes.push(vscode.l10n.t('tokenCost.priceTableFile is set but no workspace folder is open.'));
        continue;
      }
      this.watch(uri);
      const read = await readPriceFile(uri);
      if (gen !== this.generation) return;
      if ('error' in read) {
        notes.push(`${uri.fsPath}: ${read.error}`);
        this.diagnostics.set(uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), read.error, vscode.DiagnosticSeverity.Error)]);
        continue;
      }
      fileLayers.push({ uri, text: read.text, root: read.root });
      if (read.parseErrors.length) {
        this.diagnostics.set(uri, read.parseErrors);
        notes.push(vscode.l10n.t('{0}: not valid JSON; see the Problems panel', uri.fsPath));
      } else layers.push({ origin: uri.fsPath, input: read.value });
    }

    // A price entry may name one of the user's own tokenizers (tokenCost.tokenizers, trusted as settings are).
    this.layered = layerPriceTables(layers, undefined, new Set(cfg.tokenizers.map((t) => t.entry.id)));
    for (const fileLayer of fileLayers) {
      // Only a file that parsed gets entry-level diagnostics; otherwise its syntax errors above must stay.
      if (!fileLayer.root || this.diagnostics.has(fileLayer.uri)) continue;
      const root = fileLayer.root;
      const fileErrors = this.table.errors.filter((e) => e.origin === fileLayer.uri.fsPath);
      const doc = { positionAt: offsetToPosition(fileLayer.text) };
      this.diagnostics.set(
        fileLayer.uri,
        fileErrors.map((e) => {
          const node = nodeForPath(root, e.path);
          const range = node ? new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length)) : new vscode.Range(0, 0, 0, 0);
          const d = new vscode.Diagnostic(range, e.model ? `${e.model}: ${e.message}` : e.message, vscode.DiagnosticSeverity.Error);
          d.source = 'Token Cost';
          d.code = e.path;
          return d;
        }),
      );
    }
    const fileOrigins = new Set(fileLayers.map((f) => f.uri.fsPath));
    this.report([...cfg.problems, ...notes, ...this.table.errors.filter((e) => !fileOrigins.has(e.origin)).map((e) => `${e.origin}: ${e.path}${e.model ? ` (${e.model})` : ''}: ${e.message}`)]);
    this.emitter.fire();
  }

  private watch(uri: vscode.Uri): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, vscode.workspace.asRelativePath(uri, false)));
    const again = () => void this.reload();
    watcher.onDidChange(again);
    watcher.onDidCreate(again);
    watcher.onDidDelete(again);
    this.watchers.push(watcher);
  }

  private report(lines: string[]): void {
    const key = lines.join('\n');
    // Logged on every reload, notified once per distinct set of problems.
    if (lines.length && key !== this.lastNotified) {
      reportProblems(this.output, vscode.l10n.t('Price table: {0} problem(s)', lines.length), lines, vscode.l10n.t('Token Cost: {0} problem(s) in price settings; valid entries and the shipped prices are still used.', lines.length));
    } else if (lines.length) {
      this.output.warn([vscode.l10n.t('Price table: {0} problem(s)', lines.length), ...lines.map((l) => `  ${l}`)].join('\n'));
    }
    this.lastNotified = key;
  }

  override dispose(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
    super.dispose();
    this.emitter.dispose();
  }
}

/**
 * Whether the workspace's own settings name workspace prices or a price file. In an untrusted workspace VS Code hides
 * restricted settings' workspace values from the configuration API, so to tell the user why they are ignored the
 * settings files are read (as data, never executed).
 */
async function untrustedWorkspaceSetsPrices(): Promise<boolean> {
  const files = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
  const wsFile = vscode.workspace.workspaceFile;
  if (wsFile && wsFile.scheme !== 'untitled') files.push(wsFile);
  for (const uri of files) {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_PRICE_FILE_BYTES) continue;
      const value = parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as unknown;
      const settings = uri === wsFile ? (value as { settings?: unknown } | undefined)?.settings : value;
      if (typeof settings === 'object' && settings !== null && ('tokenCost.prices' in settings || 'tokenCost.priceTableFile' in settings)) return true;
    } catch {
      // no settings file, or unreadable: nothing to tell
    }
  }
  return false;
}

/** An absolute path as is; a relative one against the folder whose settings name it. */
function resolveWorkspacePath(p: string, base: vscode.Uri | undefined): vscode.Uri | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  return base && vscode.Uri.joinPath(base, p);
}

type PriceFile = { text: string; value: unknown; root?: Node; parseErrors: vscode.Diagnostic[] } | { error: string };

async function readPriceFile(uri: vscode.Uri): Promise<PriceFile> {
  let bytes: Uint8Array;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_PRICE_FILE_BYTES) return { error: vscode.l10n.t('price-table file is {0}, above the {1} limit; ignored', formatBytes(stat.size), formatBytes(MAX_PRICE_FILE_BYTES)) };
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    return { error: vscode.l10n.t('cannot read the price-table file: {0}', (e as Error).message) };
  }
  const text = new TextDecoder().decode(bytes);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  let value: unknown;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    value = root ? nodeValue(root) : undefined;
  } catch (e) {
    // Deeply nested junk (thousands of brackets) exhausts the parser's stack: report it, never throw.
    return { error: e instanceof RangeError ? vscode.l10n.t('price-table file is nested too deeply to parse; ignored') : vscode.l10n.t('price-table file could not be parsed: {0}', (e as Error).message) };
  }
  const at = offsetToPosition(text);
  const parseErrors = errors.map((e) => new vscode.Diagnostic(new vscode.Range(at(e.offset), at(e.offset + Math.max(1, e.length))), vscode.l10n.t('JSON syntax error'), vscode.DiagnosticSeverity.Error));
  return { text, value, root, parseErrors };
}

/** The value of a parse tree (comments and trailing commas allowed, as in VS Code's own JSON files). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      // defineProperty, so a "__proto__" key stays data (as with JSON.parse) instead of replacing the prototype.
      for (const p of node.children ?? []) {
        if (p.children?.length === 2) Object.defineProperty(o, String(p.children[0].value), { value: nodeValue(p.children[1]), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function offsetToPosition(text: string): (offset: number) => vscode.Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, offset - starts[lo]);
  };
}
