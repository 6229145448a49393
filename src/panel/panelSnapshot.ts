// Builds the panel's snapshot: every model with a current price, costs in both currencies, and its price lists (per
// 1M tokens, pricing fields only) so the webview prices past dates and projections itself, without a round trip.
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';
import type { CostService } from '../services/costService';
import { perMillion, pickList } from '../core/cost';
import { ESTIMATE_RULES } from '../core/tokenizers/estimates';
import type { EstimateTokenizerId, HistoricalPrice, OffPeakWindow } from '../core/prices/types';
import type { LiveCounts } from '../live/liveCounts';
import type { PanelPriceList, PanelRow, PanelSnapshot } from './protocol';
import { formatBytes } from '../core/textInput';

let version = 0;

export function buildSnapshot(live: LiveCounts, service: CostService, settings: Settings): PanelSnapshot {
  const cfg = settings.current;
  const state = live.state();
  const m = state.measurement;
  const base = {
    outputTokens: cfg.outputTokens,
    cacheHitShare: cfg.cacheHitShare,
    exchangeRate: cfg.exchangeRate,
    currency: cfg.currency,
    version: ++version,
  };
  if (!m) return { ...base, documentName: '', scope: 'document', characters: 0, rows: [], message: vscode.l10n.t('Open a file to compare models.') };
  if (!m.ok) {
    const message =
      m.reason === 'binary'
        ? vscode.l10n.t('{0} looks binary (contains NUL characters); it is not counted.', m.documentName)
        : vscode.l10n.t('{0} is {1}, above tokenCost.maxFileSize. Use “Count This Large File Anyway” from the status bar to count it once.', m.documentName, formatBytes(m.bytes));
    return { ...base, documentName: m.documentName, scope: 'document', characters: 0, rows: [], message };
  }
  const models = service.models;
  const tokenizers = service.tokenizersOf(models);
  if (!state.fresh || tokenizers.some((t) => !state.counts.has(t))) {
    // The worker is counting (results arrive through onDidChange); never show the previous text's numbers as these.
    live.ensure(tokenizers);
    return { ...base, documentName: m.documentName, scope: m.scope, characters: 0, rows: [], message: vscode.l10n.t('Counting {0}…', m.documentName) };
  }
  const cny = service.price(state.counts, models, 'CNY');
  const usd = new Map(service.price(state.counts, models, 'USD').map((r) => [r.model.id, r]));
  const defaultId = service.defaultModel().model.id;
  const followed = new Set(service.focusModels().map((x) => x.id));
  const rows: PanelRow[] = [];
  for (const r of cny) {
    const u = usd.get(r.model.id);
    if (!u) continue;
    const list = pickList(r.model, cfg.currency) ?? r.cost.list;
    rows.push({
      id: r.model.id,
      vendor: r.model.vendor,
      name: r.model.name,
      tokenizer: r.model.tokenizer,
      tokens: r.tokens,
      exact: r.exact,
      estimateBasis: r.exact ? undefined : ESTIMATE_RULES[r.model.tokenizer as EstimateTokenizerId]?.basis,
      contextWindow: r.model.contextWindow,
      contextUse: r.contextUse,
      costs: {
        CNY: { input: r.cost.inputCost, output: r.cost.outputCost, total: r.cost.totalCost, converted: r.cost.converted },
        USD: { input: u.cost.inputCost, output: u.cost.outputCost, total: u.cost.totalCost, converted: u.cost.converted },
      },
      native: r.model.prices[0].currency,
      priceDate: list.effectiveDate,
      source: list.source,
      isDefault: r.model.id === defaultId,
      followed: followed.has(r.model.id),
      prices: r.model.prices.map((l) => panelList(l, true)),
      history: (r.model.history ?? []).map((l) => panelList(l, false)),
    });
  }
  return { ...base, documentName: m.documentName, scope: m.scope, characters: state.characters ?? 0, rows };
}

/** A list per 1M tokens with only what pricing and the history need: the snapshot is posted on every edit. */
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
