// What the status bar tooltip and the Prompt Costs view say about the context files: pure functions of the counts,
// given vscode.l10n.t as `t` (tests pass a formatter).
import type { ContextSummary } from '../core/context/contextCost';
import type { ContextEntry } from '../core/context/contextFiles';
import type { ContextRuleId } from '../core/context/contextRules';
import { CONTEXT_RULES, TOOL_NAMES } from '../core/context/contextRules';
import { formatCount, formatMoney } from '../core/money';
import type { ModelEntry } from '../core/prices/types';
import { escapeMarkdown } from '../core/summary';

export type Translate = (message: string, ...args: (string | number)[]) => string;

export interface ModelContext {
  model: ModelEntry;
  summary: ContextSummary;
}

/** "+1,234 tokens ¥0.0009 per request from 3 context files", for the default model then the followed ones. */
export function contextNote(models: readonly ModelContext[], locale: string, t: Translate): string | undefined {
  const [first, ...rest] = models;
  if (!first || first.summary.files === 0) return undefined;
  const added = (m: ModelContext) => {
    const tokens = `${m.summary.exact ? '' : '≈'}${formatCount(m.summary.totalTokens, locale)}`;
    const money = m.summary.costPerRequest !== undefined && m.summary.currency ? formatMoney(m.summary.costPerRequest, m.summary.currency, locale) : '—';
    return { tokens, money };
  };
  const a = added(first);
  const n = first.summary.files;
  const head = n === 1 ? t('+{0} tokens {1} per request from 1 context file', a.tokens, a.money) : t('+{0} tokens {1} per request from {2} context files', a.tokens, a.money, formatCount(n, locale));
  const others = rest.map((m) => {
    const b = added(m);
    return escapeMarkdown(`${m.model.name} +${b.tokens} ${b.money}`);
  });
  return `$(file-text) ${escapeMarkdown(head)} (${escapeMarkdown(first.model.name)})${others.length ? ` · ${others.join(' · ')}` : ''}`;
}

/** When the file is sent, for its row: short, localized. */
export function appliesLabel(e: ContextEntry, t: Translate): string {
  const f = e.file;
  switch (e.reason) {
    case 'always':
      return t('every request');
    case 'nearest':
      return t('nearest AGENTS.md');
    case 'ancestor':
      return t('files under {0}', `${f.scope}/`);
    case 'glob-match':
      return t('matches {0}', f.globs.join(', '));
    case 'imported':
      return t('imported by {0}', f.importedBy ?? '');
    case 'shadowed':
      return t('not sent: a nearer AGENTS.md wins');
    case 'other-folder':
      return t('not sent: only for files under {0}', `${f.scope}/`);
    case 'glob-no-match':
      return t('not sent: {0} does not match', f.globs.join(', '));
    case 'needs-file':
      return t('for files matching {0}', f.globs.join(', '));
    case 'requested':
      return t('not sent: only when the agent requests it');
    case 'manual':
      return t('not sent: only when attached by hand');
    case 'not-read':
      return t('not counted: {0}', f.problem ?? '');
  }
}

/** The rule as Markdown: the translated text, then a link to the page it comes from. */
export function ruleMarkdown(id: ContextRuleId, t: Translate): string {
  const url = CONTEXT_RULES[id].url;
  return `${escapeMarkdown(ruleText(id, t))} ([${escapeMarkdown(new URL(url).host)}](${url}))`;
}

