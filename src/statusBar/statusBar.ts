// The status bar item: tokens and cost of the selection or document for the default model; its tooltip compares
// the followed models; a click opens the panel. Warning colours when the text exceeds the context window.
import * as vscode from 'vscode';
import type { ChatCount } from '../core/chat/chatFormat';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';
import { formatBytes } from '../core/textInput';
import { formatCount, formatMoney } from '../core/money';
import { comparisonTable, escapeMarkdown } from '../core/summary';
import { summaryLabels } from '../services/labels';
import type { LiveCounts } from '../live/liveCounts';
import type { PriceTableSource } from '../services/priceTableSource';
import { Commands, STATUS_ITEM_ID } from '../constants';
import { Disposable } from '../dispose';

/** A count slower than this shows a spinner instead of leaving the previous numbers unmarked. */
const SPINNER_DELAY_MS = 200;

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  private spinnerTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly live: LiveCounts,
    private readonly service: CostService,
    private readonly prices: PriceTableSource,
  ) {
    super();
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Token Cost');
    this._register(this.item, live.onDidChange(() => this.update()), { dispose: () => clearTimeout(this.spinnerTimer) });
  }

  state(): { text: string; tooltip: string; visible: boolean } {
    const t = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof t === 'string' ? t : (t?.value ?? ''), visible: this.visible };
  }

  private visible = false;

  update(): void {
    const state = this.live.state();
    const m = state.measurement;
    const item = this.item;
    if (!m) {
      this.hide();
      return;
    }
    item.backgroundColor = undefined;
    if (!m.ok) {
      item.text = `$(symbol-numeric) ${m.reason === 'binary' ? vscode.l10n.t('binary file') : vscode.l10n.t('{0}: too large', formatBytes(m.bytes))}`;
      const tip = new vscode.MarkdownString(
        m.reason === 'binary'
          ? vscode.l10n.t('**Token Cost** does not count {0}: it looks binary (contains NUL characters).', escapeMarkdown(m.documentName))
          : vscode.l10n.t('**Token Cost**: {0} is {1}, above `tokenCost.maxFileSize`. Click to count it once anyway.', escapeMarkdown(m.documentName), formatBytes(m.bytes)),
      );
      item.tooltip = tip;
      item.command = m.reason === 'binary' ? undefined : { command: Commands.countAnyway, title: vscode.l10n.t('Count This Large File Anyway') };
      this.show();
      return;
    }
    const focus = this.service.focusModels();
    const { model: def, unknownSetting } = this.service.defaultModel();
    const rows = this.service.price(state.counts, focus);
    const row = rows.find((r) => r.model === def);
    clearTimeout(this.spinnerTimer);
    if (!state.fresh || !row) {
      // Counting: the previous numbers stay for a moment, then are marked as out of date; never shown as current.
      const show = () => {
        item.text = row ? `$(sync~spin) ${row.exact ? '' : '≈'}${formatCount(row.tokens, localeOf())} · ${def.name}` : `$(sync~spin) ${vscode.l10n.t('counting…')}`;
        item.tooltip = state.error ? vscode.l10n.t('Token Cost: counting failed: {0}', state.error) : vscode.l10n.t('Token Cost: counting {0}…', m.documentName);
        item.backgroundColor = undefined;
        this.show();
      };
      if (!row || state.error) show();
      else this.spinnerTimer = setTimeout(show, SPINNER_DELAY_MS);
      return;
    }
    const locale = localeOf();
    item.text = `$(symbol-numeric) ${row.exact ? '' : '≈'}${formatCount(row.tokens, locale)} · ${formatMoney(row.cost.totalCost, row.cost.currency, locale)} · ${def.name}`;
    const over = row.contextUse > 1;
    if (over) item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    item.accessibilityInformation = {
      label: vscode.l10n.t('{0} tokens, {1}, {2}{3}', formatCount(row.tokens, locale), formatMoney(row.cost.totalCost, row.cost.currency, locale), def.name, over ? vscode.l10n.t(', longer than the context window') : ''),
      role: 'button',
    };
    const scope = m.scope === 'selection' ? vscode.l10n.t('selection') : vscode.l10n.t('document');
    const lines = [
      `**${vscode.l10n.t('Token Cost')}** · ${escapeMarkdown(m.documentName)} · ${scope} · ${vscode.l10n.t('{0} characters', formatCount(state.characters ?? 0, locale))}`,
      '',
      comparisonTable(rows, summaryLabels(), { locale, highlightId: def.id, detailed: false }),
    ];
    if (over) lines.push('', `$(warning) ${vscode.l10n.t('{0} tokens exceed {1}’s context window of {2}.', formatCount(row.tokens, locale), escapeMarkdown(def.name), formatCount(def.contextWindow, locale))}`);
    const fallback = state.counts.get(def.tokenizer)?.fallback;
    if (fallback) lines.push('', `$(warning) ${vscode.l10n.t('{0}; this is a rough estimate.', escapeMarkdown(fallback))}`);
    const chat = state.counts.get(def.tokenizer) as Partial<ChatCount> | undefined;
    if (chat?.messages !== undefined && m.scope === 'document') {
      const how = chat.overheadKnown ? vscode.l10n.t('from the vendor’s chat template') : vscode.l10n.t('estimated (≈)');
      lines.push('', `$(comment-discussion) ${vscode.l10n.t('Chat format: {0} messages; {1} tokens of per-message overhead included, {2}.', formatCount(chat.messages, locale), formatCount(chat.overheadTokens ?? 0, locale), how)}`, '', `*${escapeMarkdown(chat.basis ?? '')}*`);
    }
    if (unknownSetting) lines.push('', `$(warning) ${vscode.l10n.t('Unknown model “{0}” in tokenCost.defaultModel; showing {1}.', escapeMarkdown(unknownSetting), escapeMarkdown(def.name))}`);
    if (this.prices.problemCount) lines.push('', `$(warning) [${vscode.l10n.t('{0} problem(s) in price settings', this.prices.problemCount)}](command:tokenCost.showProblems)`);
    lines.push('', `[${vscode.l10n.t('Open comparison')}](command:tokenCost.openPanel) · [${vscode.l10n.t('Change default model')}](command:tokenCost.selectDefaultModel)`);
    const tip = new vscode.MarkdownString(lines.join('\n'), true);
    // Only our own commands are linkable from the tooltip.
    tip.isTrusted = { enabledCommands: [Commands.openPanel, Commands.selectDefaultModel, Commands.showProblems] };
    item.tooltip = tip;
    item.command = { command: Commands.openPanel, title: vscode.l10n.t('Open Comparison Panel') };
    this.show();
  }

  private show(): void {
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }

  override dispose(): void {
    super.dispose();
  }
}
