// Localized labels shared by the tooltip, hovers and the copied summary.
import * as vscode from 'vscode';
import type { SummaryLabels } from '../core/summary';

export function summaryLabels(): SummaryLabels {
  return {
    model: vscode.l10n.t('Model'),
    vendor: vscode.l10n.t('Vendor'),
    tokens: vscode.l10n.t('Tokens'),
    input: vscode.l10n.t('Input'),
    output: vscode.l10n.t('Output'),
    total: vscode.l10n.t('Total'),
    context: vscode.l10n.t('Context'),
    cheapest: vscode.l10n.t('cheapest'),
    estimateNote: vscode.l10n.t('estimate: the vendor’s tokenizer is not public'),
    convertedNote: vscode.l10n.t('converted from the model’s price list in the other currency'),
    overContext: vscode.l10n.t('longer than the model’s context window'),
  };
}