function ruleText(id: ContextRuleId, t: Translate): string {
  const text: Record<ContextRuleId, string> = {
    'agents-nearest': t('the nearest AGENTS.md above the edited file wins; the whole file is sent'),
    'claude-memory': t('CLAUDE.md in the launch folder and its parents is loaded at start, one in a subfolder when Claude reads files there; the whole file is sent, with its @imports'),
    'claude-import': t('imported with @path by a CLAUDE.md that is sent (up to 5 hops; not inside code); sent with it'),
    'gemini-hierarchy': t('every GEMINI.md in the workspace folder and, when a tool reads a file, in its folder and their parents is concatenated and sent with every prompt; the whole file, with its @imports'),
    'gemini-import': t('imported with @path by a GEMINI.md that is sent; sent with it'),
    'copilot-repo': t('applies to every request in the repository; the whole file is sent'),
    'copilot-path': t('sent for files matching applyTo (comma-separated globs from the workspace root); the text after the front matter counts'),
    'copilot-path-manual': t('no applyTo: not applied automatically, only when attached by hand'),
    'cursor-always': t('alwaysApply: true: sent with every request; the text after the front matter counts'),
    'cursor-glob': t('auto attached when a file matching globs is in the context; the text after the front matter counts'),
    'cursor-requested': t('agent requested: only its description is offered, the rule is sent when the agent asks for it'),
    'cursor-manual': t('manual: sent only when mentioned with @rule'),
    'cursor-legacy': t('legacy .cursorrules: sent with every request; the whole file'),
    'cline-file': t('a .clinerules file: sent with every task; the whole file'),
    'cline-folder': t('every Markdown file in .clinerules/ is combined and sent with every task; the text after any front matter counts'),
    'cline-paths': t('conditional: sent when a file you work on matches paths; the text after the front matter counts'),
    'windsurf-legacy': t('.windsurfrules: workspace rules, always on; the whole file'),
    'windsurf-always': t('trigger: always_on: sent with every request; the text after the front matter counts'),
    'windsurf-glob': t('trigger: glob: sent for files matching globs; the text after the front matter counts'),
    'windsurf-model': t('trigger: model_decision: the model decides from its description; not always sent'),
    'windsurf-manual': t('manual: sent only when @mentioned'),
  };
  return text[id];
}

export interface ContextRowView {
  path: string;
  applies: boolean;
  description: string;
  /** Markdown. */
  tooltip: string;
  accessibilityLabel: string;
}

/** The Prompt Costs view's "Context files" group: its label's description, and one row per file found. */
export function contextGroupView(target: string, model: ModelEntry, summary: ContextSummary, locale: string, t: Translate): { description: string; tooltip: string; rows: ContextRowView[] } {
  const money = (amount: number | undefined) => (amount !== undefined && summary.currency ? formatMoney(amount, summary.currency, locale) : '—');
  const total = `${summary.exact ? '' : '≈'}${formatCount(summary.totalTokens, locale)}`;
  const description = t('{0} tokens · {1} per request', total, money(summary.costPerRequest));
  const tooltip = [
    `**${escapeMarkdown(t('Context files'))}** · ${escapeMarkdown(target)}`,
    escapeMarkdown(
      summary.files === 1
        ? t('1 file sent with each request about this file: {0} tokens on {1}, {2} per request', total, model.name, money(summary.costPerRequest))
        : t('{0} files sent with each request about this file: {1} tokens on {2}, {3} per request', formatCount(summary.files, locale), total, model.name, money(summary.costPerRequest)),
    ),
    escapeMarkdown(t('Files of every tool are summed; a project set up for one tool has only its own.')),
  ].join('\n\n');
  const rows = summary.rows.map((r) => {
    const f = r.entry.file;
    const tokens = `${r.exact ? '' : '≈'}${formatCount(r.tokens, locale)}`;
    const applies = appliesLabel(r.entry, t);
    const countText = f.problem ? applies : t('{0} tokens · {1}', tokens, applies);
    const lines = [`**${escapeMarkdown(f.path)}** · ${escapeMarkdown(TOOL_NAMES[f.tool])}`, escapeMarkdown(countText), ruleMarkdown(f.rule, t)];
    if (f.frontMatterStripped) lines.push(escapeMarkdown(t('Front matter is not counted: the tool reads it as settings.')));
    return { path: f.path, applies: r.entry.applies, description: countText, tooltip: lines.join('\n\n'), accessibilityLabel: `${f.path}, ${countText}` };
  });
  return { description, tooltip, rows };
}
