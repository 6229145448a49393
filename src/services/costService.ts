// Prices counts for every surface: the status bar, hovers, the panel and the summary command share the current
// price table and settings. Counting itself happens in the worker (countClient.ts).
import * as vscode from 'vscode';
import { priceModels } from '../core/compare';
import type { ModelComparison } from '../core/compare';
import type { CostOptions } from '../core/cost';
import { findModel } from '../core/prices/priceTable';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import type { TokenCount } from '../core/tokenizers/tokenCounter';
import type { Settings } from './settings';
import type { DisplayCurrency } from '../core/money';
import type { PriceTableSource } from './priceTableSource';
import { Defaults } from '../constants';

export class CostService {
  constructor(
    private readonly settings: Settings,
    private readonly prices: PriceTableSource,
  ) {}

  /** Models with a current price (retired ones only have history). */
  get models(): ModelEntry[] {
    return this.prices.models.filter((m) => m.prices.length > 0);
  }

  /** The default model; falls back to the first model when the setting names none we know. */
  defaultModel(): { model: ModelEntry; unknownSetting?: string } {
    const id = this.settings.current.defaultModel;
    const m = findModel(this.models, id);
    if (m) return { model: m };
    return { model: findModel(this.models, Defaults.defaultModel) ?? this.models[0], unknownSetting: id };
  }

  /** The default model first, then the followed ones we know (unknown ids are skipped). */
  focusModels(): ModelEntry[] {
    const out = [this.defaultModel().model];
    for (const id of this.settings.current.followedModels) {
      const m = findModel(this.models, id);
      if (m && !out.includes(m)) out.push(m);
    }
    return out;
  }

  costOptions(currency?: DisplayCurrency): CostOptions {
    const c = this.settings.current;
    return { currency: currency ?? c.currency, exchangeRate: c.exchangeRate, outputTokens: c.outputTokens, cacheHitShare: c.cacheHitShare, at: new Date() };
  }

  /** Distinct tokenizers of these models: what has to be counted to price them. */
  tokenizersOf(models: readonly ModelEntry[]): TokenizerId[] {
    return [...new Set(models.map((m) => m.tokenizer))];
  }

  /** Prices counted tokens for the models whose tokenizer was counted, cheapest first. */
  price(counts: ReadonlyMap<TokenizerId, TokenCount>, models: readonly ModelEntry[], currency?: DisplayCurrency): ModelComparison[] {
    return priceModels(counts, models, this.costOptions(currency));
  }
}

export function localeOf(): string {
  const l = vscode.env.language || 'en';
  const [lang, region] = l.split('-');
  return region ? `${lang}-${region.toUpperCase()}` : lang;
}
