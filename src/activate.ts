// Wires the pieces together, for both entries (src/extension.ts in Node, src/web/extension.ts in a browser): what
// differs between hosts comes in as a Platform. Everything heavy (tokenizer tables) loads on first use.
import * as vscode from 'vscode';
import { Settings } from './services/settings';
import { CostService, localeOf } from './services/costService';
import { PriceTableSource } from './services/priceTableSource';
import { PriceUpdates } from './services/priceUpdates';
import { LiveText } from './live/liveText';
import { LiveCounts } from './live/liveCounts';
import { CountClient } from './counting/countClient';
import { OpeningFiles } from './counting/openingFiles';
import { Priority } from './counting/protocol';
import { StatusBar } from './statusBar/statusBar';
import { ContextFiles } from './contextFiles/contextFiles';
import { contextNote } from './contextFiles/contextView';
import { ContextGroup } from './promptCosts/contextGroup';
import { PromptHoverProvider } from './hover/promptHover';
import { PromptFiles } from './live/promptFiles';
import { copySummary, selectDefaultModel, toggleHover, toggleScope } from './commands/commands';
import { ComparisonPanel } from './panel/panel';
import type { PanelContext } from './panel/panel';
import { safeHttpsUrl } from './panel/links';
import { PanelData } from './panel/panelSnapshot';
import { panelStrings } from './panel/panelStrings';
import { findModel } from './core/prices/priceTable';
import { parseFocus, type PanelSnapshot } from './panel/protocol';
import { BudgetDiagnostics, BudgetQuickFixes } from './budgets/budgetDiagnostics';
import { PromptCostsView } from './promptCosts/promptCostsView';
import { exportReport } from './promptCosts/export';
import { Commands, ContextKeys } from './constants';
import { createLog } from './services/log';
import { ShowTokens } from './showTokens/showTokens';
import type { Platform } from './platform';

/** What activate returns: read-only views other extensions and the integration tests can use. */
export interface TokenCostApi {
  /** The status bar item's current text and tooltip (Markdown), as shown. */
  status(): { text: string; tooltip: string; visible: boolean };
  /** The comparison the panel would show for the current editor. */
  snapshot(): PanelSnapshot;
}

/** Documents hovers and quick fixes apply to: files on disk, remote or virtual, and untitled ones. */
const DOCUMENT_SCHEMES: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }];

