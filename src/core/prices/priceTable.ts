// The shipped default table, plus user and workspace entries layered on top by id.
import defaultTable from './default-prices.json';
import type { ModelEntry, PriceTable } from './types';
import type { PriceTableError } from './validate';
import { validatePriceTable } from './validate';

let defaults: ModelEntry[] | undefined;

/** The shipped models, validated once (tests keep the shipped file free of errors). */
export function defaultModels(): ModelEntry[] {
  defaults ??= validatePriceTable(defaultTable).models;
  return defaults;
}

export function defaultTableInfo(): Pick<PriceTable, 'updated' | 'version'> {
  const t = defaultTable as unknown as PriceTable;
  return { version: t.version, updated: t.updated };
}

export interface PriceLayer {
  /** Where the entries came from, for messages: "user settings", a file path… */
  origin: string;
  input: unknown;
}

export interface LayeredTable {
  models: ModelEntry[];
  errors: (PriceTableError & { origin: string })[];
}

/**
 * Applies layers in order over the defaults. An entry whose id (or alias) matches an existing model overrides it,
 * inheriting the fields it leaves out; other entries are added. Invalid entries are reported and skipped.
 */
export function layerPriceTables(layers: readonly PriceLayer[], base: readonly ModelEntry[] = defaultModels(), userTokenizers?: ReadonlySet<string>): LayeredTable {
  let models = base.slice();
  const errors: LayeredTable['errors'] = [];
  for (const layer of layers) {
    const result = validatePriceTable(layer.input, { base: models, userTokenizers });
    for (const e of result.errors) errors.push({ ...e, origin: layer.origin });
    models = mergeModels(models, result.models);
  }
  return { models, errors };
}

export function mergeModels(base: readonly ModelEntry[], overrides: readonly ModelEntry[]): ModelEntry[] {
  const out = base.slice();
  for (const m of overrides) {
    const i = out.findIndex((b) => b.id === m.id);
    if (i >= 0) out[i] = m;
    else out.push(m);
  }
  return out;
}

/** Finds a model by id or alias, case-insensitively. */
export function findModel(models: readonly ModelEntry[], idOrAlias: string): ModelEntry | undefined {
  const key = idOrAlias.trim().toLowerCase();
  return (
    models.find((m) => m.id.toLowerCase() === key) ??
    models.find((m) => m.aliases?.some((a) => a.toLowerCase() === key)) ??
    models.find((m) => m.name.toLowerCase() === key)
  );
}
