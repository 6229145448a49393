// Validates price tables from users and workspaces. Never throws: returns every valid model and a precise error for
// each problem (which entry, which field, why). A model with a bad required field is skipped whole; a bad history
// point or tier or off-peak window only loses that part, so one typo never hides a whole vendor.
import { isKnownTokenizer } from '../tokenizers/tokenizerIds';
import type { HistoricalPrice, ModelEntry, OffPeakWindow, PriceList, PriceTier } from './types';
import { CURRENCIES, PRICE_UNITS } from './types';

export interface PriceTableError {
  /** JSON path of the problem, e.g. `models[3].prices[0].input`. */
  path: string;
  /** The model's id when it has one. */
  model?: string;
  message: string;
}

export interface ValidationResult {
  models: ModelEntry[];
  errors: PriceTableError[];
}

export interface ValidateOptions {
  /**
   * Models an entry may override by id. Fields the entry leaves out are taken from the base model, so
   * `{ "id": "qwen-plus", "prices": [...] }` is enough to change Qwen-Plus's prices.
   */
  base?: readonly ModelEntry[];
  /** Ids of the user's own tokenizers (tokenCost.tokenizers, --tokenizer-file): a `tokenizer` may name one. */
  userTokenizers?: ReadonlySet<string>;
}

/** Above this a price per 1M tokens is taken for a typo (the dearest model ever listed is below 1,000 per 1M). */
export const ABSURD_PRICE_PER_MILLION = 10_000;
const MAX_CONTEXT = 100_000_000;
const MAX_MODELS = 10_000;

export function validatePriceTable(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const errors: PriceTableError[] = [];
  const models: ModelEntry[] = [];
  let list: unknown = input;
  if (isObject(input)) {
    if (input.version !== undefined && input.version !== 1) errors.push({ path: 'version', message: `unsupported version ${show(input.version)}; expected 1` });
    list = input.models;
    if (list === undefined) {
      errors.push({ path: 'models', message: 'missing "models": expected an array of model entries' });
      return { models, errors };
    }
  }
  if (!Array.isArray(list)) {
    errors.push({ path: isObject(input) ? 'models' : '', message: `expected an array of model entries, got ${typeName(list)}` });
    return { models, errors };
  }
  const baseById = new Map((options.base ?? []).map((m) => [m.id, m]));
  const seen = new Set<string>();
  list.slice(0, MAX_MODELS).forEach((raw, i) => {
    const path = `models[${i}]`;
    if (!isObject(raw)) {
      errors.push({ path, message: `expected a model entry object, got ${typeName(raw)}` });
      return;
    }
    const id = typeof raw.id === 'string' ? raw.id.trim() : undefined;
    if (id && seen.has(id)) {
      errors.push({ path: `${path}.id`, model: id, message: `duplicate id "${id}"; the first entry with this id is used` });
      return;
    }
    const base = id ? baseById.get(id) : undefined;
    const merged = base ? { ...base, ...raw } : raw;
    const model = validateModel(merged, path, errors, options.userTokenizers);
    if (model) {
      seen.add(model.id);
      models.push(model);
    }
  });
  if (list.length > MAX_MODELS) errors.push({ path: 'models', message: `more than ${MAX_MODELS} entries; the rest are ignored` });
  return { models, errors };
}

const MODEL_KEYS = new Set(['id', 'vendor', 'name', 'aliases', 'tokenizer', 'contextWindow', 'maxOutput', 'prices', 'history', 'scheduled', 'note']);

