// OpenRouter's GET /api/v1/models: { data: [{ id: "<vendor>/<model>", name, created, context_length, pricing:
// { prompt, completion, input_cache_read, input_cache_write, request, image, web_search, internal_reasoning, … },
// top_provider: { context_length, max_completion_tokens } }] }. Prices are USD per token, as decimal strings.
import type { ModelEntry } from '../types';
import { importedList, isObject, originOf, perMillionFromPerToken, positiveInt, priceValue, seg, type ImportContext, type Imported } from './common';

export function looksLikeOpenRouter(json: unknown): json is { data: unknown[] } {
  return isObject(json) && Array.isArray(json.data) && json.data.some((m) => isObject(m) && typeof m.id === 'string' && isObject(m.pricing));
}

const MAPPED = { prompt: 'input', completion: 'output', input_cache_read: 'cachedInput', input_cache_write: 'cacheWrite' } as const;

export function importOpenRouter(json: { data: unknown[] }, ctx: ImportContext): Imported {
  const models: ModelEntry[] = [];
  json.data.forEach((raw, i) => {
    const path = `data[${i}]`;
    if (!isObject(raw) || typeof raw.id !== 'string' || !raw.id.trim()) return void ctx.problems.push({ path, message: 'not a model with an id; skipped' });
    const m = importOne(raw.id.trim(), raw, path, ctx);
    if (m) models.push(m);
  });
  return { models };
}

function importOne(id: string, raw: Record<string, unknown>, path: string, ctx: ImportContext): ModelEntry | undefined {
  const skip = (p: string, message: string) => void ctx.problems.push({ path: `${path}.${p}`, message: `${message}; model skipped` });
  const pricing = raw.pricing;
  if (!isObject(pricing)) return skip('pricing', 'no pricing');
  // The auto router (and other variable-price routes) quote "-1": there is no list price to import.
  if (pricing.prompt === '-1' || pricing.completion === '-1') return skip('pricing', 'a variable price ("-1"), not a list price');
  const prices: Record<string, number> = {};
  for (const [field, to] of Object.entries(MAPPED)) {
    if (pricing[field] === undefined) continue;
    const v = priceValue(pricing[field]);
    if (v === undefined) ctx.problems.push({ path: `${path}.pricing.${field}`, message: 'not a non-negative number; ignored' });
    else prices[to] = perMillionFromPerToken(v);
  }
  for (const [field, value] of Object.entries(pricing)) {
    const v = priceValue(value);
    if (field in MAPPED) continue;
    else if (field === 'internal_reasoning' && v !== undefined && (v === 0 || perMillionFromPerToken(v) === prices.output)) {
      // Reasoning tokens billed as output: what the table assumes anyway.
    } else if (v !== 0) ctx.problems.push({ path: `${path}.pricing${seg(field)}`, message: 'a price this table has no field for; not imported' });
  }
  if (prices.input === undefined) return skip('pricing.prompt', 'no prompt price');
  if (prices.output === undefined) return skip('pricing.completion', 'no completion price');
  const top = isObject(raw.top_provider) ? raw.top_provider : {};
  const contextWindow = positiveInt(raw.context_length) ?? positiveInt(top.context_length);
  if (contextWindow === undefined) return skip('context_length', 'no context length');

  const slash = id.indexOf('/');
  const provider = slash > 0 ? id.slice(0, slash) : 'openrouter';
  const bare = slash > 0 ? id.slice(slash + 1) : id;
  const origin = originOf(provider, bare, `${path}.id`, ctx);
  const entry: ModelEntry = {
    id,
    vendor: origin.firstParty ? origin.vendor : provider,
    name: typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : id,
    tokenizer: origin.tokenizer,
    contextWindow,
    prices: [importedList(ctx, prices as { input: number; output: number })],
    note: `Imported from ${ctx.label} (OpenRouter: its price for this route, which may differ from the vendor's own); dated ${ctx.fileDate}, the file's date.`,
  };
  if (origin.firstParty) entry.aliases = [bare];
  const maxOutput = positiveInt(top.max_completion_tokens);
  if (maxOutput !== undefined) entry.maxOutput = maxOutput;
  return entry;
}
