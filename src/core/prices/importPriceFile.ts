// One entry point for every price file a user can point at (tokenCost.priceTableFile, the CLI's --prices): this
// project's format, or LiteLLM's, models.dev's or OpenRouter's, recognised by shape and converted to ours. Pure.
import type { ImportProblem } from './imports/common';
import { importLiteLlm, looksLikeLiteLlm } from './imports/litellm';
import { importModelsDev, looksLikeModelsDev } from './imports/modelsDev';
import { importOpenRouter, looksLikeOpenRouter } from './imports/openRouter';
import { isIsoDate, utcDay } from './inForce';
import type { HistoricalPrice, ModelEntry, PriceTable } from './types';

export type { ImportProblem };
export type PriceFileFormat = 'token-cost' | 'litellm' | 'models.dev' | 'openrouter';

export interface ImportOptions {
  /** YYYY-MM-DD of the file (its modification or download date): the imported lists' `checked` date, and their
   * `effectiveDate` where the format has no date of its own. Defaults to today (UTC). */
  fileDate?: string;
  /** Today, for the default file date; defaults to now. */
  today?: Date;
  /** Models to merge with (usually the shipped table, or the layers below): imports that match one by id or alias. */
  base?: readonly ModelEntry[];
  /**
   * When true, an imported price replaces the matching model's list in its currency (USD), and the replaced list
   * goes to that model's history. When false (the default) the matching model keeps its own prices and the import
   * is dropped: the shipped table wins unless the user says so. Unmatched imports are always added.
   */
  override?: boolean;
}

export interface MergeNote {
  imported: string;
  model: string;
  winner: 'shipped' | 'imported';
}

export interface ParsedPriceFile {
  /** The format recognised; undefined when the text is not JSON or no known shape. */
  format?: PriceFileFormat;
  /**
   * A table in this project's format, for a price layer (`layerPriceTables` validates it entry by entry). For a
   * 'token-cost' file it is the file as written; for an import, the converted models after merging with `base`.
   */
  table?: PriceTable;
  /** What was not understood or not imported, with its JSON path in the file. Empty for a 'token-cost' file. */
  problems: ImportProblem[];
  /** Imported models that matched a base model, and which side's price is used. */
  merged: MergeNote[];
}

/** Parses a price file's text: JSON errors become a problem, never an exception. */
export function parsePriceFile(text: string, label: string, options: ImportOptions = {}): ParsedPriceFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problems: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }], merged: [] };
  }
  return importPriceFile(json, label, options);
}

/** Converts parsed JSON in any supported format to this project's format; see ParsedPriceFile. */
export function importPriceFile(json: unknown, label: string, options: ImportOptions = {}): ParsedPriceFile {
  const format = detectFormat(json);
  if (format === undefined) {
    return { problems: [{ path: '', message: 'not a price table this extension knows: expected a Token Cost table ({ "models": [...] }), LiteLLM\'s model_prices_and_context_window.json, models.dev\'s api.json or OpenRouter\'s /api/v1/models response' }], merged: [] };
  }
  if (format === 'token-cost') return { format, table: (Array.isArray(json) ? { version: 1, models: json } : json) as PriceTable, problems: [], merged: [] };

  const fileDate = isIsoDate(options.fileDate) ? options.fileDate : utcDay(options.today ?? new Date());
  const ctx = { label, fileDate, problems: [] as ImportProblem[] };
  const imported =
    format === 'litellm' ? importLiteLlm(json as Record<string, unknown>, ctx) : format === 'models.dev' ? importModelsDev(json as Record<string, unknown>, ctx) : importOpenRouter(json as { data: unknown[] }, ctx);
  const { models, merged } = mergeImported(imported.models, options.base ?? [], options.override === true, ctx.problems);
  return { format, table: { version: 1, updated: fileDate, models }, problems: ctx.problems, merged };
}

export function detectFormat(json: unknown): PriceFileFormat | undefined {
  if (Array.isArray(json) || (typeof json === 'object' && json !== null && Array.isArray((json as { models?: unknown }).models))) return 'token-cost';
  if (looksLikeOpenRouter(json)) return 'openrouter';
  if (looksLikeModelsDev(json)) return 'models.dev';
  if (looksLikeLiteLlm(json)) return 'litellm';
  return undefined;
}

/**
 * Imports that match a base model (by id or alias, either side, case-insensitive) become an override of that model's
 * prices or are dropped (see ImportOptions.override); a second import matching the same model is dropped and said.
 */
function mergeImported(imported: readonly ModelEntry[], base: readonly ModelEntry[], override: boolean, problems: ImportProblem[]): { models: ModelEntry[]; merged: MergeNote[] } {
  const byKey = new Map<string, ModelEntry>();
  for (const m of base) for (const k of [m.id, ...(m.aliases ?? [])]) if (!byKey.has(k.toLowerCase())) byKey.set(k.toLowerCase(), m);
  const taken = new Map<ModelEntry, string>();
  const models: ModelEntry[] = [];
  const merged: MergeNote[] = [];
  for (const m of imported) {
    const match = [m.id, ...(m.aliases ?? [])].map((k) => byKey.get(k.toLowerCase())).find((b) => b !== undefined);
    if (!match) {
      models.push(m);
      continue;
    }
    const first = taken.get(match);
    if (first !== undefined) {
      problems.push({ path: m.id, message: `also matches ${match.id}, already taken from ${first}; not imported` });
      continue;
    }
    taken.set(match, m.id);
    merged.push({ imported: m.id, model: match.id, winner: override ? 'imported' : 'shipped' });
    if (!override) continue;
    const list = m.prices[0];
    const replaced = match.prices.find((p) => p.currency === list.currency);
    const history: HistoricalPrice[] = [...(match.history ?? [])];
    if (replaced && replaced.effectiveDate < list.effectiveDate) history.push(replaced);
    // Only id, prices and history: the other fields (tokenizer, name, context…) are inherited from the base model.
    const entry = { id: match.id, prices: [...match.prices.filter((p) => p.currency !== list.currency), list], history } as unknown as ModelEntry;
    if (!history.length) delete (entry as Partial<ModelEntry>).history;
    models.push(entry);
  }
  return { models, merged };
}
