// The panel's data in two parts: the models with their price lists (per 1M tokens, pricing fields only, so the
// webview prices past dates and projections itself), rebuilt only when the price table or the currency settings
// change; and the current text's counts and costs, built on every edit. The webview joins them by model id.
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';
import type { CostService } from '../services/costService';
import { perMillion, pickList } from '../core/cost';
import { ESTIMATE_RULES } from '../core/tokenizers/estimates';
import { pricesAsOf } from '../core/prices/asOf';
import { defaultTableInfo } from '../core/prices/priceTable';
import { pricesAsOfText } from '../services/priceUpdates';
import type { EstimateTokenizerId, HistoricalPrice, ModelEntry, OffPeakWindow } from '../core/prices/types';
import type { DisplayCurrency } from '../core/money';
import type { LiveCounts } from '../live/liveCounts';
import type { ContextSummary } from '../core/context/contextCost';
import { documentOfKey } from '../live/measure';
import { joinSnapshot, type PanelContextFiles, type PanelCount, type PanelModel, type PanelPriceList, type PanelPrices, type PanelSnapshot, type PanelUpdate } from './protocol';
import { formatBytes } from '../core/textInput';

export interface PanelParts {
  prices: PanelPrices;
  update: PanelUpdate;
}

/** Where the context files come from (ContextFiles): the file they were found for, and their counts on a model. */
export interface PanelContextSource {
  current(): { folderUri: string; target: string } | undefined;
  summary(model: ModelEntry): ContextSummary | undefined;
}

export class PanelData {
  private updateVersion = 0;
  private pricesVersion = 0;
  private cached?: { models: readonly ModelEntry[]; currency: DisplayCurrency; exchangeRate: number; prices: PanelPrices };

  constructor(
    private readonly live: LiveCounts,
    private readonly service: CostService,
    private readonly settings: Settings,
    private readonly context?: PanelContextSource,
  ) {}

  /** The prices and, priced with them, the current text's numbers. */
  parts(): PanelParts {
    const prices = this.prices();
    return { prices, update: this.update(prices.version) };
  }

  /** Both joined: what the panel shows (the extension's API returns it). */
  snapshot(): PanelSnapshot {
    const { prices, update } = this.parts();
    return joinSnapshot(prices, update) as PanelSnapshot; // same version by construction
  }

  /** The same object (and version) until the models or the currency settings change. */
  prices(): PanelPrices {
    const models = this.service.models;
    const { currency, exchangeRate } = this.settings.current;
    const c = this.cached;
    if (c && c.currency === currency && c.exchangeRate === exchangeRate && sameEntries(c.models, models)) return c.prices;
    // The panel lists every model with a current price: the age is over all of them (the table's stalest price).
    const age = pricesAsOfText(pricesAsOf({ updated: defaultTableInfo().updated, models }, models.filter((m) => m.prices.length > 0).map((m) => m.id)));
    const prices: PanelPrices = { models: models.map((m) => panelModel(m, currency)), exchangeRate, currency, version: ++this.pricesVersion, asOf: { text: age.asOf, ...(age.stale ? { stale: age.stale } : {}) } };
    this.cached = { models, currency, exchangeRate, prices };
    return prices;
  }

  private update(pricesVersion: number): PanelUpdate {
    const cfg = this.settings.current;
    const state = this.live.state();
    const m = state.measurement;
    const base = { outputTokens: cfg.outputTokens, cacheHitShare: cfg.cacheHitShare, version: ++this.updateVersion, pricesVersion };
    if (!m) return { ...base, documentName: '', scope: 'document', characters: 0, rows: [], message: vscode.l10n.t('Open a file to compare models.') };
    if (!m.ok) {
      const message =
        m.reason === 'binary'
          ? vscode.l10n.t('{0} looks binary (contains NUL characters); it is not counted.', m.documentName)
          : vscode.l10n.t('{0} is {1}, above tokenCost.maxFileSize. Use “Count This Large File Anyway” from the status bar to count it once.', m.documentName, formatBytes(m.bytes));
      return { ...base, documentName: m.documentName, scope: 'document', characters: 0, rows: [], message };
    }
    const service = this.service;
    const models = service.models;
    const tokenizers = service.tokenizersOf(models);
    if (!state.fresh || tokenizers.some((t) => !state.counts.has(t))) {
      // The worker is counting (results arrive through onDidChange); never show the previous text's numbers as these.
      this.live.ensure(tokenizers);
      return { ...base, documentName: m.documentName, scope: m.scope, characters: 0, rows: [], message: vscode.l10n.t('Counting {0}…', m.documentName) };
    }
    const cny = service.price(state.counts, models, 'CNY');
    const usd = new Map(service.price(state.counts, models, 'USD').map((r) => [r.model.id, r]));
    const defaultId = service.defaultModel().model.id;
    const followed = new Set(service.focusModels().map((x) => x.id));
    const rows: PanelCount[] = [];
    for (const r of cny) {
      const u = usd.get(r.model.id);
      if (!u) continue;
      rows.push({
        id: r.model.id,
        tokens: r.tokens,
        exact: r.exact,
        contextUse: r.contextUse,
        costs: {
          CNY: { input: r.cost.inputCost, output: r.cost.outputCost, total: r.cost.totalCost, converted: r.cost.converted },
          USD: { input: u.cost.inputCost, output: u.cost.outputCost, total: u.cost.totalCost, converted: u.cost.converted },
        },
        isDefault: r.model.id === defaultId,
        followed: followed.has(r.model.id),
      });
    }
    const contextFiles = this.contextFiles(m.key);
    return { ...base, documentName: m.documentName, scope: m.scope, characters: state.characters ?? 0, rows, ...(contextFiles ? { contextFiles } : {}) };
  }

