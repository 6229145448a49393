// The one message protocol between the extension and the comparison panel's webview; both sides import it.
// Everything in a snapshot is data to render as text, never markup: model names and notes may come from a
// workspace's price file.
import type { Currency, OffPeakWindow, PriceTier, TokenizerId } from '../core/prices/types';
import type { DisplayCurrency } from '../core/money';

export interface RowCost {
  input: number;
  output: number;
  total: number;
  /** Converted from the model's list in the other currency with the configured rate. */
  converted: boolean;
}

/**
 * A price list as the panel prices with it: per 1M tokens (no `unit`), only the fields pricing and the history need.
 * Shaped like core's HistoricalPrice, so the webview runs core's pure functions (history, projection) on it directly.
 */
export interface PanelPriceList {
  currency: Currency;
  input: number;
  output: number;
  cachedInput?: number;
  tiers?: Pick<PriceTier, 'above' | 'input' | 'output' | 'cachedInput'>[];
  /** Current lists only (projections); a past date has no time of day. */
  offPeak?: OffPeakWindow[];
  effectiveDate: string;
  validUntil?: string;
  label?: string;
  source: string;
  note?: string;
}

/**
 * A model as the panel shows it, apart from the current text: sent in a `prices` message when the panel starts and
 * whenever the price table or the currency/exchange-rate settings change, never per edit.
 */
export interface PanelModel {
  id: string;
  vendor: string;
  name: string;
  tokenizer: TokenizerId;
  /** Why an estimate counts as it does (estimate tokenizers only). */
  estimateBasis?: string;
  contextWindow: number;
  /** The currency of the model's own (first) list, for the "each model's own" display. */
  native: Currency;
  /** Effective date of the price list used for the currency setting (YYYY-MM-DD). */
  priceDate: string;
  /** The price's source as published: a URL or a citation. Opened only through the extension, only if https. */
  source: string;
  /** Current lists, one per currency; with `history`, the webview prices past dates and projections without a round trip. */
  prices: PanelPriceList[];
  /** Superseded lists, oldest first. */
  history: PanelPriceList[];
  /** Announced lists (a promotion's following list price), so "cost on date" picks the list in force as --at does. */
  scheduled?: PanelPriceList[];
}

export interface PanelPrices {
  models: PanelModel[];
  /** CNY per USD: converts lists in the history and compares rows shown in their own currencies. */
  exchangeRate: number;
  /** The currency setting; the panel starts with it and may switch locally. */
  currency: DisplayCurrency;
  /** Increases whenever the lists or these settings change; updates name the version they were priced with. */
  version: number;
  /** "Prices as of DATE" over the priced models (localized, plain text) and, when older than 60 days, how to update. */
  asOf?: { text: string; stale?: string };
}

/** The current text's numbers for one model: sent in an `update` message on each edit. */
export interface PanelCount {
  id: string;
  tokens: number;
  /** False for an estimate, and for an exact tokenizer that fell back to a rough estimate. */
  exact: boolean;
  /** Input tokens / context window; above 1 the text does not fit. */
  contextUse: number;
  /** Costs of the current text in both currencies, so the panel switches currency without a round trip. */
  costs: Record<Currency, RowCost>;
  isDefault: boolean;
  followed: boolean;
}

/**
 * The context files (AGENTS.md, CLAUDE.md, .cursor/rules/*.mdc…) that apply to the compared file and are sent with
 * every request about it: their tokens per tokenizer counted, so the webview prices them per model itself (currency
 * switches and projections need no round trip). Absent when none applies or they are not counted yet.
 */
export interface PanelContextFiles {
  /** The compared file, relative to its workspace folder (workspace data: shown as text). */
  target: string;
  /** How many files apply. */
  files: number;
  /** The applying files' total on each tokenizer counted (the default and followed models'); `exact` false = estimate. */
  tokens: Partial<Record<TokenizerId, { tokens: number; exact: boolean }>>;
}

export interface PanelUpdate {
  /** File name (or "Untitled-1") of the text being compared. */
  documentName: string;
  scope: 'selection' | 'document';
  characters: number;
  outputTokens: number;
  cacheHitShare: number;
  /** Cheapest first; joined with the models of `prices` by id. */
  rows: PanelCount[];
  /** When there is nothing to compare (no editor, file too large, binary…): why, localized. */
  message?: string;
  /** Increases with every update, so the webview can drop out-of-order messages. */
  version: number;
  /** The `PanelPrices.version` these costs were priced with. */
  pricesVersion: number;
  contextFiles?: PanelContextFiles;
}

