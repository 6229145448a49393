// Export as CSV / Export as JSON for the Prompt Costs view: the whole workspace's report, counted to the end first,
// written where the user chooses.
import * as vscode from 'vscode';
import { toCsv, toJson } from '../core/report/report';
import type { PromptCostsView } from './promptCostsView';

export async function exportReport(view: PromptCostsView, format: 'csv' | 'json'): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `prompt-costs.${format}`;
  const target = await vscode.window.showSaveDialog({
    title: format === 'csv' ? vscode.l10n.t('Export Prompt Costs as CSV') : vscode.l10n.t('Export Prompt Costs as JSON'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Token Cost: counting prompt files…') }, () => view.complete());
    const report = view.combined();
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(format === 'csv' ? toCsv(report) : toJson(report)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: costs of {0} prompt files exported to {1}', report.size, target.path.split('/').pop() ?? target.toString()));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Token Cost: could not export the prompt costs: {0}', (e as Error).message));
  }
}