function validateModel(raw: Record<string, unknown>, path: string, errors: PriceTableError[], userTokenizers?: ReadonlySet<string>): ModelEntry | undefined {
  const id = typeof raw.id === 'string' && raw.id.trim() ? raw.id.trim() : undefined;
  // Errors in required fields make the model unusable; parts that are optional are dropped on their own.
  let bad = false;
  const err = (field: string, message: string) => {
    bad = true;
    errors.push({ path: `${path}.${field}`, model: id, message });
  };
  if (!id) err('id', raw.id === undefined ? 'missing "id"' : `"id" must be a non-empty string, got ${typeName(raw.id)}`);
  for (const key of Object.keys(raw)) if (!MODEL_KEYS.has(key) && key !== '$comment') err(key, `unknown field "${key}"`);
  const vendor = requireString(raw, 'vendor', err);
  const name = raw.name === undefined ? id : requireString(raw, 'name', err);
  const tokenizer = raw.tokenizer;
  if (typeof tokenizer !== 'string' || !(isKnownTokenizer(tokenizer) || userTokenizers?.has(tokenizer))) {
    const hint = typeof tokenizer === 'string' ? ' (neither bundled nor declared in tokenCost.tokenizers or --tokenizer-file)' : '';
    err('tokenizer', tokenizer === undefined ? 'missing "tokenizer"' : `unknown tokenizer ${show(tokenizer)}${hint}`);
  }
  const contextWindow = raw.contextWindow;
  if (!isInt(contextWindow) || contextWindow <= 0 || contextWindow > MAX_CONTEXT) {
    err('contextWindow', contextWindow === undefined ? 'missing "contextWindow"' : `must be a whole number of tokens from 1 to ${MAX_CONTEXT}, got ${show(contextWindow)}`);
  }
  if (raw.maxOutput !== undefined && (!isInt(raw.maxOutput) || raw.maxOutput <= 0)) err('maxOutput', `must be a positive whole number, got ${show(raw.maxOutput)}`);
  if (raw.aliases !== undefined && !(Array.isArray(raw.aliases) && raw.aliases.every((a) => typeof a === 'string'))) err('aliases', 'must be an array of strings');
  if (raw.note !== undefined && typeof raw.note !== 'string') err('note', `must be a string, got ${typeName(raw.note)}`);

  const prices: PriceList[] = [];
  // A retired model keeps its history and has no current list; any other model needs one.
  const retired = Array.isArray(raw.prices) && raw.prices.length === 0 && Array.isArray(raw.history) && raw.history.length > 0;
  if (!Array.isArray(raw.prices) || (raw.prices.length === 0 && !retired)) {
    err('prices', raw.prices === undefined ? 'missing "prices": at least one price list is needed' : 'must be a non-empty array of price lists (empty only for a retired model with history)');
  } else {
    const currencies = new Set<string>();
    raw.prices.forEach((p, j) => {
      const list = validateList(p, `${path}.prices[${j}]`, id, errors, false);
      if (!list) {
        bad = true;
        return;
      }
      if (currencies.has(list.currency)) {
        err(`prices[${j}].currency`, `a second ${list.currency} price list; one per currency`);
        return;
      }
      currencies.add(list.currency);
      prices.push(list);
    });
  }
  if (bad) return undefined;

  // History and scheduled lists are optional: a bad point is reported and dropped, the model stays.
  const history = validateDatedLists(raw.history, `${path}.history`, 'history', id, errors);
  const scheduled = validateDatedLists(raw.scheduled, `${path}.scheduled`, 'scheduled prices', id, errors);
  const model: ModelEntry = {
    id: id as string,
    vendor: vendor as string,
    name: (name ?? id) as string,
    tokenizer: tokenizer as ModelEntry['tokenizer'],
    contextWindow: contextWindow as number,
    prices,
  };
  if (raw.aliases !== undefined) model.aliases = raw.aliases as string[];
  if (raw.maxOutput !== undefined) model.maxOutput = raw.maxOutput as number;
  if (history.length) model.history = history;
  if (scheduled.length) model.scheduled = scheduled;
  if (typeof raw.note === 'string') model.note = raw.note;
  return model;
}

function validateDatedLists(raw: unknown, path: string, what: string, model: string | undefined, errors: PriceTableError[]): HistoricalPrice[] {
  const lists: HistoricalPrice[] = [];
  if (raw === undefined) return lists;
  if (!Array.isArray(raw)) {
    errors.push({ path, model, message: `must be an array of price lists; ${what} ignored` });
    return lists;
  }
  raw.forEach((h, j) => {
    const list = validateList(h, `${path}[${j}]`, model, errors, true) as HistoricalPrice | undefined;
    if (list) lists.push(list);
  });
  return lists;
}

const LIST_KEYS = new Set([
  'currency', 'unit', 'input', 'output', 'cachedInput', 'cacheWrite', 'thinkingOutput', 'batchMultiplier', 'tiers',
  'offPeak', 'effectiveDate', 'validUntil', 'source', 'checked', 'note', 'label',
]);
const PRICE_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'thinkingOutput'] as const;

