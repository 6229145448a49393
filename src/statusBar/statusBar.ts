// The status bar item: tokens and cost of the selection or document for the default model; its tooltip compares
// the followed models; a click opens the panel. Warning colours when the text exceeds the context window.
import * as vscode from 'vscode';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';
import { summaryLabels } from '../services/labels';
import type { LiveCounts, LiveState } from '../live/liveCounts';
import { documentOfKey } from '../live/measure';
import type { StatusView } from './statusBarView';
import { statusView } from './statusBarView';
import type { PriceTableSource } from '../services/priceTableSource';
import { pricesAsOfText } from '../services/priceUpdates';
import { pricesAsOf } from '../core/prices/asOf';
import { STATUS_ITEM_ID } from '../constants';
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
    this._register(
      this.item,
      // The models the item and its tooltip show, the default model's tokenizer first: its number comes first.
      live.register(() => service.tokenizersOf(service.focusModels()), { primary: true }),
      live.onDidChange(() => this.update()),
      { dispose: () => clearTimeout(this.spinnerTimer) },
    );
  }

  /** What the item shows now (the extension's test API reads it). */
  state(): { text: string; tooltip: string; visible: boolean; accessibilityLabel: string } {
    const t = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof t === 'string' ? t : (t?.value ?? ''), visible: this.visible, accessibilityLabel: this.item.accessibilityInformation?.label ?? '' };
  }

  private visible = false;
  /** The measurement key of the text whose numbers are on screen (document URI @ version : selections). */
  private shownKey?: string;

  update(): void {
    const state = this.live.state();
    const { model, unknownSetting } = this.service.defaultModel();
    const rows = state.measurement?.ok ? this.service.price(state.counts, this.service.focusModels()) : [];
    const view = statusView(
      { state, rows, defaultModel: model, unknownSetting, priceProblems: this.prices.problemCount, locale: localeOf(), labels: summaryLabels(), notes: [...this.notes(), ...this.noteProviders.flatMap((p) => p())] },
      vscode.l10n.t,
    );
    clearTimeout(this.spinnerTimer);
    // Counting with this document's number on screen: it stays a moment (typing is not a flicker of spinners), then
    // is marked. Another document's number is replaced at once.
    if (view.counting && this.visible && documentOfKey(state.measurement?.key) === documentOfKey(this.shownKey)) this.spinnerTimer = setTimeout(() => this.apply(view, state), SPINNER_DELAY_MS);
    else this.apply(view, state);
  }

  /** Extra tooltip lines: how old the shown models' prices are, and how to update them when stale. */
  private notes(): string[] {
    const a = pricesAsOf({ updated: this.prices.tableDate, models: this.prices.models }, this.service.focusModels().map((m) => m.id));
    const text = pricesAsOfText(a);
    return text.stale ? [text.asOf, `$(warning) ${text.stale}`] : [text.asOf];
  }

  /** Tooltip lines from other modules (the context files'), re-rendered when they change. */
  private readonly noteProviders: (() => string[])[] = [];

  addNotes(provider: () => string[], onDidChange: vscode.Event<void>): vscode.Disposable {
    this.noteProviders.push(provider);
    const sub = onDidChange(() => this.update());
    return {
      dispose: () => {
        sub.dispose();
        this.noteProviders.splice(this.noteProviders.indexOf(provider), 1);
      },
    };
  }

  /** Assigns every property of the item from one view, so none can be left from an earlier state. */
  private apply(view: StatusView, state: LiveState): void {
    const item = this.item;
    if (!view.visible) {
      this.hide();
      return;
    }
    item.text = view.text;
    const tip = new vscode.MarkdownString(view.tooltip, true);
    // Only our own commands are linkable from the tooltip.
    tip.isTrusted = view.trustedCommands.length ? { enabledCommands: view.trustedCommands } : false;
    item.tooltip = tip;
    item.accessibilityInformation = { label: view.accessibilityLabel, role: view.command ? 'button' : undefined };
    item.command = view.command;
    item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.shownKey = state.measurement?.key;
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