  /**
   * The applying context files' tokens per tokenizer counted (the default and followed models'), when they were found
   * for the compared document: ContextFiles follows the active editor, the panel the last text editor.
   */
  private contextFiles(measurementKey: string): PanelContextFiles | undefined {
    const s = this.context?.current();
    const doc = documentOfKey(measurementKey);
    if (!this.context || !s || doc === undefined || !doc.startsWith(`${s.folderUri}/`) || decoded(doc.slice(s.folderUri.length + 1)) !== s.target) return undefined;
    const tokens: PanelContextFiles['tokens'] = {};
    let files = 0;
    for (const model of this.service.focusModels()) {
      if (tokens[model.tokenizer]) continue;
      const summary = this.context.summary(model);
      // Not counted yet on this tokenizer: left out, never a 0.
      if (!summary || summary.files === 0) continue;
      files = summary.files;
      tokens[model.tokenizer] = { tokens: summary.totalTokens, exact: summary.exact };
    }
    return files > 0 ? { target: s.target, files, tokens } : undefined;
  }
}

/** A model with its lists, as the panel shows it in the currency setting. */
export function panelModel(m: ModelEntry, currency: DisplayCurrency): PanelModel {
  const list = pickList(m, currency) ?? m.prices[0];
  return {
    id: m.id,
    vendor: m.vendor,
    name: m.name,
    tokenizer: m.tokenizer,
    estimateBasis: ESTIMATE_RULES[m.tokenizer as EstimateTokenizerId]?.basis,
    contextWindow: m.contextWindow,
    native: m.prices[0].currency,
    priceDate: list.effectiveDate,
    source: list.source,
    prices: m.prices.map((l) => panelList(l, true)),
    history: (m.history ?? []).map((l) => panelList(l, false)),
    ...(m.scheduled?.length ? { scheduled: m.scheduled.map((l) => panelList(l, true)) } : {}),
  };
}

function decoded(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function sameEntries(a: readonly ModelEntry[], b: readonly ModelEntry[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

/** A list per 1M tokens with only what pricing and the history need. */
export function panelList(l: HistoricalPrice, current: boolean): PanelPriceList {
  const m = (v: number | undefined) => (v === undefined ? undefined : perMillion(v, l.unit));
  const out: PanelPriceList = { currency: l.currency, input: m(l.input) as number, output: m(l.output) as number, effectiveDate: l.effectiveDate, source: l.source };
  if (l.cachedInput !== undefined) out.cachedInput = m(l.cachedInput);
  if (l.tiers?.length) out.tiers = l.tiers.map((t) => withoutUndefined({ above: t.above, input: m(t.input) as number, output: m(t.output) as number, cachedInput: m(t.cachedInput) }));
  if (current && l.offPeak?.length) out.offPeak = l.offPeak.map((w) => offPeakPerMillion(w, m));
  if (l.validUntil !== undefined) out.validUntil = l.validUntil;
  if (l.label !== undefined) out.label = l.label;
  if (l.note !== undefined) out.note = l.note;
  return out;
}

function offPeakPerMillion(w: OffPeakWindow, m: (v: number | undefined) => number | undefined): OffPeakWindow {
  return withoutUndefined({ timezone: w.timezone, start: w.start, end: w.end, days: w.days, multiplier: w.multiplier, input: m(w.input), output: m(w.output), cachedInput: m(w.cachedInput) });
}

function withoutUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