/** A row of the table: a model and its numbers for the current text. */
export interface PanelRow extends PanelModel, PanelCount {}

/** What the panel renders: the last prices joined with the last update. */
export interface PanelSnapshot extends Omit<PanelUpdate, 'rows' | 'pricesVersion'> {
  exchangeRate: number;
  currency: DisplayCurrency;
  rows: PanelRow[];
}

/**
 * Joins an update with the prices it was priced with, rows in the update's order; undefined when the update belongs
 * to other prices (the matching ones have not arrived). A count for a model the prices do not hold is dropped.
 */
export function joinSnapshot(prices: PanelPrices, update: PanelUpdate): PanelSnapshot | undefined {
  if (update.pricesVersion !== prices.version) return undefined;
  const byId = new Map(prices.models.map((m) => [m.id, m]));
  const rows: PanelRow[] = [];
  for (const c of update.rows) {
    const m = byId.get(c.id);
    if (m) rows.push({ ...m, ...c });
  }
  const { documentName, scope, characters, outputTokens, cacheHitShare, message, version } = update;
  const snapshot: PanelSnapshot = { documentName, scope, characters, outputTokens, cacheHitShare, exchangeRate: prices.exchangeRate, currency: prices.currency, rows, version };
  if (message !== undefined) snapshot.message = message;
  if (update.contextFiles !== undefined) snapshot.contextFiles = update.contextFiles;
  return snapshot;
}

function isAsOf(v: unknown): boolean {
  if (v === undefined) return true;
  const a = v as { text?: unknown; stale?: unknown } | null;
  return typeof a === 'object' && a !== null && typeof a.text === 'string' && (a.stale === undefined || typeof a.stale === 'string');
}

/** Shallow checks of a `prices` message's payload before the webview keeps it (the host is trusted, but not its data's shape). */
export function isPanelPrices(v: unknown): v is PanelPrices {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return Array.isArray(p.models) && p.models.every((m) => typeof m === 'object' && m !== null && typeof (m as PanelModel).id === 'string' && Array.isArray((m as PanelModel).prices) && Array.isArray((m as PanelModel).history)) && typeof p.exchangeRate === 'number' && isDisplayCurrency(p.currency) && Number.isFinite(p.version) && isAsOf(p.asOf);
}

/** Shallow checks of an `update` message's payload. */
export function isPanelUpdate(v: unknown): v is PanelUpdate {
  if (typeof v !== 'object' || v === null) return false;
  const u = v as Record<string, unknown>;
  return Array.isArray(u.rows) && u.rows.every((r) => typeof r === 'object' && r !== null && typeof (r as PanelCount).id === 'string' && typeof (r as PanelCount).costs === 'object') && Number.isFinite(u.version) && Number.isFinite(u.pricesVersion) && (u.scope === 'document' || u.scope === 'selection') && isContextFiles(u.contextFiles);
}

function isContextFiles(v: unknown): boolean {
  if (v === undefined) return true;
  const c = v as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null || typeof c.target !== 'string' || !Number.isInteger(c.files) || (c.files as number) < 1) return false;
  const tokens = c.tokens as Record<string, unknown> | null;
  return typeof tokens === 'object' && tokens !== null && Object.values(tokens).every((t) => typeof t === 'object' && t !== null && Number.isFinite((t as { tokens: unknown }).tokens) && (t as { tokens: number }).tokens >= 0 && typeof (t as { exact: unknown }).exact === 'boolean');
}

function isDisplayCurrency(v: unknown): v is DisplayCurrency {
  return v === 'CNY' || v === 'USD' || v === 'native';
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
  showTokens: string;
  noData: string;
  /** "{0} models · cheapest: {1} {2}" (count, model name, amount). */
  statusLine: string;
  sortedBy: string;
  ascending: string;
  descending: string;
  /** "+{0} tokens {1} per request from 1 context file (for {2})" (tokens, cost, file). */
  contextLineOne: string;
  /** "+{0} tokens {1} per request from {2} context files (for {3})" (tokens, cost, files, file). */
  contextLineMany: string;
  /** "Context files add {0} per day, {1} per month at {2} calls/day ({3})" (amounts, calls, model). */
  contextProjection: string;
}

