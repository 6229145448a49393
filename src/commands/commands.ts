// The Token Cost commands (category "Token Cost").
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';
import { formatCount, formatRate } from '../core/money';
import { comparisonTable } from '../core/summary';
import type { ModelEntry } from '../core/prices/types';
import type { PromptFiles } from '../live/promptFiles';
import { summaryLabels } from '../services/labels';
import type { LiveCounts } from '../live/liveCounts';
import { ContextKeys } from '../constants';

interface ModelPick extends vscode.QuickPickItem {
  model?: ModelEntry;
}

export async function selectDefaultModel(settings: Settings, service: CostService): Promise<void> {
  const locale = localeOf();
  const current = service.defaultModel().model;
  const byVendor = new Map<string, ModelEntry[]>();
  for (const m of service.models) byVendor.set(m.vendor, [...(byVendor.get(m.vendor) ?? []), m]);
  const items: ModelPick[] = [];
  for (const [vendor, models] of byVendor) {
    items.push({ label: vendor, kind: vscode.QuickPickItemKind.Separator });
    for (const m of models) {
      const prices = m.prices
        .map((p) => {
          const unit = (p.unit ?? 1_000_000) / 1_000_000;
          return vscode.l10n.t('in {0} · out {1} /M', formatRate(p.input / unit, p.currency, locale), formatRate(p.output / unit, p.currency, locale));
        })
        .join('  |  ');
      const exact = m.tokenizer.startsWith('estimate:') ? vscode.l10n.t('≈ estimated count') : vscode.l10n.t('exact count ({0})', m.tokenizer);
      items.push({
        label: `${m.id === current.id ? '$(check) ' : ''}${m.name}`,
        description: m.id,
        detail: `${prices} · ${exact} · ${vscode.l10n.t('{0} context', formatCount(m.contextWindow, locale))}`,
        model: m,
      });
    }
  }
  const pick = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Token Cost: Select Default Model'),
    placeHolder: vscode.l10n.t('Model shown in the status bar (current: {0})', current.name),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (pick?.model) await settings.update('defaultModel', pick.model.id);
}

export async function copySummary(live: LiveCounts, service: CostService): Promise<void> {
  const state = await live.whenCounted(service.tokenizersOf(service.models));
  const m = state.measurement;
  if (!m?.ok || !state.fresh) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: nothing to summarise; open a file first.'));
    return;
  }
  const rows = service.price(state.counts, service.models);
  const locale = localeOf();
  const scope = m.scope === 'selection' ? vscode.l10n.t('selection') : vscode.l10n.t('document');
  const header = `### ${vscode.l10n.t('Token Cost')}: ${m.documentName} (${scope}, ${vscode.l10n.t('{0} characters', formatCount(state.characters ?? 0, locale))})`;
  const out = service.costOptions().outputTokens;
  const note = out ? `\n\n${vscode.l10n.t('Output cost assumes {0} output tokens per call.', formatCount(out, locale))}` : '';
  await vscode.env.clipboard.writeText(`${header}\n\n${comparisonTable(rows, summaryLabels(), { locale, highlightId: service.defaultModel().model.id, detailed: true })}${note}\n`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: summary of {0} models copied as a Markdown table.', rows.length));
}

export async function toggleScope(settings: Settings): Promise<void> {
  const next = settings.current.countScope === 'selection' ? 'document' : 'selection';
  await settings.update('countScope', next);
  void vscode.window.setStatusBarMessage(next === 'document' ? vscode.l10n.t('Token Cost: counting the whole document') : vscode.l10n.t('Token Cost: counting the selection'), 3000);
}

export function toggleHover(files: PromptFiles): void {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) return;
  const on = files.toggle(doc);
  void vscode.commands.executeCommand('setContext', ContextKeys.promptFile, on);
  void vscode.window.setStatusBarMessage(on ? vscode.l10n.t('Token Cost: hover on for this file') : vscode.l10n.t('Token Cost: hover off for this file'), 3000);
}
