// The comparison panel's localized strings, sent to the webview (which has no l10n API of its own).
import * as vscode from 'vscode';
import type { PanelStrings } from './protocol';

export function panelStrings(): PanelStrings {
  return {
    title: vscode.l10n.t('Token Cost: Model Comparison'),
    vendor: vscode.l10n.t('Vendor'),
    model: vscode.l10n.t('Model'),
    tokens: vscode.l10n.t('Tokens'),
    input: vscode.l10n.t('Input'),
    output: vscode.l10n.t('Output'),
    total: vscode.l10n.t('Total'),
    context: vscode.l10n.t('Context'),
    priceDate: vscode.l10n.t('Price date'),
    source: vscode.l10n.t('Source'),
    allVendors: vscode.l10n.t('All vendors'),
    filterByVendor: vscode.l10n.t('Vendor'),
    currency: vscode.l10n.t('Currency'),
    currencyNative: vscode.l10n.t('Each model’s own'),
    estimate: vscode.l10n.t('estimate'),
    exact: vscode.l10n.t('exact'),
    convertedNote: vscode.l10n.t('converted from the model’s price list in the other currency'),
    overContext: vscode.l10n.t('over context'),
    chartTitle: vscode.l10n.t('Total cost per call'),
    selection: vscode.l10n.t('selection'),
    document: vscode.l10n.t('document'),
    characters: vscode.l10n.t('characters'),
    outputTokensNote: vscode.l10n.t('assumed output tokens per call'),
    setDefault: vscode.l10n.t('Set as default'),
    isDefault: vscode.l10n.t('default'),
    copySummary: vscode.l10n.t('Copy summary'),
    showTokens: vscode.l10n.t('Show tokens'),
    noData: vscode.l10n.t('Open a file to compare models.'),
    statusLine: vscode.l10n.t('{0} models · cheapest: {1} {2}'),
    sortedBy: vscode.l10n.t('sorted by'),
    ascending: vscode.l10n.t('ascending'),
    descending: vscode.l10n.t('descending'),
    contextLineOne: vscode.l10n.t('+{0} tokens {1} per request from 1 context file (for {2})'),
    contextLineMany: vscode.l10n.t('+{0} tokens {1} per request from {2} context files (for {3})'),
    contextProjection: vscode.l10n.t('Context files add {0} per day, {1} per month at {2} calls/day ({3})'),
  };
}
