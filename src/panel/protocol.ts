// The one message protocol between the extension and the comparison panel's webview; both sides import it.
// Everything in a snapshot is data to render as text, never markup: model names and notes may come from a
// workspace's price file.
import type { Currency } from '../core/prices/types';

export interface RowCost {
  input: number;
  output: number;
  total: number;
  /** Converted from the model's list in the other currency with the configured rate. */
  converted: boolean;
}

export interface PanelRow {
  id: string;
  vendor: string;
  name: string;
  tokens: number;
  exact: boolean;
  /** Why an estimate counts as it does (estimates only). */
  estimateBasis?: string;
  contextWindow: number;
  /** Input tokens / context window; above 1 the text does not fit. */
  contextUse: number;
  /** Costs of the current text in both currencies, so the panel switches currency without a round trip. */
  costs: Record<Currency, RowCost>;
  /** The currency of the model's own (first) list, for the "each model's own" display. */
  native: Currency;
  /** Effective date of the price list used (YYYY-MM-DD). */
  priceDate: string;
  /** The price's source as published: a URL or a citation. Opened only through the extension, only if https. */
  source: string;
  isDefault: boolean;
  followed: boolean;
}

export type DisplayCurrency = Currency | 'native';

export interface PanelSnapshot {
  /** File name (or "Untitled-1") of the text being compared. */
  documentName: string;
  scope: 'selection' | 'document';
  characters: number;
  outputTokens: number;
  cacheHitShare: number;
  exchangeRate: number;
  /** The currency setting; the panel starts with it and may switch locally. */
  currency: DisplayCurrency;
  rows: PanelRow[];
  /** When there is nothing to compare (no editor, file too large, binary…): why, localized. */
  message?: string;
  /** Increases with every update, so the webview can drop out-of-order messages. */
  version: number;
}

/** Localized strings for the webview (it has no access to vscode.l10n). */
export interface PanelStrings {
  title: string;
  vendor: string;
  model: string;
  tokens: string;
  input: string;
  output: string;
  total: string;
  context: string;
  priceDate: string;
  source: string;
  allVendors: string;
  filterByVendor: string;
  currency: string;
  currencyNative: string;
  estimate: string;
  exact: string;
  convertedNote: string;
  overContext: string;
  chartTitle: string;
  selection: string;
  document: string;
  characters: string;
  outputTokensNote: string;
  setDefault: string;
  isDefault: string;
  copySummary: string;
  noData: string;
  /** "{0} models · cheapest: {1} {2}" (count, model name, amount). */
  statusLine: string;
  sortedBy: string;
  ascending: string;
  descending: string;
}

export type ToWebview =
  | { type: 'init'; locale: string; strings: PanelStrings }
  | { type: 'update'; snapshot: PanelSnapshot };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'openSource'; modelId: string }
  | { type: 'setDefaultModel'; modelId: string }
  | { type: 'copySummary' };

/** Validates a message from the webview: anything else is ignored. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'copySummary':
      return { type: msg.type };
    case 'openSource':
    case 'setDefaultModel':
      return typeof msg.modelId === 'string' && msg.modelId.length > 0 && msg.modelId.length <= 200 ? { type: msg.type, modelId: msg.modelId } : undefined;
    default:
      return undefined;
  }
}

/** The webview's persisted UI state (vscode.setState), restored after a reload. */
export interface PanelViewState {
  sortKey: 'vendor' | 'model' | 'tokens' | 'input' | 'output' | 'total' | 'context' | 'priceDate';
  sortDescending: boolean;
  vendor: string;
  currency: DisplayCurrency;
}
