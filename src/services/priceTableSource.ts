// The price table the extension uses: shipped defaults, then the opt-in refreshed table (tokenCost.priceUpdateUrl),
// then user settings, then (in trusted workspaces) workspace settings and the workspace price-table file (this
// project's format, or LiteLLM's, models.dev's or OpenRouter's). Problems are reported where the user can act on them: the Problems
// panel for the file, the output channel and one notification for settings. Never throws.
import * as vscode from 'vscode';
import { findNodeAtLocation, parse, parseTree } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { defaultModels, defaultTableInfo, layerPriceTables, mergeModels } from '../core/prices/priceTable';
import { importPriceFile } from '../core/prices/importPriceFile';
import type { ImportProblem } from '../core/prices/importPriceFile';
import { utcDay } from '../core/prices/inForce';
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
  /** The refreshed table's models (priceUpdates.ts), layered over the shipped ones; empty when none. */
  private refreshed: readonly ModelEntry[] = [];

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

  /** The shipped table's own date (`updated`), for "Prices as of". */
  get tableDate(): string | undefined {
    return defaultTableInfo().updated;
  }

  /** Sets the refreshed models (undefined: none) and rebuilds the table. */
  setRefreshed(models: readonly ModelEntry[] | undefined): Promise<void> {
    this.refreshed = models ?? [];
    return this.reload();
  }

  private base(): ModelEntry[] {
    return this.refreshed.length ? mergeModels(defaultModels(), this.refreshed) : defaultModels();
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
    const base = this.base();
    const fileLayers: { uri: vscode.Uri; text: string; root?: Node; imported: boolean }[] = [];
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
      if (read.parseErrors.length) {
        fileLayers.push({ uri, text: read.text, root: read.root, imported: false });
        this.diagnostics.set(uri, read.parseErrors);
        notes.push(vscode.l10n.t('{0}: not valid JSON; see the Problems panel', uri.fsPath));
        continue;
      }
      // Imports merge by id or alias with what is below them (shipped, refreshed and settings prices).
      const parsed = importPriceFile(read.value, uri.fsPath, { fileDate: read.fileDate, base: layerPriceTables(layers, base).models, override: file.override });
      const imported = parsed.format !== undefined && parsed.format !== 'token-cost';
      fileLayers.push({ uri, text: read.text, root: read.root, imported });
      if (!parsed.table) {
        const why = parsed.problems.map((p) => p.message).join('; ');
        notes.push(`${uri.fsPath}: ${why}`);
        this.diagnostics.set(uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), why, vscode.DiagnosticSeverity.Error)]);
        continue;
      }
      if (imported) {
        this.importDiagnostics(uri, read.text, read.root, parsed.problems);
        const kept = parsed.merged.filter((m) => m.winner === 'shipped').length;
        this.output.info(
          vscode.l10n.t('{0}: {1} file, {2} model(s) imported, {3} matching a shipped model kept its shipped price (tokenCost.priceTableFileOverrides), {4} field(s) not imported (see the Problems panel)', uri.fsPath, parsed.format ?? '', parsed.table.models.length, kept, parsed.problems.length),
        );
        for (const p of parsed.problems) this.output.warn(`  ${uri.fsPath}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
      }
      layers.push({ origin: uri.fsPath, input: parsed.table });
    }

    // A price entry may name one of the user's own tokenizers (tokenCost.tokenizers, trusted as settings are).
    this.layered = layerPriceTables(layers, base, new Set(cfg.tokenizers.map((t) => t.entry.id)));
    for (const fileLayer of fileLayers) {
      // Only a file that parsed gets entry-level diagnostics; otherwise its syntax errors above must stay.
      if (!fileLayer.root || (!fileLayer.imported && this.diagnostics.has(fileLayer.uri))) continue;
      const root = fileLayer.root;
      const fileErrors = this.table.errors.filter((e) => e.origin === fileLayer.uri.fsPath);
      const doc = { positionAt: offsetToPosition(fileLayer.text) };
      const earlier = fileLayer.imported ? [...(this.diagnostics.get(fileLayer.uri) ?? [])] : [];
      this.diagnostics.set(fileLayer.uri, [
        ...earlier,
        ...fileErrors.map((e) => {
          // A converted import's paths are in the converted table, not the file: those point at the file's start.
          const node = fileLayer.imported ? undefined : nodeForPath(root, e.path);
          const range = node ? new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length)) : new vscode.Range(0, 0, 0, 0);
          const d = new vscode.Diagnostic(range, e.model ? `${e.model}: ${e.message}` : e.message, vscode.DiagnosticSeverity.Error);
          d.source = 'Token Cost';
          d.code = e.path;
          return d;
        }),
      ]);
    }
    const fileOrigins = new Set(fileLayers.map((f) => f.uri.fsPath));
    this.report([...cfg.problems, ...notes, ...this.table.errors.filter((e) => !fileOrigins.has(e.origin)).map((e) => `${e.origin}: ${e.path}${e.model ? ` (${e.model})` : ''}: ${e.message}`)]);
    this.emitter.fire();
  }

  /** An imported file's unmapped fields, as warnings at their place in the file (they are skipped, never guessed). */
  private importDiagnostics(uri: vscode.Uri, text: string, root: Node | undefined, problems: readonly ImportProblem[]): void {
    const at = offsetToPosition(text);
    this.diagnostics.set(
      uri,
      problems.map((p) => {
        const node = root && nodeForImportPath(root, p.path);
        const range = node ? new vscode.Range(at(node.offset), at(node.offset + node.length)) : new vscode.Range(0, 0, 0, 0);
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Warning);
        d.source = 'Token Cost';
        d.code = p.path;
        return d;
      }),
    );
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

/** An import problem's path (`["gemini/gemini-2.5-pro"].input_cost_per_audio_token`, `data[0].pricing`) → its node, or its nearest ancestor. */
function nodeForImportPath(root: Node, path: string): Node | undefined {
  const segments: (string | number)[] = [];
  for (const m of path.matchAll(/\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]|([^.[\]]+)/g)) {
    segments.push(m[1] !== undefined ? (JSON.parse(m[1]) as string) : m[2] !== undefined ? Number(m[2]) : m[3]);
  }
  for (let n = segments.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, segments.slice(0, n));
    if (node) return node.parent?.type === 'property' && n === segments.length ? node.parent : node;
  }
  return undefined;
}

/** An absolute path as is; a relative one against the folder whose settings name it. */
function resolveWorkspacePath(p: string, base: vscode.Uri | undefined): vscode.Uri | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return vscode.Uri.file(p);
  return base && vscode.Uri.joinPath(base, p);
}

type PriceFile = { text: string; value: unknown; root?: Node; parseErrors: vscode.Diagnostic[]; fileDate?: string } | { error: string };

async function readPriceFile(uri: vscode.Uri): Promise<PriceFile> {
  let bytes: Uint8Array;
  let fileDate: string | undefined;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    // The modification day dates an imported file's prices ("checked" then); 0 means unknown.
    if (stat.mtime > 0) fileDate = utcDay(new Date(stat.mtime));
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
  return { text, value, root, parseErrors, fileDate };
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