export function activateWith(context: vscode.ExtensionContext, platform: Platform): TokenCostApi {
  const started = performance.now();
  const output = createLog();
  const settings = new Settings();
  const prices = new PriceTableSource(settings, output);
  const service = new CostService(settings, prices);
  const priceUpdates = new PriceUpdates(context, settings, prices, output);
  // The worker starts, and loads tokenizer tables, on the first count, after activation.
  const client = new CountClient((log) => platform.counting(log), output);
  client.useTokenizers(settings, platform.home);
  const text = new LiveText(settings);
  // Trace-level lines (per-stage timing), formatted only while the log level is Trace.
  const trace = () => (output.logLevel === vscode.LogLevel.Trace ? (line: string) => output.trace(line) : undefined);
  // A large file being opened is read and counted while VS Code is still sending it (see openingFiles.ts).
  const opening = new OpeningFiles({
    tokenizer: () => service.tokenizersOf([service.defaultModel().model])[0],
    // Below the status bar's own counts (the document's pre-empts it) and level with the followed models', newest
    // first, so a file clicked past does not hold up the next one's.
    count: (t, id, chat) => client.countTexts([t], [id], Priority.followed, chat),
    maxBytes: () => settings.current.maxFileSize,
    trace,
  });
  // Each consumer registers what it needs counted: the status bar its models, the panel every model while visible.
  const live = new LiveCounts(text, client, trace, platform.hostHeapMb);
  const files = new PromptFiles(settings);
  const panelChanged = new vscode.EventEmitter<void>();
  const statusBar = new StatusBar(live, service, prices);
  // Both do nothing until there is something to show: a prompt file in an editor, the Prompt Costs view opened.
  const budgets = new BudgetDiagnostics(settings, service, client, files, output, prices);
  // The context files that apply to the active file: a tooltip line and the Prompt Costs view's group.
  const contextFiles = new ContextFiles(service, settings, (texts, ids) => client.countTexts(texts, ids, Priority.followed));
  const panelData = new PanelData(live, service, settings, contextFiles);
  const contextNotes = statusBar.addNotes(() => {
    const models = service.focusModels().flatMap((model) => {
      const summary = contextFiles.summary(model);
      return summary ? [{ model, summary }] : [];
    });
    const note = contextNote(models, localeOf(), vscode.l10n.t);
    return note ? [note] : [];
  }, contextFiles.onDidChange);
  const report = new PromptCostsView(settings, service, client, output, prices, new ContextGroup(contextFiles, service));
  const showTokens = new ShowTokens(service, platform.tables, output);

  const panelContext: PanelContext = {
    extensionUri: context.extensionUri,
    onDidChange: panelChanged.event,
    data: () => panelData.parts(),
    countWhileVisible: () => live.register(() => service.tokenizersOf(service.models)),
    strings: panelStrings,
    locale: localeOf,
    openSource: (id) => {
      const m = findModel(prices.models, id);
      const url = m && safeHttpsUrl((m.prices[0] ?? m.history?.[m.history.length - 1])?.source ?? '');
      if (url) void vscode.env.openExternal(vscode.Uri.parse(url, true));
      else if (m) void vscode.window.showInformationMessage(vscode.l10n.t('Source of {0}: {1}', m.name, m.prices[0]?.source ?? ''));
    },
    setDefaultModel: (id) => {
      if (findModel(prices.models, id)) void settings.update('defaultModel', id);
    },
    copySummary: () => void copySummary(live, service),
  };

  const setPromptContext = () => {
    const doc = vscode.window.activeTextEditor?.document;
    void vscode.commands.executeCommand('setContext', ContextKeys.promptFile, !!doc && files.isPromptFile(doc));
  };

  context.subscriptions.push(
    output,
    settings,
    prices,
    priceUpdates,
    client,
    opening,
    text,
    live,
    panelChanged,
    statusBar,
    contextFiles,
    contextNotes,
    budgets,
    report,
    live.onDidChange(() => panelChanged.fire()),
    contextFiles.onDidChange(() => panelChanged.fire()),
    prices.onDidChange(() => text.refresh()),
    vscode.languages.registerHoverProvider(DOCUMENT_SCHEMES, new PromptHoverProvider(files, service, client)),
    vscode.window.registerWebviewPanelSerializer(ComparisonPanel.viewType, {
      deserializeWebviewPanel: async (panel) => {
        ComparisonPanel.revive(panel, panelContext);
      },
    }),
    vscode.window.onDidChangeActiveTextEditor(setPromptContext),
    settings.onDidChange(setPromptContext),
    vscode.commands.registerCommand(Commands.selectDefaultModel, () => selectDefaultModel(settings, service)),
    // An optional { modelIds, note } (the budget quick fix) shows only those models; anything else is ignored.
    vscode.commands.registerCommand(Commands.openPanel, (focus?: unknown) => {
      const panel = ComparisonPanel.createOrShow(panelContext);
      const f = parseFocus(focus);
      if (f) panel.focusOn(f);
    }),
    vscode.commands.registerCommand(Commands.copySummary, () => copySummary(live, service)),
    vscode.commands.registerCommand(Commands.toggleScope, () => toggleScope(settings)),
    vscode.commands.registerCommand(Commands.toggleHover, () => toggleHover(files)),
    vscode.commands.registerCommand(Commands.updatePrices, () => priceUpdates.run(true).then(() => undefined)),
    vscode.commands.registerCommand(Commands.showProblems, () => output.show(true)),
    vscode.languages.registerCodeActionsProvider(DOCUMENT_SCHEMES, new BudgetQuickFixes(), BudgetQuickFixes.metadata),
    vscode.commands.registerCommand(Commands.compareCheapest, (uri?: vscode.Uri) => budgets.compareCheapest(uri)),
    vscode.commands.registerCommand(Commands.reportRefresh, () => report.refresh()),
    vscode.commands.registerCommand(Commands.reportExportCsv, () => exportReport(report, 'csv')),
    vscode.commands.registerCommand(Commands.reportExportJson, () => exportReport(report, 'json')),
    showTokens,
    vscode.commands.registerCommand(Commands.showTokens, (arg?: unknown) => showTokens.toggle(arg)),
    vscode.commands.registerCommand(Commands.countAnyway, () => {
      const doc = text.activeEditor?.document;
      if (doc) text.allowLarge.add(doc.uri.toString());
      text.refresh();
    }),
  );
  setPromptContext();
  // Load prices and count after activation returns: activation stays cheap, the numbers follow a moment later. The
  // counting worker starts then too (no tables), so a file opened later is not counted behind a thread's boot.
  const first = setTimeout(() => {
    void prices.reload();
    client.warm();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(first) });
  // The opt-in refresh (tokenCost.priceUpdateUrl) runs some seconds later, never during activation.
  priceUpdates.start();
  // Logged so the activation cost can be checked in any installation (and by test/bench/extensionHost.bench.ts).
  output.info(`activated in ${(performance.now() - started).toFixed(1)} ms (${platform.host === 'web' ? 'browser, web worker extension host' : 'Node extension host'})`);
  return { status: () => statusBar.state(), snapshot: () => panelData.snapshot() };
}
