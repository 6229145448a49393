// "Token Cost: Show Tokens": paints the default model's tokens in the active editor (the selection, or around the
// visible range), alternating theme colours, with a hover per token. Tokenizes on the host, but only a bounded
// window (./tokenPlan.ts), so a 10 MB file costs what its visible screen costs.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { Colors, Commands } from '../constants';
import type { CostService } from '../services/costService';
import type { Log } from '../services/log';
import type { ExactTokenizerId, ModelEntry } from '../core/prices/types';
import { findModel } from '../core/prices/priceTable';
import { isExactTokenizer } from '../core/tokenizers/tokenizerIds';
import { ESTIMATE_RULES } from '../core/tokenizers/estimates';
import type { EstimateTokenizerId } from '../core/prices/types';
import { ExactTokenizers } from '../core/tokenizers/exactTokenizers';
import { tableOf } from '../core/tokenizers/rankTable';
import { hexBytes } from '../core/tokenizers/tokenSpans';
import type { TokenSpan } from '../core/tokenizers/tokenSpans';
import { DEFAULT_LIMITS, paint, planWindow, tokenizeWindow, tokensAt } from './tokenPlan';
import type { PlanLimits, TokenPlan } from './tokenPlan';

/** Quiet time after scrolling, selecting or typing before the tokens are planned again. */
const DEBOUNCE_MS = 100;

/** A rank table's bytes by file name, read asynchronously (vscode.workspace.fs in a browser). */
export type TableReader = (file: ExactTokenizerId) => Promise<Uint8Array>;

interface Shown {
  editor: vscode.TextEditor;
  model: ModelEntry;
  tokenizer: ExactTokenizerId;
  plan?: TokenPlan;
  /** Document version and bounds the plan was made for. */
  version: number;
  bounds: [number, number];
}

