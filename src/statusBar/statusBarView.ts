// Everything the status bar item shows, as one pure function of the live state: text, tooltip, accessibility label,
// click command and warning colour are computed together and assigned together, so none can keep another file's
// numbers (an earlier bug: the screen-reader label did while counting or for binary files).
import type { ChatCount } from '../core/chat/chatFormat';
import type { ModelComparison } from '../core/compare';
import type { ModelEntry } from '../core/prices/types';
import type { LiveState } from '../live/liveCounts';
import { documentOfKey } from '../live/measure';
import { formatBytes } from '../core/textInput';
import { formatCount, formatMoney } from '../core/money';
import type { SummaryLabels } from '../core/summary';
import { comparisonTable, escapeMarkdown } from '../core/summary';
import { Commands } from '../constants';

/** vscode.l10n.t's shape; tests pass a formatter that fills in {0}, {1}, … */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export interface StatusInput {
  state: LiveState;
  rows: readonly ModelComparison[];
  defaultModel: ModelEntry;
  /** tokenCost.defaultModel named a model that does not exist. */
  unknownSetting?: string;
  priceProblems: number;
  locale: string;
  labels: SummaryLabels;
  /** Extra tooltip paragraphs (Markdown), e.g. the prices' age. */
  notes?: readonly string[];
}

export interface StatusView {
  visible: boolean;
  text: string;
  /** Markdown. */
  tooltip: string;
  /** Commands the tooltip may link to (none for plain-text tooltips). */
  trustedCommands: string[];
  accessibilityLabel: string;
  command?: { command: string; title: string };
  /** Warning background: the text is longer than the default model's context window. */
  warning: boolean;
  /** Counting: the previous numbers may stay a moment before this (marked) view replaces them. */
  counting: boolean;
}

const HIDDEN: StatusView = { visible: false, text: '', tooltip: '', trustedCommands: [], accessibilityLabel: '', warning: false, counting: false };

export function statusView(input: StatusInput, t: Translate): StatusView {
  const { state, locale, defaultModel: def } = input;
  const m = state.measurement;
  if (!m) return HIDDEN;
  if (!m.ok) {
    const binary = m.reason === 'binary';
    const text = binary ? t('binary file') : t('{0}: too large', formatBytes(m.bytes));
    return {
      visible: true,
      text: `$(symbol-numeric) ${text}`,
      tooltip: binary
        ? t('**Token Cost** does not count {0}: it looks binary (contains NUL characters).', escapeMarkdown(m.documentName))
        : t('**Token Cost**: {0} is {1}, above `tokenCost.maxFileSize`. Click to count it once anyway.', escapeMarkdown(m.documentName), formatBytes(m.bytes)),
      trustedCommands: [],
      accessibilityLabel: binary ? t('Token Cost: {0} is a binary file; not counted', m.documentName) : t('Token Cost: {0} is {1}, too large to count; activate to count it once', m.documentName, formatBytes(m.bytes)),
      command: binary ? undefined : { command: Commands.countAnyway, title: t('Count This Large File Anyway') },
      warning: false,
      counting: false,
    };
  }
  const row = input.rows.find((r) => r.model === def);
  if (!state.fresh || !row) {
    // Counting: never shown as current. The old number, if any, is marked with the spinner, and only while it is
    // this document's (an edit); another document's number is never shown for this one.
    const old = row && documentOfKey(state.countsKey) === documentOfKey(m.key) ? row : undefined;
    const text = old ? `$(sync~spin) ${old.exact ? '' : '≈'}${formatCount(old.tokens, locale)} · ${def.name}` : `$(sync~spin) ${t('counting…')}`;
    const tip = state.error ? t('Token Cost: counting failed: {0}', state.error) : t('Token Cost: counting {0}…', m.documentName);
    return { visible: true, text, tooltip: escapeMarkdown(tip), trustedCommands: [], accessibilityLabel: tip, command: { command: Commands.openPanel, title: t('Open Comparison Panel') }, warning: false, counting: !state.error };
  }
  const tokens = formatCount(row.tokens, locale);
  const money = formatMoney(row.cost.totalCost, row.cost.currency, locale);
  const over = row.contextUse > 1;
  const scope = m.scope === 'selection' ? t('selection') : t('document');
  const lines = [
    `**${t('Token Cost')}** · ${escapeMarkdown(m.documentName)} · ${scope} · ${t('{0} characters', formatCount(state.characters ?? 0, locale))}`,
    '',
    comparisonTable([...input.rows], input.labels, { locale, highlightId: def.id, detailed: false }),
  ];
  if (over) lines.push('', `$(warning) ${t('{0} tokens exceed {1}’s context window of {2}.', tokens, escapeMarkdown(def.name), formatCount(def.contextWindow, locale))}`);
  const counted = state.counts.get(def.tokenizer);
  if (counted?.fallback) lines.push('', `$(warning) ${t('{0}; this is a rough estimate.', escapeMarkdown(counted.fallback))}`);
  const chat = counted as Partial<ChatCount> | undefined;
  if (chat?.messages !== undefined && m.scope === 'document') {
    const how = chat.overheadKnown ? t('from the vendor’s chat template') : t('estimated (≈)');
    const tools = chat.toolTokens ? ` ${t('Tools ({0} defined, {1} called): {2} tokens included.', formatCount(chat.toolDefinitions ?? 0, locale), formatCount(chat.toolCalls ?? 0, locale), formatCount(chat.toolTokens, locale))}` : '';
    lines.push('', `$(comment-discussion) ${t('Chat format: {0} messages; {1} tokens of per-message overhead included, {2}.', formatCount(chat.messages, locale), formatCount(chat.overheadTokens ?? 0, locale), how)}${tools}`, '', `*${escapeMarkdown(chat.basis ?? '')}*`);
  }
  if (input.unknownSetting) lines.push('', `$(warning) ${t('Unknown model “{0}” in tokenCost.defaultModel; showing {1}.', escapeMarkdown(input.unknownSetting), escapeMarkdown(def.name))}`);
  for (const note of input.notes ?? []) lines.push('', note);
  if (input.priceProblems) lines.push('', `$(warning) [${t('{0} problem(s) in price settings', input.priceProblems)}](command:${Commands.showProblems})`);
  lines.push('', `[${t('Open comparison')}](command:${Commands.openPanel}) · [${t('Change default model')}](command:${Commands.selectDefaultModel})`);
  return {
    visible: true,
    text: `$(symbol-numeric) ${row.exact ? '' : '≈'}${tokens} · ${money} · ${def.name}`,
    tooltip: lines.join('\n'),
    trustedCommands: [Commands.openPanel, Commands.selectDefaultModel, Commands.showProblems],
    accessibilityLabel: t('{0} tokens, {1}, {2}{3}', `${row.exact ? '' : t('about') + ' '}${tokens}`, money, def.name, over ? t(', longer than the context window') : ''),
    command: { command: Commands.openPanel, title: t('Open Comparison Panel') },
    warning: over,
    counting: false,
  };
}