/** Strings of the price history, cost-at-date and projection sections; built in panel.ts. */
export interface HistoryStrings {
  /** "Price history of {0}" (model name). */
  historyOf: string;
  /** The button that ends a focus on some models. */
  showAllModels: string;
  showHistory: string;
  /** The compact layout's per-row disclosure and its sort control. */
  details: string;
  sortBy: string;
  historyDate: string;
  historyVersion: string;
  historyCached: string;
  historyNote: string;
  /** "{0}: input {1}, output {2} per 1M tokens" (date, prices). */
  historyPoint: string;
  historyKeys: string;
  historyNone: string;
  /** "Prices per 1M tokens, in {0}" (currency). */
  historyUnit: string;
  free: string;
  atDate: string;
  atDateClear: string;
  /** "Total on {0}" (date). */
  atDateColumn: string;
  /** "No price yet on {0}" (date). */
  notReleased: string;
  /** "Dates run from {0} to {1}; showing {2}." */
  dateOutOfRange: string;
  projectionTitle: string;
  callsPerDay: string;
  outputPerCall: string;
  cacheHitPercent: string;
  perDay: string;
  perMonth: string;
  cacheSaving: string;
  offPeakSaving: string;
  projectionNote: string;
  noCachePrice: string;
  noOffPeak: string;
  /** "{0}: at least {1}." (field, minimum) */
  inputTooLow: string;
  /** "{0}: at most {1}." */
  inputTooHigh: string;
  /** "{0}: enter a number; using {1}." */
  inputNotNumber: string;
}

export type WebviewStrings = PanelStrings & HistoryStrings;

/** Models the panel shows alone (a budget's quick fix: the cheapest models that fit), cheapest first, and why. */
export interface PanelFocus {
  modelIds: string[];
  note: string;
}

export type ToWebview =
  | { type: 'init'; locale: string; strings: WebviewStrings }
  /** The models and their price lists: when the panel (re)loads, and when prices or the currency settings change. */
  | { type: 'prices'; prices: PanelPrices }
  /** The current text's numbers, on each edit; always after the `prices` they were priced with. */
  | { type: 'update'; update: PanelUpdate }
  /** Show only these models until the user asks for all (`undefined`: all again). */
  | { type: 'focus'; focus?: PanelFocus };

export type FromWebview =
  | { type: 'ready' }
  /** `list`: a list of the row's price history, by position in `history` then `prices`; absent = its current source. */
  | { type: 'openSource'; modelId: string; list?: number }
  | { type: 'setDefaultModel'; modelId: string }
  | { type: 'copySummary' }
  /** Toggles Token Cost: Show Tokens in the editor (the default model's tokens). */
  | { type: 'showTokens' }
  /** The user chose to see every model again. */
  | { type: 'clearFocus' };

/** Validates a message from the webview: anything else is ignored. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'ready':
    case 'copySummary':
    case 'showTokens':
    case 'clearFocus':
      return { type: msg.type };
    case 'openSource': {
      if (!validModelId(msg.modelId)) return undefined;
      if (msg.list === undefined) return { type: msg.type, modelId: msg.modelId };
      return isListIndex(msg.list) ? { type: msg.type, modelId: msg.modelId, list: msg.list } : undefined;
    }
    case 'setDefaultModel':
      return validModelId(msg.modelId) ? { type: msg.type, modelId: msg.modelId } : undefined;
    default:
      return undefined;
  }
}

function validModelId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 200;
}

/** Far above any model's number of price lists; the extension still checks it against the row it showed. */
const MAX_LISTS = 1000;

function isListIndex(i: unknown): i is number {
  return typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < MAX_LISTS;
}

/** The webview's persisted UI state (vscode.setState), restored after a reload. */
export interface PanelViewState {
  sortKey: 'vendor' | 'model' | 'tokens' | 'input' | 'output' | 'total' | 'context' | 'priceDate';
  sortDescending: boolean;
  vendor: string;
  currency: DisplayCurrency;
  /** The model whose price history is shown; '' = the default model. */
  historyModel: string;
  /** Also price the text at the lists in effect on this day (YYYY-MM-DD); '' = off. */
  atDate: string;
  /** Volume projection inputs. */
  callsPerDay: number;
  /** Output tokens per call; absent = the tokenCost.outputTokens setting. */
  outputTokens?: number;
  /** Share of input tokens served from the cache (0–1); absent = the tokenCost.cacheHitShare setting. */
  cacheHitShare?: number;
}

/** Validates a focus request (the openPanel command's argument can come from anywhere): model ids and a note. */
export function parseFocus(v: unknown): PanelFocus | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  if (!Array.isArray(f.modelIds) || f.modelIds.length === 0 || f.modelIds.length > 500 || !f.modelIds.every(validModelId)) return undefined;
  if (typeof f.note !== 'string' || f.note.length > 500) return undefined;
  return { modelIds: [...f.modelIds], note: f.note };
}
