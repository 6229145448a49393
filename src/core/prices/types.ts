// The price table's shape. Prices are stored per `unit` tokens as published; `normalisePriceTable`
// converts every list to per-1M tokens so the cost model never sees another unit.

export type Currency = 'CNY' | 'USD';
export const CURRENCIES: readonly Currency[] = ['CNY', 'USD'];

/** Tokens per price unit: 1K, 10K (iFlytek) or 1M. */
export type PriceUnit = 1000 | 10000 | 1000000;
export const PRICE_UNITS: readonly PriceUnit[] = [1000, 10000, 1000000];

/** Re-prices the whole request when the input is longer than `above` tokens (Qwen, Doubao, Gemini, Claude, GPT-5.x). */
export interface PriceTier {
  above: number;
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}

/**
 * A time-of-day discount window, e.g. DeepSeek's off-peak half price. `start`/`end` are local "HH:MM" in `timezone`
 * (an IANA zone); a window whose end is before its start wraps past midnight. `days` are ISO weekdays (1 = Monday)
 * on which the window applies, every day when absent. Either a `multiplier` on every price or explicit prices.
 */
export interface OffPeakWindow {
  timezone: string;
  start: string;
  end: string;
  days?: number[];
  multiplier?: number;
  input?: number;
  output?: number;
  cachedInput?: number;
  note?: string;
}

/** One price list in one currency, effective from `effectiveDate`. */
export interface PriceList {
  currency: Currency;
  /** Tokens per price unit; 1M when absent. */
  unit?: PriceUnit;
  input: number;
  output: number;
  /** Cache-hit input price. */
  cachedInput?: number;
  /** Cache-write (creation) price, where the vendor charges one. */
  cacheWrite?: number;
  /** Output price in thinking mode where it differs (some Qwen models). */
  thinkingOutput?: number;
  /** Multiplier for the batch / flex tier (e.g. 0.5). */
  batchMultiplier?: number;
  tiers?: PriceTier[];
  offPeak?: OffPeakWindow[];
  /** ISO date (YYYY-MM-DD) from which this list applies. */
  effectiveDate: string;
  /** ISO date after which a promotion ends. */
  validUntil?: string;
  /** Where the price was published: a URL, or a citation when no URL exists. */
  source: string;
  /**
   * ISO date (YYYY-MM-DD) on which someone last verified this list against its `source`. Required in the shipped
   * table (prices:check fails without it), optional in user price files.
   */
  checked?: string;
  note?: string;
}

/** A superseded price, kept for the price-war history. */
export interface HistoricalPrice extends PriceList {
  /** What the model was called or which version it was at the time, e.g. "DeepSeek-V2". */
  label?: string;
}

/** Tokenizer ids: exact BPE tokenizers (src/core/tokenizers/TOKENIZERS.md) and per-vendor estimates. */
export type ExactTokenizerId = 'cl100k_base' | 'o200k_base' | 'qwen' | 'deepseek-v3' | 'deepseek-v4' | 'kimi-k2' | 'glm-4' | 'glm-5' | 'minimax';
export type EstimateTokenizerId =
  | 'estimate:deepseek'
  | 'estimate:claude'
  | 'estimate:gemini'
  | 'estimate:doubao'
  | 'estimate:ernie'
  | 'estimate:hunyuan'
  | 'estimate:spark'
  | 'estimate:glm'
  | 'estimate:kimi'
  | 'estimate:minimax'
  | 'estimate:yi'
  | 'estimate:baichuan'
  | 'estimate:stepfun'
  | 'estimate:xai'
  | 'estimate:mistral'
  | 'estimate:claude-4.7'
  | 'estimate:openai'
  | 'estimate:other';
export const EXACT_TOKENIZER_IDS: readonly ExactTokenizerId[] = ['cl100k_base', 'o200k_base', 'qwen', 'deepseek-v3', 'deepseek-v4', 'kimi-k2', 'glm-4', 'glm-5', 'minimax'];
export const ESTIMATE_TOKENIZER_IDS: readonly EstimateTokenizerId[] = [
  'estimate:deepseek',
  'estimate:claude',
  'estimate:gemini',
  'estimate:doubao',
  'estimate:ernie',
  'estimate:hunyuan',
  'estimate:spark',
  'estimate:glm',
  'estimate:kimi',
  'estimate:minimax',
  'estimate:yi',
  'estimate:baichuan',
  'estimate:stepfun',
  'estimate:xai',
  'estimate:mistral',
  'estimate:claude-4.7',
  'estimate:openai',
  'estimate:other',
];
/**
 * A user's own tokenizer (tokenCost.tokenizers, the CLI's --tokenizer-file), by the id its entry declares. Branded:
 * only validation (a declared id) makes one, so a typo never passes for a tokenizer.
 */
export type UserTokenizerId = string & { readonly __userTokenizer: true };
export type TokenizerId = ExactTokenizerId | EstimateTokenizerId | UserTokenizerId;

export interface ModelEntry {
  /** Unique, stable id, usually the vendor's API model name, e.g. "deepseek-chat". */
  id: string;
  vendor: string;
  /** Display name. */
  name: string;
  aliases?: string[];
  tokenizer: TokenizerId;
  /** Context window in tokens. */
  contextWindow: number;
  maxOutput?: number;
  /** Current prices, at most one list per currency; empty for a retired model that only has history. */
  prices: PriceList[];
  /** Superseded prices, oldest first. */
  history?: HistoricalPrice[];
  /**
   * Lists announced to start later, oldest first, e.g. the list price that follows a promotion's `validUntil`. Each
   * applies from its effectiveDate like a current list; until then `prices` (or history) is in force.
   */
  scheduled?: HistoricalPrice[];
  note?: string;
}

/**
 * A maintainer's acknowledgement that a heuristic finding of `npm run prices:check` is correct data, e.g. a vendor
 * whose published USD list happens to be its CNY list at one exchange rate. Only the heuristic rules can be waived.
 */
export interface CheckWaiver {
  model: string;
  rule: 'fx-conversion' | 'cache-missing';
  reason: string;
}

export interface PriceTable {
  $schema?: string;
  version: 1;
  /** ISO date the table was last edited (each list's `checked` says when it was verified). */
  updated?: string;
  models: ModelEntry[];
  /** Heuristic prices:check findings acknowledged as correct, with the reason. */
  checkWaivers?: CheckWaiver[];
}