export class ShowTokens extends Disposable {
  private readonly tokenizers: ExactTokenizers;
  /** Set when tables are read asynchronously: their bytes wait here until ExactTokenizers decodes (copies) them. */
  private readonly read?: TableReader;
  private readonly bytes = new Map<ExactTokenizerId, Uint8Array>();
  /** A table being read for a toggle: a second toggle meanwhile does nothing. */
  private reading = false;
  private readonly types: { even: vscode.TextEditorDecorationType; odd: vscode.TextEditorDecorationType; shared: vscode.TextEditorDecorationType };
  private shown: Shown | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hover: vscode.Disposable | undefined;
  private listeners: vscode.Disposable[] = [];
  /** The last text editor that had focus: the panel's toggle runs while the panel, not an editor, is focused. */
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor(
    private readonly service: CostService,
    /** The folder of `<id>.bin` tables, read synchronously (Node), or an asynchronous reader (any host). */
    tables: string | TableReader,
    private readonly log: Log,
    private readonly limits: PlanLimits = DEFAULT_LIMITS,
  ) {
    super();
    if (typeof tables === 'string') this.tokenizers = new ExactTokenizers(tables);
    else {
      this.read = tables;
      this.tokenizers = new ExactTokenizers((file) => {
        const b = this.bytes.get(file);
        if (!b) throw new Error(`${file}.bin was not read`);
        return b;
      });
    }
    const border = (id: string): vscode.DecorationRenderOptions => ({ borderColor: new vscode.ThemeColor(id), borderStyle: 'solid', borderWidth: '1px' });
    this.types = {
      even: this._register(vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor(Colors.tokenBackground1), ...border(Colors.tokenBorder1) })),
      odd: this._register(vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor(Colors.tokenBackground2), ...border(Colors.tokenBorder2) })),
      shared: this._register(
        vscode.window.createTextEditorDecorationType({ backgroundColor: new vscode.ThemeColor(Colors.tokenSharedBackground), borderColor: new vscode.ThemeColor(Colors.tokenSharedBorder), borderStyle: 'dashed', borderWidth: '0 0 2px 0' }),
      ),
    };
    this._register({ dispose: () => this.clear() });
    this._register(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.lastEditor = e;
      }),
    );
  }

  /** Whether tokens are shown, and in which editor (for tests and the API). */
  get showing(): { editor: vscode.TextEditor; tokenizer: ExactTokenizerId; plan?: TokenPlan } | undefined {
    return this.shown;
  }

  /**
   * The command: shows the tokens in the active editor, or clears them if shown. `arg` may name a model
   * (`{ modelId }`, from the panel); otherwise the default model's tokenizer is used.
   */
  toggle(arg?: unknown): void {
    if (this.reading) return;
    if (this.shown) {
      this.clear();
      return;
    }
    const visible = vscode.window.visibleTextEditors;
    const editor = vscode.window.activeTextEditor ?? (this.lastEditor && visible.includes(this.lastEditor) ? this.lastEditor : visible[0]);
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Show Tokens: open a file in an editor first.'));
      return;
    }
    const model = this.modelFor(arg);
    if (!model) return;
    if (!isExactTokenizer(model.tokenizer)) {
      const rule = ESTIMATE_RULES[model.tokenizer as EstimateTokenizerId];
      const pick = vscode.l10n.t('Select Default Model');
      const why = vscode.l10n.t('Show Tokens: {0} is counted with an estimate, because its tokenizer is not public, so there are no real tokens to show. {1}', model.name, rule?.basis ?? '');
      void vscode.window.showInformationMessage(why, pick).then((p) => {
        if (p === pick) void vscode.commands.executeCommand(Commands.selectDefaultModel);
      });
      return;
    }
    const tokenizer = model.tokenizer;
    const file = tableOf(tokenizer).file;
    if (this.read && !this.tokenizers.isLoaded(tokenizer) && !this.bytes.has(file)) {
      // Read first (asynchronously), then show as below; the editor may have changed meanwhile, so look again.
      this.reading = true;
      this.read(file).then(
        (bytes) => {
          this.reading = false;
          this.bytes.set(file, bytes);
          if (!this.shown) this.start(vscode.window.activeTextEditor ?? editor, model, tokenizer);
        },
        (e: Error) => {
          this.reading = false;
          this.loadFailed(tokenizer, e);
        },
      );
      return;
    }
    this.start(editor, model, tokenizer);
  }

  private loadFailed(tokenizer: ExactTokenizerId, e: Error): void {
    this.log.error(`Show Tokens: ${e.message}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Show Tokens: the {0} tokenizer could not be loaded ({1}).', tokenizer, e.message));
  }

  private start(editor: vscode.TextEditor, model: ModelEntry, tokenizer: ExactTokenizerId): void {
    try {
      // The id → bytes table is built here, once, rather than inside the first plan's time budget.
      this.tokenizers.get(tokenizer).tokenBytes(0);
    } catch (e) {
      this.loadFailed(tokenizer, e as Error);
      return;
    } finally {
      // Decoded tables hold their own copy: the file's bytes are not kept.
      this.bytes.delete(tableOf(tokenizer).file);
    }
    this.shown = { editor, model, tokenizer, version: -1, bounds: [0, 0] };
    this.listeners = [
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => e.textEditor === this.shown?.editor && this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === this.shown?.editor && this.schedule()),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === this.shown?.editor.document && e.contentChanges.length > 0 && this.schedule()),
      vscode.window.onDidChangeActiveTextEditor((e) => this.follow(e)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (this.shown && !editors.includes(this.shown.editor)) this.clear();
      }),
    ];
    this.hover = vscode.languages.registerHoverProvider({ scheme: editor.document.uri.scheme }, { provideHover: (doc, pos) => this.hoverAt(doc, pos) });
    this.render();
    const plan = this.shown?.plan;
    if (plan) void vscode.window.setStatusBarMessage(vscode.l10n.t('$(symbol-string) Showing {0} tokens of {1} ({2}); run Show Tokens again to hide them.', plan.spans.length.toLocaleString(), model.name, tokenizer), 5000);
  }

  private modelFor(arg: unknown): ModelEntry | undefined {
    const id = typeof arg === 'object' && arg !== null && typeof (arg as { modelId?: unknown }).modelId === 'string' ? (arg as { modelId: string }).modelId : undefined;
    if (id) {
      const m = findModel(this.service.models, id);
      if (m) return m;
      void vscode.window.showWarningMessage(vscode.l10n.t('Show Tokens: unknown model “{0}”.', id));
      return undefined;
    }
    return this.service.defaultModel().model;
  }

  /** Focus moved: the tokens follow to the new editor; focus leaving editors (a panel) keeps them. */
  private follow(editor: vscode.TextEditor | undefined): void {
    const s = this.shown;
    if (!s || !editor || editor === s.editor) return;
    this.paintEditor(s.editor, undefined);
    this.shown = { ...s, editor, plan: undefined, version: -1 };
    this.hover?.dispose();
    this.hover = vscode.languages.registerHoverProvider({ scheme: editor.document.uri.scheme }, { provideHover: (doc, pos) => this.hoverAt(doc, pos) });
    this.render();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, DEBOUNCE_MS);
  }

  /** Plans and paints; keeps the current plan while it still covers the visible range and nothing changed. */
  private render(): void {
    const s = this.shown;
    if (!s) return;
    const { editor } = s;
    const doc = editor.document;
    const sel = editor.selection;
    const bounds: [number, number] = sel && !sel.isEmpty ? [doc.offsetAt(sel.start), doc.offsetAt(sel.end)] : [0, doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end)];
    const ranges = editor.visibleRanges.length ? editor.visibleRanges : [new vscode.Range(new vscode.Position(0, 0), new vscode.Position(Math.min(doc.lineCount - 1, 100), 0))];
    const visible: [number, number] = [doc.offsetAt(ranges[0].start), doc.offsetAt(doc.lineAt(ranges[ranges.length - 1].end.line).range.end)];
    const w = s.plan?.window;
    if (s.plan && s.version === doc.version && s.bounds[0] === bounds[0] && s.bounds[1] === bounds[1] && w && w.start <= Math.max(visible[0], bounds[0]) && Math.min(visible[1], bounds[1]) <= (s.plan.stoppedAt ?? w.end)) return;
    const textAt = (a: number, b: number) => doc.getText(new vscode.Range(doc.positionAt(a), doc.positionAt(b)));
    const window = planWindow(textAt, bounds, visible, this.limits);
    try {
      s.plan = tokenizeWindow(this.tokenizers.get(s.tokenizer), textAt(window.start, window.end), window, this.limits);
    } catch (e) {
      this.log.error(`Show Tokens: ${(e as Error).message}`);
      this.clear();
      return;
    }
    s.version = doc.version;
    s.bounds = bounds;
    this.paintEditor(editor, s.plan);
  }

  private paintEditor(editor: vscode.TextEditor, plan: TokenPlan | undefined): void {
    const p = paint(plan?.spans ?? []);
    const doc = editor.document;
    const toRanges = (list: [number, number][]) => list.map(([a, b]) => new vscode.Range(doc.positionAt(a), doc.positionAt(b)));
    editor.setDecorations(this.types.even, toRanges(p.even));
    editor.setDecorations(this.types.odd, toRanges(p.odd));
    editor.setDecorations(this.types.shared, toRanges(p.shared));
  }

  private hoverAt(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const s = this.shown;
    const plan = s?.plan;
    if (!s || !plan || doc !== s.editor.document || doc.version !== s.version) return undefined;
    const at = doc.offsetAt(pos);
    const hits = tokensAt(plan.spans, at);
    if (hits.length === 0) return undefined;
    const md = new vscode.MarkdownString();
    hits.forEach((k, i) => {
      if (i > 0) md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(describeToken(doc, plan.spans[k], s));
      const edge = (k === 0 && !plan.window.exactStart) || (k === plan.spans.length - 1 && !plan.window.exactEnd);
      if (edge) md.appendMarkdown(`\n\n*${vscode.l10n.t('At the edge of the shown range, with no line start to cut at nearby: this token may differ in the whole text.')}*`);
    });
    const first = plan.spans[hits[0]];
    const last = plan.spans[hits[hits.length - 1]];
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(first.start), doc.positionAt(last.end)));
  }

  /** Removes the decorations, the hover and the listeners; the tokenizer table is released. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const l of this.listeners.splice(0)) l.dispose();
    this.hover?.dispose();
    this.hover = undefined;
    const s = this.shown;
    this.shown = undefined;
    if (s) {
      this.paintEditor(s.editor, undefined);
      this.tokenizers.release(s.tokenizer);
    }
  }
}

function describeToken(doc: vscode.TextDocument, t: TokenSpan, s: Shown): string {
  const chars = doc.getText(new vscode.Range(doc.positionAt(t.start), doc.positionAt(t.end)));
  const lines = [
    vscode.l10n.t('**Token** id `{0}` · {1} ({2})', String(t.id), s.tokenizer, escapeMarkdown(s.model.name)),
    `${vscode.l10n.t('Bytes')}: \`${hexBytes(t.bytes)}\``,
    `${vscode.l10n.t('Characters')}: \`${codeSafe(JSON.stringify(chars))}\`${[...chars].length <= 4 ? ' ' + [...chars].map((c) => 'U+' + (c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')).join(' ') : ''}`,
  ];
  if (t.partialStart || t.partialEnd) lines.push(`*${vscode.l10n.t('This token holds only part of a character’s UTF-8 bytes; the neighbouring token holds the rest.')}*`);
  if (t.normalized) lines.push(`*${vscode.l10n.t('These characters are NFC-normalised before tokenizing, as this tokenizer does: the bytes are the composed form’s.')}*`);
  return lines.join('  \n');
}

function codeSafe(s: string): string {
  return s.replace(/`/g, '\\u0060');
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
