// What the CLI prints: the comparison table per file, the price table, the --report table, and the --json shapes of
// counted files. Text is laid out for a terminal (display widths, escaped control characters).
import type { ModelComparison } from '../core/compare';
import type { PricesAsOf } from '../core/prices/asOf';
import { STALE_AFTER_DAYS } from '../core/prices/asOf';
import { utcDay } from '../core/prices/inForce';
import { formatCount, formatMoney } from '../core/money';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import type { WorkspaceReport } from '../core/report/report';
import type { TokenCount } from '../core/tokenizers/tokenCounter';

/** A chat file's count details, as printed and in --json. */
export interface ChatInfo {
  messages: number;
  overheadTokens: number;
  overheadKnown: boolean;
  basis: string;
}

export function renderComparison(path: string, characters: number, rows: ModelComparison[], outputTokens: number): string {
  const header = ['Model', 'Vendor', 'Tokens', 'Input', `Output (${outputTokens})`, 'Total'];
  const body = rows.map((r) => [
    r.model.id,
    r.model.vendor,
    `${r.exact ? '' : '≈'}${formatCount(r.tokens, 'en-US')}`,
    formatMoney(r.cost.inputCost, r.cost.currency, 'en-US'),
    formatMoney(r.cost.outputCost, r.cost.currency, 'en-US'),
    formatMoney(r.cost.totalCost, r.cost.currency, 'en-US') + (r.cost.converted ? '*' : ''),
  ]);
  const notes: string[] = [];
  if (rows.some((r) => !r.exact)) notes.push('≈ estimate: the vendor’s tokenizer is not public');
  if (rows.some((r) => r.cost.converted)) notes.push('* converted from the model’s other-currency price list');
  if (rows.some((r) => r.contextUse > 1)) notes.push(`over the context window: ${rows.filter((r) => r.contextUse > 1).map((r) => r.model.id).join(', ')}`);
  return `${path} (${formatCount(characters, 'en-US')} characters)\n${table([header, ...body], [false, false, true, true, true, true])}${notes.map((n) => `  ${n}\n`).join('')}\n`;
}

/** The line under a chat file's comparison: `known` are the tokenizers whose overhead follows the vendor's template. */
export function renderChatNote(messages: number, known: readonly string[]): string {
  return `  chat format: ${messages} messages; per-message overhead included — from the vendor's template for ${known.join(', ') || 'none'}, estimated (≈) for the others\n\n`;
}

/** One file counted with --tokenizer: a single line. */
export function renderTokenizerCount(path: string, tokenizer: string, c: TokenCount, chat: ChatInfo | undefined): string {
  const chatText = chat ? `, chat: ${chat.messages} messages, ${chat.overheadTokens} overhead tokens (${chat.overheadKnown ? 'vendor template' : 'estimated'})` : '';
  return `${path}: ${c.exact ? '' : '≈'}${formatCount(c.tokens, 'en-US')} tokens (${tokenizer}${c.exact ? '' : ', estimate'})${chatText}\n`;
}

/** One file counted with --tokenizer, in --json's `files`. */
export function tokenizerCountJson(path: string, tokenizer: string, c: TokenCount, chat: ChatInfo | undefined): unknown {
  return { path, tokenizer, tokens: c.tokens, ...(chat ? { chat } : {}) };
}

/** One file priced on every reported model, in --json's `files`. */
export function comparisonJson(path: string, characters: number, rows: ModelComparison[], chatInfo: (id: TokenizerId) => ChatInfo | undefined): unknown {
  return {
    path,
    characters,
    results: rows.map((r) => ({
      model: r.model.id,
      vendor: r.model.vendor,
      tokenizer: r.model.tokenizer,
      tokens: r.tokens,
      exact: r.exact,
      currency: r.cost.currency,
      inputCost: round(r.cost.inputCost),
      outputCost: round(r.cost.outputCost),
      totalCost: round(r.cost.totalCost),
      ...(chatInfo(r.model.tokenizer) ? { chat: chatInfo(r.model.tokenizer) } : {}),
    })),
  };
}

