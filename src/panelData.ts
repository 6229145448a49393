// Builds the panel's snapshot: every model with a current price, costs in both currencies.
import * as vscode from 'vscode';
import type { Settings } from './config';
import type { CostService } from './costService';
import { pickList } from './core/cost';
import { ESTIMATE_RULES } from './core/tokenizers/estimates';
import type { EstimateTokenizerId } from './core/prices/types';
import type { LiveCounts } from './liveCounts';
import type { PanelRow, PanelSnapshot } from './panel/protocol';
import { formatBytes } from './core/textInput';

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
    });
  }
  return { ...base, documentName: m.documentName, scope: m.scope, characters: state.characters ?? 0, rows };
}