function validateList(raw: unknown, path: string, model: string | undefined, errors: PriceTableError[], isHistory: boolean): PriceList | undefined {
  if (!isObject(raw)) {
    errors.push({ path, model, message: `expected a price list object, got ${typeName(raw)}` });
    return undefined;
  }
  const before = errors.length;
  const err = (field: string, message: string) => errors.push({ path: `${path}.${field}`, model, message });
  for (const key of Object.keys(raw)) {
    if (!LIST_KEYS.has(key) && key !== '$comment') err(key, `unknown field "${key}"`);
    else if (key === 'label' && !isHistory) err(key, '"label" belongs on history entries');
  }
  if (!CURRENCIES.includes(raw.currency as never)) err('currency', raw.currency === undefined ? 'missing "currency"' : `unknown currency ${show(raw.currency)}; use ${CURRENCIES.join(' or ')}`);
  if (raw.unit !== undefined && !PRICE_UNITS.includes(raw.unit as never)) err('unit', `must be one of ${PRICE_UNITS.join(', ')} tokens, got ${show(raw.unit)}`);
  const unit = PRICE_UNITS.includes(raw.unit as never) ? (raw.unit as number) : 1_000_000;
  for (const f of PRICE_FIELDS) {
    if (raw[f] === undefined) {
      if (f === 'input' || f === 'output') err(f, `missing "${f}" price`);
      continue;
    }
    checkPrice(raw[f], unit, (m) => err(f, m));
  }
  if (raw.batchMultiplier !== undefined && !(isNum(raw.batchMultiplier) && raw.batchMultiplier > 0 && raw.batchMultiplier <= 10)) {
    err('batchMultiplier', `must be a number above 0 and at most 10, got ${show(raw.batchMultiplier)}`);
  }
  checkDate(raw.effectiveDate, 'effectiveDate', err, true);
  checkDate(raw.validUntil, 'validUntil', err, false);
  checkDate(raw.checked, 'checked', err, false);
  if (typeof raw.effectiveDate === 'string' && typeof raw.validUntil === 'string' && raw.validUntil < raw.effectiveDate) {
    err('validUntil', `ends (${raw.validUntil}) before it starts (${raw.effectiveDate})`);
  }
  if (typeof raw.source !== 'string' || !raw.source.trim()) err('source', raw.source === undefined ? 'missing "source": say where the price was published' : 'must be a non-empty string');
  for (const f of ['note', 'label'] as const) if (raw[f] !== undefined && typeof raw[f] !== 'string') err(f, `must be a string, got ${typeName(raw[f])}`);
  if (errors.length > before) return undefined;

  const list: PriceList = {
    currency: raw.currency as PriceList['currency'],
    input: raw.input as number,
    output: raw.output as number,
    effectiveDate: raw.effectiveDate as string,
    source: (raw.source as string).trim(),
  };
  if (raw.unit !== undefined) list.unit = raw.unit as PriceList['unit'];
  for (const f of ['cachedInput', 'cacheWrite', 'thinkingOutput', 'batchMultiplier', 'validUntil', 'checked', 'note'] as const) {
    if (raw[f] !== undefined) (list as unknown as Record<string, unknown>)[f] = raw[f];
  }
  if (isHistory && typeof raw.label === 'string') (list as HistoricalPrice).label = raw.label;
  const tiers = validateTiers(raw.tiers, `${path}.tiers`, unit, model, errors);
  if (tiers) list.tiers = tiers;
  const windows = validateOffPeak(raw.offPeak, `${path}.offPeak`, unit, model, errors);
  if (windows) list.offPeak = windows;
  return list;
}

function validateTiers(raw: unknown, path: string, unit: number, model: string | undefined, errors: PriceTableError[]): PriceTier[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push({ path, model, message: 'must be an array of tiers; tiers ignored' });
    return undefined;
  }
  const tiers: PriceTier[] = [];
  raw.forEach((t, k) => {
    const p = `${path}[${k}]`;
    if (!isObject(t)) {
      errors.push({ path: p, model, message: `expected a tier object, got ${typeName(t)}; tier ignored` });
      return;
    }
    const before = errors.length;
    const err = (field: string, message: string) => errors.push({ path: `${p}.${field}`, model, message: `${message}; tier ignored` });
    for (const key of Object.keys(t)) if (!['above', 'input', 'output', 'cachedInput', 'cacheWrite'].includes(key)) err(key, `unknown field "${key}"`);
    if (!isInt(t.above) || t.above <= 0) err('above', `"above" must be a positive whole number of input tokens, got ${show(t.above)}`);
    else if (tiers.length && t.above <= tiers[tiers.length - 1].above) err('above', `tiers must rise: ${t.above} is not above ${tiers[tiers.length - 1].above}`);
    for (const f of ['input', 'output', 'cachedInput', 'cacheWrite'] as const) {
      if (t[f] === undefined) {
        if (f === 'input' || f === 'output') err(f, `missing "${f}" price`);
      } else checkPrice(t[f], unit, (m) => err(f, m));
    }
    if (errors.length === before) tiers.push(t as unknown as PriceTier);
  });
  return tiers.length ? tiers : undefined;
}

