// models.dev's api.json: { "<provider>": { id, name, models: { "<model>": { id, name, release_date, last_updated,
// cost: { input, output, cache_read, cache_write, reasoning, context_over_200k: {…}, tiers: [{ …rates, tier:
// { type: "context", size } }] }, limit: { context, input, output } } } } }. Prices are USD per 1M tokens.
import { isIsoDate } from '../inForce';
import type { ModelEntry, PriceTier } from '../types';
import { importedList, isObject, originOf, positiveInt, priceValue, seg, type ImportContext, type Imported } from './common';

export function looksLikeModelsDev(json: unknown): json is Record<string, unknown> {
  if (!isObject(json) || Array.isArray(json.models)) return false;
  const providers = Object.values(json);
  return providers.length > 0 && providers.every((p) => isObject(p) && isObject(p.models));
}

const RATES = { input: 'input', output: 'output', cache_read: 'cachedInput', cache_write: 'cacheWrite' } as const;
type Rates = Partial<Record<(typeof RATES)[keyof typeof RATES], number>>;

export function importModelsDev(json: Record<string, unknown>, ctx: ImportContext): Imported {
  const models: ModelEntry[] = [];
  for (const [providerId, provider] of Object.entries(json)) {
    const list = (provider as Record<string, unknown>).models as Record<string, unknown>;
    for (const [modelId, raw] of Object.entries(list)) {
      const path = `${seg(providerId)}.models${seg(modelId)}`.replace(/^\./, '');
      const m = isObject(raw) ? importOne(providerId, modelId, raw, path, ctx) : void ctx.problems.push({ path, message: 'not a model object; skipped' });
      if (m) models.push(m);
    }
  }
  return { models };
}

function importOne(providerId: string, modelId: string, raw: Record<string, unknown>, path: string, ctx: ImportContext): ModelEntry | undefined {
  const cost = raw.cost;
  if (!isObject(cost)) {
    ctx.problems.push({ path: `${path}.cost`, message: 'no cost; model skipped' });
    return undefined;
  }
  const base = rates(cost, `${path}.cost`, ctx, ['tiers', 'context_over_200k', 'reasoning']);
  if (base.input === undefined || base.output === undefined) {
    ctx.problems.push({ path: `${path}.cost`, message: 'no input and output price; model skipped' });
    return undefined;
  }
  const limit = isObject(raw.limit) ? raw.limit : {};
  const contextWindow = positiveInt(limit.context);
  if (contextWindow === undefined) {
    ctx.problems.push({ path: `${path}.limit.context`, message: 'no context limit; model skipped' });
    return undefined;
  }
  const reasoning = priceValue(cost.reasoning);
  if (cost.reasoning !== undefined && reasoning !== base.output) ctx.problems.push({ path: `${path}.cost.reasoning`, message: 'a reasoning-token price other than the output price; not imported' });

  const tiers: PriceTier[] = [];
  const toTier = (above: number, r: Rates): PriceTier => {
    const t: PriceTier = { above, input: r.input ?? (base.input as number), output: r.output ?? (base.output as number) };
    const cached = r.cachedInput ?? base.cachedInput;
    const write = r.cacheWrite ?? base.cacheWrite;
    if (cached !== undefined) t.cachedInput = cached;
    if (write !== undefined) t.cacheWrite = write;
    return t;
  };
  if (Array.isArray(cost.tiers)) {
    cost.tiers.forEach((t, k) => {
      const p = `${path}.cost.tiers[${k}]`;
      const size = isObject(t) && isObject(t.tier) && t.tier.type === 'context' ? positiveInt(t.tier.size) : undefined;
      if (!isObject(t) || size === undefined) return void ctx.problems.push({ path: p, message: 'not a context tier { tier: { type: "context", size } }; not imported' });
      tiers.push(toTier(size, rates(t, p, ctx, ['tier'])));
    });
    if (isObject(cost.context_over_200k)) ctx.problems.push({ path: `${path}.cost.context_over_200k`, message: 'ignored: "tiers" is given and takes precedence (as in models.dev)' });
  } else if (isObject(cost.context_over_200k)) {
    tiers.push(toTier(200_000, rates(cost.context_over_200k, `${path}.cost.context_over_200k`, ctx, [])));
  }
  tiers.sort((a, b) => a.above - b.above);

  // The entry's own date, when it has one, is the latest the file vouches for; else the file's date.
  const date = isIsoDate(raw.last_updated) ? raw.last_updated : ctx.fileDate;
  const list = importedList(ctx, base as { input: number; output: number }, date);
  if (tiers.length) list.tiers = tiers.filter((t, i) => i === 0 || t.above !== tiers[i - 1].above);
  const origin = originOf(providerId, modelId, `${path}`, ctx);
  const entry: ModelEntry = {
    id: `${providerId}/${modelId}`,
    vendor: origin.vendor,
    name: typeof raw.name === 'string' && raw.name.trim() ? raw.name.trim() : modelId,
    tokenizer: origin.tokenizer,
    contextWindow,
    prices: [list],
    note: `Imported from ${ctx.label} (models.dev, provider ${providerId}); dated ${date}, ${date === ctx.fileDate ? "the file's date" : 'the entry’s last_updated'}, not the vendor's start date.`,
  };
  if (origin.firstParty) entry.aliases = [modelId];
  const maxOutput = positiveInt(limit.output);
  if (maxOutput !== undefined) entry.maxOutput = maxOutput;
  return entry;
}

/** The four rates of a cost object (per 1M already); other non-zero price fields are reported. */
function rates(o: Record<string, unknown>, path: string, ctx: ImportContext, skip: readonly string[]): Rates {
  const out: Rates = {};
  for (const [field, value] of Object.entries(o)) {
    if (skip.includes(field)) continue;
    const to = RATES[field as keyof typeof RATES];
    const v = priceValue(value);
    if (to) {
      if (v === undefined) ctx.problems.push({ path: `${path}.${field}`, message: 'not a non-negative number; ignored' });
      else out[to] = v;
    } else if (value !== 0) ctx.problems.push({ path: `${path}${seg(field)}`, message: 'a price this table has no field for; not imported' });
  }
  return out;
}
