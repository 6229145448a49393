// The text of the aria-live status line and the table caption. Pure, so tests can check it.
import type { PanelRow, PanelSnapshot, PanelStrings, PanelViewState } from '../panel/protocol';
import { count, fill, money } from './format';
import { cheapest, displayCost, type SortKey } from './table';

export function columnLabel(key: SortKey, strings: PanelStrings): string {
  return strings[key];
}

export function sortDescription(view: PanelViewState, strings: PanelStrings): string {
  return `${strings.sortedBy} ${columnLabel(view.sortKey, strings)}, ${view.sortDescending ? strings.descending : strings.ascending}`;
}

/** e.g. "34 models · cheapest: Qwen Flash ¥0.00012 · sorted by Total, ascending". */
export function statusText(rows: readonly PanelRow[], snapshot: PanelSnapshot, view: PanelViewState, strings: PanelStrings, locale?: string): string {
  if (snapshot.message) return snapshot.message;
  if (rows.length === 0) return strings.noData;
  const parts: string[] = [];
  const best = cheapest(rows, view.currency, snapshot.exchangeRate);
  if (best) {
    const c = displayCost(best, view.currency);
    parts.push(fill(strings.statusLine, count(rows.length, locale), best.name, money(c.total, c.currency, locale)));
  }
  parts.push(sortDescription(view, strings));
  return parts.join(' · ');
}
