// Counts and prices text for every surface: the status bar, hovers, the panel and the summary command share one
// token counter (tables load on first use) and the current price table.
import * as vscode from 'vscode';
import { compareModels } from './core/compare';
import type { ModelComparison } from './core/compare';
import type { CostOptions } from './core/cost';
import { findModel } from './core/prices/priceTable';
import type { ModelEntry } from './core/prices/types';
import { TokenCounter } from './core/tokenizers/tokenCounter';
import type { Settings } from './config';
import type { DisplayCurrency } from './panel/protocol';
import type { PriceTableSource } from './priceTableSource';

export class CostService {
  private counter?: TokenCounter;

  constructor(
    private readonly settings: Settings,
    private readonly prices: PriceTableSource,
    private readonly tableDir: string,
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
    return { model: findModel(this.models, 'qwen-plus') ?? this.models[0], unknownSetting: id };
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

  compare(texts: readonly string[], models: readonly ModelEntry[], currency?: DisplayCurrency): ModelComparison[] {
    this.counter ??= new TokenCounter(this.tableDir);
    return compareModels(texts, models, this.counter, this.costOptions(currency));
  }

  /** Frees the tokenizer tables; they load again on next use. */
  release(): void {
    this.counter?.release();
    this.counter = undefined;
  }
}

export function localeOf(): string {
  const l = vscode.env.language || 'en';
  const [lang, region] = l.split('-');
  return region ? `${lang}-${region.toUpperCase()}` : lang;
}
