// The comparison panel's extension side: one webview panel, fed by the extension through PanelContext: the price
// lists when the webview loads or they change, the current text's numbers on each change.
import * as vscode from 'vscode';
import { safeHttpsUrl } from './links';
import { joinSnapshot, parseFromWebview, type HistoryStrings, type PanelFocus, type PanelPrices, type PanelSnapshot, type PanelStrings, type PanelUpdate, type ToWebview } from './protocol';
import { Commands, Views } from '../constants';
import { Disposable } from '../dispose';

/** What the extension supplies; the panel owns no cost logic of its own. */
export interface PanelContext {
  extensionUri: vscode.Uri;
  /** Fires when the text, selection, settings or prices change. */
  onDidChange: vscode.Event<void>;
  /** The prices (the same version until they or the currency settings change) and the text's numbers priced with them. */
  data(): { prices: PanelPrices; update: PanelUpdate };
  /** Says what the panel needs counted while it is visible (every model's tokenizer); disposed when hidden or closed. */
  countWhileVisible(): vscode.Disposable;
  strings(): PanelStrings;
  locale(): string;
  openSource(modelId: string): void;
  setDefaultModel(modelId: string): void;
  copySummary(): void;
}

export class ComparisonPanel extends Disposable {
  static readonly viewType = Views.panel;
  private static instance: ComparisonPanel | undefined;

  static get current(): ComparisonPanel | undefined {
    return ComparisonPanel.instance;
  }

  /** Shows the one panel: reveals it where it is, or opens it beside the editor without taking focus. */
  static createOrShow(ctx: PanelContext): ComparisonPanel {
    const existing = ComparisonPanel.instance;
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ComparisonPanel.viewType,
      ctx.strings().title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(ctx.extensionUri), retainContextWhenHidden: false },
    );
    return new ComparisonPanel(panel, ctx);
  }

  /** Adopts a panel VS Code restored after a reload (from a WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, ctx: PanelContext): ComparisonPanel {
    ComparisonPanel.instance?.dispose(); // never two panels
    panel.webview.options = webviewOptions(ctx.extensionUri);
    return new ComparisonPanel(panel, ctx);
  }

  private disposed = false;
  private focus?: PanelFocus;
  /** A change arrived while hidden: post the latest snapshot when visible again. */
  private stale = false;
  /** The last data sent, joined, so requests from the webview can only name models it was shown. */
  private shown: PanelSnapshot | undefined;
  /** The prices the webview holds; undefined after it (re)loads, so they are sent again. */
  private sentPrices: PanelPrices | undefined;
  /** The registration of the panel's tokenizers with live counts, while visible. */
  private counting: vscode.Disposable | undefined;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: PanelContext,
  ) {
    super();
    ComparisonPanel.instance = this;
    panel.title = ctx.strings().title;
    panel.webview.html = this.html();
    this._register(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        this.countWhileVisible();
        if (panel.visible && this.stale) this.postUpdate();
      }),
      ctx.onDidChange(() => {
        if (panel.visible) this.postUpdate();
        else this.stale = true;
      }),
      { dispose: () => this.counting?.dispose() },
    );
    this.countWhileVisible();
  }

  private countWhileVisible(): void {
    if (this.panel.visible && !this.counting) this.counting = this.ctx.countWhileVisible();
    else if (!this.panel.visible && this.counting) {
      this.counting.dispose();
      this.counting = undefined;
    }
  }

  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (ComparisonPanel.instance === this) ComparisonPanel.instance = undefined;
    super.dispose();
    this.panel.dispose();
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) return;
    switch (msg.type) {
      case 'ready':
        // The webview (re)loaded: after a reload or after being hidden, since its context is not retained.
        this.post({ type: 'init', locale: this.ctx.locale(), strings: { ...this.ctx.strings(), ...historyStrings() } });
        this.sentPrices = undefined;
        this.postUpdate();
        if (this.focus) this.post({ type: 'focus', focus: this.focus });
        return;
      case 'clearFocus':
        this.focus = undefined;
        return;
      case 'openSource':
        if (msg.list !== undefined) this.openListSource(msg.modelId, msg.list);
        else if (this.knows(msg.modelId)) this.ctx.openSource(msg.modelId);
        return;
      case 'setDefaultModel':
        if (this.knows(msg.modelId)) this.ctx.setDefaultModel(msg.modelId);
        return;
      case 'copySummary':
        this.ctx.copySummary();
        return;
      case 'showTokens':
        void vscode.commands.executeCommand(Commands.showTokens);
        return;
    }
  }

  /** A history list's source: looked up in the snapshot this panel showed, opened only if it holds an https URL. */
  private openListSource(modelId: string, index: number): void {
    const row = this.shown?.rows.find((r) => r.id === modelId);
    const list = row ? [...row.history, ...row.prices][index] : undefined;
    const url = list && safeHttpsUrl(list.source);
    if (url) void vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  /** Shows only these models (cheapest first) until the user asks for all; kept across webview reloads. */
  focusOn(focus: PanelFocus): void {
    this.focus = focus;
    this.post({ type: 'focus', focus });
  }

  private knows(modelId: string): boolean {
    return this.shown?.rows.some((r) => r.id === modelId) ?? false;
  }

  private postUpdate(): void {
    this.stale = false;
    const { prices, update } = this.ctx.data();
    // Price lists only when they changed (or the webview has none): an edit sends only the text's numbers.
    if (prices.version !== this.sentPrices?.version) {
      this.sentPrices = prices;
      this.post({ type: 'prices', prices });
    }
    this.shown = joinSnapshot(prices, update);
    this.post({ type: 'update', update });
  }

  private post(message: ToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    // Web Crypto: the same in Node 20 and in a browser's extension host.
    const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'panel.css'));
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'webview.js'));
    return panelHtml({
      cspSource: webview.cspSource,
      nonce,
      styleUri: style.toString(),
      scriptUri: script.toString(),
      lang: this.ctx.locale(),
      title: this.ctx.strings().title,
    });
  }
}

