// LiteLLM's model_prices_and_context_window.json: { "<model>": { litellm_provider, mode, max_input_tokens,
// input_cost_per_token, output_cost_per_token, cache_read_input_token_cost, cache_creation_input_token_cost,
// *_above_<N>k_tokens, …_batches, … }, "sample_spec": {…} }. Prices are USD per token.
import type { ModelEntry, PriceTier } from '../types';
import { importedList, isObject, originOf, perMillionFromPerToken, positiveInt, priceValue, seg, type ImportContext, type Imported } from './common';

/** A LiteLLM file: an object of model entries, recognised by LiteLLM's own field names. */
export function looksLikeLiteLlm(json: unknown): json is Record<string, unknown> {
  if (!isObject(json) || Array.isArray(json.models) || Array.isArray(json.data)) return false;
  const entries = Object.values(json).filter(isObject);
  return entries.length > 0 && entries.some((e) => 'litellm_provider' in e || 'input_cost_per_token' in e);
}

const CHAT_MODES = new Set(['chat', 'completion', 'responses']);
const BASE = {
  input_cost_per_token: 'input',
  output_cost_per_token: 'output',
  cache_read_input_token_cost: 'cachedInput',
  cache_creation_input_token_cost: 'cacheWrite',
} as const;
const TIERED = /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)_above_(\d+)k_tokens$/;
/** Fields that are read or are not prices. */
const KNOWN = new Set(['litellm_provider', 'mode', 'max_tokens', 'max_input_tokens', 'max_output_tokens', 'input_cost_per_token_batches', 'output_cost_per_token_batches', 'source', 'deprecation_date', 'metadata']);

export function importLiteLlm(json: Record<string, unknown>, ctx: ImportContext): Imported {
  const models: ModelEntry[] = [];
  for (const [key, raw] of Object.entries(json)) {
    const path = seg(key).replace(/^\./, '');
    if (key === 'sample_spec') continue; // LiteLLM's documentation of its own fields, not a model
    if (!isObject(raw)) {
      ctx.problems.push({ path, message: 'not a model entry object; skipped' });
      continue;
    }
    const mode = typeof raw.mode === 'string' ? raw.mode : undefined;
    if (mode !== undefined && !CHAT_MODES.has(mode)) {
      ctx.problems.push({ path: `${path}.mode`, message: `mode "${mode}" is not a chat model; skipped` });
      continue;
    }
    const model = importOne(key, raw, path, ctx);
    if (model) models.push(model);
  }
  return { models };
}

function importOne(key: string, raw: Record<string, unknown>, path: string, ctx: ImportContext): ModelEntry | undefined {
  const skip = (field: string, message: string) => void ctx.problems.push({ path: `${path}${seg(field)}`, message: `${message}; model skipped` });
  const input = priceValue(raw.input_cost_per_token);
  const output = priceValue(raw.output_cost_per_token);
  if (input === undefined) return skip('input_cost_per_token', raw.input_cost_per_token === undefined ? 'no input price' : 'not a non-negative number');
  if (output === undefined) return skip('output_cost_per_token', raw.output_cost_per_token === undefined ? 'no output price' : 'not a non-negative number');
  const contextWindow = positiveInt(raw.max_input_tokens);
  // max_tokens is the output limit for some entries and the context for others in LiteLLM: not used for the context.
  if (contextWindow === undefined) return skip('max_input_tokens', 'no max_input_tokens (context window)');

  const prices: Record<string, number> = { input: perMillionFromPerToken(input), output: perMillionFromPerToken(output) };
  const tiers = new Map<number, Partial<PriceTier>>();
  for (const [field, value] of Object.entries(raw)) {
    if (field in BASE || KNOWN.has(field)) {
      if (field in BASE && field !== 'input_cost_per_token' && field !== 'output_cost_per_token') {
        const v = priceValue(value);
        if (v === undefined) ctx.problems.push({ path: `${path}${seg(field)}`, message: 'not a non-negative number; ignored' });
        else prices[BASE[field as keyof typeof BASE]] = perMillionFromPerToken(v);
      }
      continue;
    }
    const tier = TIERED.exec(field);
    if (tier) {
      const v = priceValue(value);
      if (v === undefined) {
        ctx.problems.push({ path: `${path}${seg(field)}`, message: 'not a non-negative number; ignored' });
        continue;
      }
      const above = Number(tier[2]) * 1000;
      const t = tiers.get(above) ?? { above };
      t[BASE[tier[1] as keyof typeof BASE]] = perMillionFromPerToken(v);
      tiers.set(above, t);
      continue;
    }
    // Anything else that carries a price (audio, images, reasoning, search, priority…) has no place in our lists.
    if (/cost|price/i.test(field) && value !== 0 && value !== null) ctx.problems.push({ path: `${path}${seg(field)}`, message: 'a price this table has no field for; not imported' });
  }

  const list = importedList(ctx, prices as { input: number; output: number });
  if (tiers.size) {
    // LiteLLM prices the whole request at the *_above_ rates once the prompt is longer; a rate it leaves out stays
    // at the base rate, as LiteLLM's own cost calculation does.
    list.tiers = [...tiers.values()]
      .sort((a, b) => (a.above as number) - (b.above as number))
      .map((t) => {
        const out: PriceTier = { above: t.above as number, input: t.input ?? list.input, output: t.output ?? list.output };
        const cached = t.cachedInput ?? list.cachedInput;
        const write = t.cacheWrite ?? list.cacheWrite;
        if (cached !== undefined) out.cachedInput = cached;
        if (write !== undefined) out.cacheWrite = write;
        return out;
      });
  }
  const bIn = priceValue(raw.input_cost_per_token_batches);
  const bOut = priceValue(raw.output_cost_per_token_batches);
  if (bIn !== undefined || bOut !== undefined) {
    const m = bIn !== undefined && bOut !== undefined && input > 0 && output > 0 ? [Number((bIn / input).toPrecision(6)), Number((bOut / output).toPrecision(6))] : [];
    if (m.length === 2 && m[0] === m[1] && m[0] > 0) list.batchMultiplier = m[0];
    else ctx.problems.push({ path: `${path}.input_cost_per_token_batches`, message: 'batch prices are not one multiplier of the list prices; not imported' });
  }

  const provider = typeof raw.litellm_provider === 'string' ? raw.litellm_provider : key.includes('/') ? key.split('/')[0] : 'unknown';
  const bare = key.startsWith(`${provider}/`) ? key.slice(provider.length + 1) : key;
  const origin = originOf(provider, bare, `${path}.litellm_provider`, ctx);
  const entry: ModelEntry = {
    id: key,
    vendor: origin.vendor,
    name: bare,
    tokenizer: origin.tokenizer,
    contextWindow,
    prices: [list],
    note: `Imported from ${ctx.label} (LiteLLM, provider ${provider}); dated ${ctx.fileDate}, the file's date, not the vendor's start date.`,
  };
  if (origin.firstParty && bare !== key) entry.aliases = [bare];
  const maxOutput = positiveInt(raw.max_output_tokens);
  if (maxOutput !== undefined) entry.maxOutput = maxOutput;
  return entry;
}
