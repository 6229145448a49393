// Markdown tables of a comparison, for the status bar tooltip, hovers and "Copy Cost Summary". Model and vendor
// names may come from a workspace file, so everything is escaped as Markdown text.
import type { ModelComparison } from './compare';
import { formatCount, formatMoney } from './money';

export interface SummaryLabels {
  model: string;
  vendor: string;
  tokens: string;
  input: string;
  output: string;
  total: string;
  context: string;
  cheapest: string;
  estimateNote: string;
  convertedNote: string;
  overContext: string;
}

/** Escapes Markdown and HTML-significant characters so names render as literal text. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export interface SummaryOptions {
  locale?: string;
  /** Bold this model's row. */
  highlightId?: string;
  /** Include vendor, input/output split and context columns (the copied summary); hovers keep it short. */
  detailed: boolean;
}

/** `rows` come cheapest first (as compareModels returns them); the first is marked cheapest. */
export function comparisonTable(rows: readonly ModelComparison[], labels: SummaryLabels, o: SummaryOptions): string {
  if (rows.length === 0) return '';
  const cheapest = rows[0];
  const head = o.detailed
    ? [labels.model, labels.vendor, labels.tokens, labels.input, labels.output, labels.total, labels.context]
    : [labels.model, labels.tokens, labels.total];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 || (o.detailed && i === 1) ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const r of rows) {
    let name = escapeMarkdown(r.model.name);
    if (r.model.id === o.highlightId) name = `**${name}**`;
    if (r === cheapest) name += ` ★ ${escapeMarkdown(labels.cheapest)}`;
    const tokens = `${r.exact ? '' : '≈'}${formatCount(r.tokens, o.locale)}`;
    const mark = r.cost.converted ? '\\*' : '';
    const money = (x: number) => escapeMarkdown(formatMoney(x, r.cost.currency, o.locale)) + mark;
    const context = `${r.contextUse > 1 ? '⚠ ' : ''}${formatPercent(r.contextUse, o.locale)}`;
    const cells = o.detailed
      ? [name, escapeMarkdown(r.model.vendor), tokens, money(r.cost.inputCost), money(r.cost.outputCost), money(r.cost.totalCost), context]
      : [name, tokens, money(r.cost.totalCost)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const notes: string[] = [];
  if (rows.some((r) => !r.exact)) notes.push(`≈ ${labels.estimateNote}`);
  if (rows.some((r) => r.cost.converted)) notes.push(`\\* ${labels.convertedNote}`);
  if (rows.some((r) => r.contextUse > 1)) notes.push(`⚠ ${labels.overContext}`);
  return lines.join('\n') + (notes.length ? `\n\n${notes.map(escapeMarkdownNote).join('  \n')}` : '');
}

function escapeMarkdownNote(s: string): string {
  return s.replace(/[<>]/g, (c) => `\\${c}`);
}

export function formatPercent(x: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: x < 0.01 ? 2 : 0 }).format(x);
}
