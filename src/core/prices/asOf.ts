// "Prices as of DATE": how old the prices behind a view are. The date shown is the oldest `checked` among the shown
// models' current lists (a view is only as fresh as its stalest price), next to the table's own date.
import { findModel } from './priceTable';
import { daysBetween, isIsoDate, utcDay } from './inForce';
import type { ModelEntry } from './types';

/** Prices older than this many days are called stale, and the user is told how to update them. */
export const STALE_AFTER_DAYS = 60;

export interface PricesAsOf {
  /** The oldest `checked` date among the shown models' current lists; undefined when none has one. */
  oldestChecked?: string;
  /** The table's own date (`updated`), if it has one. */
  tableDate?: string;
  /**
   * True when the prices' date (oldestChecked, else tableDate) is more than STALE_AFTER_DAYS days before today, or
   * when there is no date at all (an unknown age is not a fresh one).
   */
  stale: boolean;
  /** Days from that date to today; undefined without a date. */
  ageDays?: number;
  /** Shown models with a current list that has no `checked` date (e.g. from a user price file). */
  unchecked: string[];
}

/**
 * The age of the prices for `modelIds` (ids or aliases; unknown ones are ignored) in `table`. `today` defaults to
 * now; days are counted between UTC calendar dates.
 */
export function pricesAsOf(table: { updated?: string; models: readonly ModelEntry[] }, modelIds: readonly string[], today: Date = new Date()): PricesAsOf {
  let oldest: string | undefined;
  const unchecked: string[] = [];
  const seen = new Set<ModelEntry>();
  for (const id of modelIds) {
    const m = table.models.find((x) => x.id === id) ?? findModel(table.models, id);
    if (!m || seen.has(m)) continue;
    seen.add(m);
    for (const list of m.prices) {
      if (!isIsoDate(list.checked)) {
        if (!unchecked.includes(m.id)) unchecked.push(m.id);
        continue;
      }
      if (oldest === undefined || list.checked < oldest) oldest = list.checked;
    }
  }
  const tableDate = isIsoDate(table.updated) ? table.updated : undefined;
  const date = oldest ?? tableDate;
  const ageDays = date === undefined ? undefined : daysBetween(date, utcDay(today));
  const result: PricesAsOf = { stale: ageDays === undefined || ageDays > STALE_AFTER_DAYS, unchecked };
  if (oldest !== undefined) result.oldestChecked = oldest;
  if (tableDate !== undefined) result.tableDate = tableDate;
  if (ageDays !== undefined) result.ageDays = ageDays;
  return result;
}