/** Strings of the history, cost-at-date and projection sections (the rest come from PanelContext.strings). */
export function historyStrings(): HistoryStrings {
  return {
    historyOf: vscode.l10n.t('Price history of {0}'),
    showHistory: vscode.l10n.t('History'),
    details: vscode.l10n.t('Details'),
    sortBy: vscode.l10n.t('Sort by'),
    showAllModels: vscode.l10n.t('Show all models'),
    historyDate: vscode.l10n.t('From'),
    historyVersion: vscode.l10n.t('Version'),
    historyCached: vscode.l10n.t('Cache hit'),
    historyNote: vscode.l10n.t('Note'),
    historyPoint: vscode.l10n.t('{0}: input {1}, output {2} per 1M tokens'),
    historyKeys: vscode.l10n.t('Arrow keys move between price changes.'),
    historyNone: vscode.l10n.t('No price history for this model.'),
    historyUnit: vscode.l10n.t('Prices per 1M tokens, in {0}'),
    free: vscode.l10n.t('free'),
    atDate: vscode.l10n.t('Cost on date'),
    atDateClear: vscode.l10n.t('Clear date'),
    atDateColumn: vscode.l10n.t('Total on {0}'),
    notReleased: vscode.l10n.t('No price yet on {0}'),
    dateOutOfRange: vscode.l10n.t('Dates run from {0} to {1}; showing {2}.'),
    projectionTitle: vscode.l10n.t('Volume projection'),
    callsPerDay: vscode.l10n.t('Calls per day'),
    outputPerCall: vscode.l10n.t('Output tokens per call'),
    cacheHitPercent: vscode.l10n.t('Cache hits (% of input)'),
    perDay: vscode.l10n.t('Per day'),
    perMonth: vscode.l10n.t('Per month (30 days)'),
    cacheSaving: vscode.l10n.t('Saved by cache hits per month'),
    offPeakSaving: vscode.l10n.t('Saved off-peak per month'),
    projectionNote: vscode.l10n.t('List prices, with the current text as each call’s input (counted for each model); a month is 30 days. Savings: the cache-hit share against no cache hits, and every call in the model’s cheapest off-peak window against list prices.'),
    noCachePrice: vscode.l10n.t('no cache-hit price'),
    noOffPeak: vscode.l10n.t('no off-peak prices'),
    inputTooLow: vscode.l10n.t('{0}: at least {1}.'),
    inputTooHigh: vscode.l10n.t('{0}: at most {1}.'),
    inputNotNumber: vscode.l10n.t('{0}: enter a number; using {1}.'),
  };
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export interface PanelHtmlParts {
  cspSource: string;
  nonce: string;
  styleUri: string;
  scriptUri: string;
  lang: string;
  title: string;
}

/** The page shell. Data never goes here: the webview renders snapshots from messages, as text. */
export function panelHtml(p: PanelHtmlParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource}`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  const lang = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(p.lang) ? p.lang : 'en';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(p.styleUri)}">
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${escapeHtml(p.nonce)}" src="${escapeHtml(p.scriptUri)}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