export function renderModelList(models: readonly ModelEntry[]): string {
  const rows = models.map((m) => [
    m.vendor,
    m.id,
    m.tokenizer,
    formatCount(m.contextWindow, 'en-US'),
    m.prices.map((p) => `${p.currency} ${p.input}/${p.output} per ${p.unit ? formatCount(p.unit, 'en-US') : '1M'} (${p.effectiveDate})`).join('; '),
    String(m.history?.length ?? 0),
  ]);
  return table([['Vendor', 'Model', 'Tokenizer', 'Context', 'Input/output prices', 'History'], ...rows], [false, false, false, true, false, true]);
}

export function renderReport(dir: string, model: ModelEntry, report: WorkspaceReport): string {
  const c = report.currency;
  const money = (x: number) => formatMoney(x, c, 'en-US');
  const count = (tokens: number, estimates: number) => `${estimates ? '≈' : ''}${formatCount(tokens, 'en-US')}`;
  const total = report.total();
  let out = `${printable(dir)}: ${formatCount(total.files, 'en-US')} prompt file${total.files === 1 ? '' : 's'} priced for ${model.name} (${model.id}), in ${c}\n`;
  if (total.files) {
    const files = report.rows().map((r) => [printable(r.path), count(r.tokens, r.exact ? 0 : 1), money(r.cost)]);
    out += table([['File', 'Tokens', 'Cost'], ...files], [false, true, true]);
    const folders = report.folders().map((f) => [printable(f.path) + '/', formatCount(f.files, 'en-US'), count(f.tokens, f.estimates), money(f.cost)]);
    out += '\n' + table([['Folder', 'Files', 'Tokens', 'Cost'], ...folders, ['Total', formatCount(total.files, 'en-US'), count(total.tokens, total.estimates), money(total.cost)]], [false, true, true, true]);
    if (total.estimates) out += '  ≈ estimate: the vendor’s tokenizer is not public\n';
  }
  const skipped = report.skipped();
  if (skipped.length) out += `\nSkipped (${skipped.length}):\n${skipped.map((s) => `  ${printable(s.path)}: ${s.reason}\n`).join('')}`;
  return out + '\n';
}

/**
 * File names from a cloned repository reach the terminal: control characters (an escape sequence could rewrite the
 * screen) and bidirectional overrides (which reorder what is shown) are printed as \u{…} escapes.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Twelve significant digits: drops binary noise (0.000009600000000000001) and keeps every real digit. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Display width: East Asian wide characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

/** Rows laid out in columns two spaces apart; `right[c]` right-aligns column c (numbers). */
function table(rows: string[][], right: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  return rows
    .map((r) => '  ' + r.map((cell, c) => (right[c] ? ' '.repeat(widths[c] - width(cell)) + cell : cell + ' '.repeat(widths[c] - width(cell)))).join('  ').trimEnd() + '\n')
    .join('');
}

/** Why a model is not priced: with --at, it had no list at that date; without, it has none today. */
export function noPriceReason(modelId: string, at: Date | undefined): string {
  return at ? `${modelId}: no price at that date (${utcDay(at)})` : `${modelId} has no current price`;
}

/** The footer under priced output: how old the prices are, and what to do when they are stale. */
export function renderPricesAsOf(a: PricesAsOf): string {
  const date = a.oldestChecked ?? a.tableDate;
  let line = date ? `Prices as of ${date}` : 'Prices of unknown date';
  if (a.oldestChecked && a.tableDate) line += ` (oldest checked date among these models; table dated ${a.tableDate})`;
  if (a.unchecked.length) line += `; no checked date: ${a.unchecked.join(', ')}`;
  if (a.stale) line += `\n  ${date ? `older than ${STALE_AFTER_DAYS} days` : 'no date'}: update with a newer version, a price file (--prices), or the extension's tokenCost.priceUpdateUrl`;
  return `  ${line}\n`;
}

/** --json's `pricesAsOf`: dates as YYYY-MM-DD, or null when unknown. */
export function pricesAsOfJson(a: PricesAsOf): { oldestChecked: string | null; tableDate: string | null; stale: boolean } {
  return { oldestChecked: a.oldestChecked ?? null, tableDate: a.tableDate ?? null, stale: a.stale };
}