function validateOffPeak(raw: unknown, path: string, unit: number, model: string | undefined, errors: PriceTableError[]): OffPeakWindow[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push({ path, model, message: 'must be an array of windows; off-peak prices ignored' });
    return undefined;
  }
  const windows: OffPeakWindow[] = [];
  raw.forEach((w, k) => {
    const p = `${path}[${k}]`;
    if (!isObject(w)) {
      errors.push({ path: p, model, message: `expected a window object, got ${typeName(w)}; window ignored` });
      return;
    }
    const before = errors.length;
    const err = (field: string, message: string) => errors.push({ path: `${p}.${field}`, model, message: `${message}; window ignored` });
    for (const key of Object.keys(w)) if (!['timezone', 'start', 'end', 'days', 'multiplier', 'input', 'output', 'cachedInput', 'note'].includes(key)) err(key, `unknown field "${key}"`);
    if (typeof w.timezone !== 'string' || !validTimeZone(w.timezone)) err('timezone', `not a known IANA time zone: ${show(w.timezone)}`);
    for (const f of ['start', 'end'] as const) {
      if (typeof w[f] !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(w[f] as string)) err(f, `must be a time "HH:MM" (00:00–23:59), got ${show(w[f])}`);
    }
    if (w.start === w.end && typeof w.start === 'string') err('end', 'a window cannot start and end at the same time');
    if (w.days !== undefined && !(Array.isArray(w.days) && w.days.length > 0 && w.days.every((d) => isInt(d) && d >= 1 && d <= 7))) {
      err('days', 'must be a non-empty array of ISO weekdays 1 (Monday) to 7 (Sunday)');
    }
    const hasPrices = w.input !== undefined || w.output !== undefined || w.cachedInput !== undefined;
    if (w.multiplier !== undefined) {
      if (!isNum(w.multiplier) || w.multiplier < 0 || w.multiplier > 10) err('multiplier', `must be a number from 0 to 10, got ${show(w.multiplier)}`);
      if (hasPrices) err('multiplier', 'give either "multiplier" or explicit prices, not both');
    } else if (!hasPrices) err('multiplier', 'give a "multiplier" or explicit input/output prices');
    for (const f of ['input', 'output', 'cachedInput'] as const) if (w[f] !== undefined) checkPrice(w[f], unit, (m) => err(f, m));
    if (w.note !== undefined && typeof w.note !== 'string') err('note', 'must be a string');
    if (errors.length === before) windows.push(w as unknown as OffPeakWindow);
  });
  return windows.length ? windows : undefined;
}

function checkPrice(v: unknown, unit: number, err: (m: string) => void): void {
  if (typeof v !== 'number') err(`must be a number, got ${typeName(v)}${typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? ' (remove the quotes)' : ''}`);
  else if (!Number.isFinite(v)) err(`must be a finite number, got ${show(v)}`);
  else if (v < 0) err(`must not be negative, got ${v}`);
  else if (v * (1_000_000 / unit) > ABSURD_PRICE_PER_MILLION) {
    err(`${v} per ${unit.toLocaleString('en-US')} tokens is ${Number((v * (1_000_000 / unit)).toPrecision(6))} per 1M tokens, above the sanity limit of ${ABSURD_PRICE_PER_MILLION}; check the unit`);
  }
}

function checkDate(v: unknown, field: string, err: (f: string, m: string) => void, required: boolean): void {
  if (v === undefined) {
    if (required) err(field, `missing "${field}" (YYYY-MM-DD)`);
    return;
  }
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return err(field, `must be a date "YYYY-MM-DD", got ${show(v)}`);
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) err(field, `not a calendar date: ${v}`);
}

const zoneCache = new Map<string, boolean>();
export function validTimeZone(tz: string): boolean {
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

function requireString(raw: Record<string, unknown>, field: string, err: (f: string, m: string) => void): string | undefined {
  const v = raw[field];
  if (typeof v === 'string' && v.trim()) return v.trim();
  err(field, v === undefined ? `missing "${field}"` : `must be a non-empty string, got ${typeName(v)}`);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isInt(v: unknown): v is number {
  return isNum(v) && Number.isInteger(v);
}
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return typeName(v);
}
