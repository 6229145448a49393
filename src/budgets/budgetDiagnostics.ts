// Budgets as diagnostics: prompt files open in an editor are checked against their token and cost budget (front
// matter, else tokenCost.budgets) and the followed models' context windows, again after each pause in typing. Counting
// is the worker's, through the same incremental document copies the status bar uses. A quick fix lists the cheapest
// models that fit.
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';
import type { CountClient } from '../counting/countClient';
import { Priority } from '../counting/protocol';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';
import type { BudgetPlan, Finding } from '../core/budgets/findings';
import { checkPlan, frontMatterHead, moneyOverLimit, planBudget } from '../core/budgets/findings';
import { cheapestThatFit } from '../core/budgets/budgets';
import { formatCount } from '../core/money';
import { documentName, isBinaryDocument } from '../live/measure';
import type { PromptFiles } from '../live/promptFiles';
import type { PriceTableSource } from '../services/priceTableSource';
import { Commands } from '../constants';
import { Disposable } from '../dispose';
import type { Log } from '../services/log';
import { reportProblems } from '../services/log';
import { oversizeBytes } from '../core/textInput';
import { DocumentChangedError } from '../counting/workerClient';

export const BUDGET_SOURCE = 'Token Cost';
/** Diagnostic codes; the quick fix applies to the first three. */
const FIXABLE = new Set(['token-budget', 'cost-budget', 'context-window']);
const TYPING_DELAY_MS = 300;
/** Schemes of real documents: not the left side of a diff (git:), output channels or other virtual views. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export class BudgetDiagnostics extends Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('token-cost-budgets');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Documents checked at least once (kept up to date while open), with the latest request's number. */
  private readonly generation = new Map<string, number>();
  private lastReported?: string;

  constructor(
    private readonly settings: Settings,
    private readonly service: CostService,
    private readonly client: CountClient,
    private readonly files: PromptFiles,
    private readonly output: Log,
    prices: PriceTableSource,
  ) {
    super();
    this._register(
      this.collection,
      { dispose: () => this.timers.forEach((t) => clearTimeout(t)) },
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) if (!this.generation.has(e.document.uri.toString())) this.schedule(e.document, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && (this.generation.has(e.document.uri.toString()) || this.isVisible(e.document))) this.schedule(e.document, TYPING_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      settings.onDidChange(() => {
        this.reportSettingProblems();
        this.recheckAll();
      }),
      // Fires once the price table has loaded after activation, and whenever prices change.
      prices.onDidChange(() => this.recheckAll()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.recheckAll()),
    );
  }

  /** Budgets apply to the prompt-file globs whether or not hovers are on, and to files hovers were toggled on for. */
  private isBudgeted(doc: vscode.TextDocument): boolean {
    if (!SCHEMES.has(doc.uri.scheme)) return false;
    return this.files.isPromptFile(doc) || this.files.matchesGlobs(doc);
  }

  private isVisible(doc: vscode.TextDocument): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document === doc);
  }

  private recheckAll(): void {
    const docs = new Set(vscode.window.visibleTextEditors.map((e) => e.document));
    for (const d of vscode.workspace.textDocuments) if (this.generation.has(d.uri.toString())) docs.add(d);
    for (const d of docs) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(doc).catch((e: Error) => this.output.error(`budget check of ${doc.uri.fsPath || key} failed: ${e.message}`));
      }, delay),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generation.delete(key);
    this.collection.delete(uri);
  }

  /** The budget and what to count for a document, or undefined when it is not checked (not a prompt file, too large, binary). */
  plan(doc: vscode.TextDocument): BudgetPlan | undefined {
    if (doc.isClosed || !this.isBudgeted(doc) || this.service.models.length === 0) return undefined;
    const cfg = this.settings.current;
    // The status bar's limits (size and binary), so a file is either counted everywhere or nowhere.
    const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (oversizeBytes(length, () => doc.getText(), cfg.maxFileSize) !== undefined || isBinaryDocument(doc)) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    return planBudget({
      head: frontMatterHead((i) => doc.lineAt(i).text, doc.lineCount),
      path: folder ? vscode.workspace.asRelativePath(doc.uri, false) : undefined,
      rules: this.settings.budgets(doc.uri),
      models: this.service.models,
      defaultModelId: this.service.defaultModel().model.id,
      followed: this.service.focusModels(),
      firstLineLength: doc.lineAt(0).text.length,
    });
  }

  private async check(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const plan = this.plan(doc);
    if (!plan) {
      this.forget(doc.uri);
      return;
    }
    if (this.lastReported === undefined) this.reportSettingProblems();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    let counts;
    try {
      counts = (await this.client.countDocument(doc, plan.tokenizers, Priority.budgets)).counts;
    } catch (e) {
      if (e instanceof DocumentChangedError) return; // the change scheduled a newer check
      throw e; // logged by schedule()
    }
    if (this.generation.get(key) !== generation || doc.isClosed) return;
    const findings = checkPlan(plan, counts, this.service.focusModels(), this.service.costOptions());
    const locale = localeOf();
    this.collection.set(doc.uri, findings.map((f) => toDiagnostic(f, locale)));
  }

  /** Invalid tokenCost.budgets entries: listed in the output channel, with one notification per distinct set. */
  private reportSettingProblems(): void {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const lines = new Set<string>();
    for (const folder of folders.length ? folders : [undefined]) {
      for (const p of this.settings.budgets(folder?.uri).problems) {
        const where = `tokenCost.budgets${p.index === undefined ? '' : `[${p.index}]`}${p.field ? `.${p.field}` : ''}`;
        lines.add(`${folders.length > 1 && folder ? `${folder.name}: ` : ''}${where}: ${p.message}`);
      }
    }
    const key = [...lines].join('\n');
    if (key === this.lastReported) return;
    this.lastReported = key;
    if (!lines.size) return;
    reportProblems(this.output, vscode.l10n.t('Budgets: {0} problem(s) in tokenCost.budgets', lines.size), [...lines], vscode.l10n.t('Token Cost: {0} problem(s) in tokenCost.budgets; those entries are ignored.', lines.size));
  }

  /**
   * The quick fix's command: counts the document for every model and opens the comparison panel on those that fit
   * its budget and context window, cheapest first.
   */
  async compareCheapest(uri?: vscode.Uri): Promise<void> {
    const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
    if (!doc) return;
    const plan = this.plan(doc);
    const models = this.service.models;
    let counted;
    try {
      counted = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Token Cost: counting for every model…') }, () =>
        this.client.countDocument(doc, this.service.tokenizersOf(models), Priority.panel),
      );
    } catch (e) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: counting failed: {0}', (e as Error).message));
      return;
    }
    const options = this.service.costOptions();
    const ids = cheapestThatFit(counted.counts, models, options, plan?.budget);
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: no model fits this text within its budget and context window.'));
      return;
    }
    // The panel shows just these, cheapest first; each row's "Set as default" button switches the status bar's model.
    const name = documentName(doc);
    const note = plan?.budget?.model
      ? vscode.l10n.t('{0} models fit {1} within its budget and context window, cheapest first (its budget stays on {2}).', formatCount(ids.length, localeOf()), name, plan.budget.model)
      : vscode.l10n.t('{0} models fit {1} within its budget and context window, cheapest first.', formatCount(ids.length, localeOf()), name);
    await vscode.commands.executeCommand(Commands.openPanel, { modelIds: ids, note });
  }

  override dispose(): void {
    super.dispose();
  }
}

/** Offers "Compare the cheapest models that fit" on a budget or context-window warning. */
export class BudgetQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === BUDGET_SOURCE && FIXABLE.has(String(d.code)));
    if (!ours.length) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Compare the cheapest models that fit'), vscode.CodeActionKind.QuickFix);
    action.diagnostics = ours;
    action.command = { command: Commands.compareCheapest, title: action.title, arguments: [doc.uri] };
    return [action];
  }
}

function toDiagnostic(f: Finding, locale: string): vscode.Diagnostic {
  const range = new vscode.Range(f.span.line, f.span.start, f.span.line, f.span.end);
  let message: string;
  let code: string;
  let severity = vscode.DiagnosticSeverity.Warning;
  switch (f.kind) {
    case 'front-matter':
      code = 'front-matter';
      severity = vscode.DiagnosticSeverity.Error;
      message = vscode.l10n.t('Invalid budget in front matter: {0}', f.message);
      break;
    case 'unknown-model':
      code = 'budget-model';
      severity = vscode.DiagnosticSeverity.Error;
      message = vscode.l10n.t('Unknown model “{0}” for this file’s budget; the budget is not checked.', f.model);
      break;
    case 'violation': {
      const v = f.violation;
      const tokens = `${v.exact ? '' : '≈'}${formatCount(v.tokens, locale)}`;
      if (v.kind === 'context') {
        code = 'context-window';
        message = vscode.l10n.t('{0} tokens do not fit the context window of {1} ({2} tokens)', tokens, v.modelName, formatCount(v.contextWindow, locale));
        break;
      }
      if (v.kind === 'token-budget') {
        code = 'token-budget';
        message = vscode.l10n.t('{0} tokens on {1}, over the token budget of {2}', tokens, v.modelName, formatCount(v.limit, locale));
      } else {
        code = 'cost-budget';
        const [amount, limit] = moneyOverLimit(v.cost, v.limit, v.currency, locale);
        const shown = `${v.exact ? '' : '≈'}${amount}`;
        message = v.converted
          ? vscode.l10n.t('{0} on {1}, over the cost budget of {2} ({3} tokens; converted at the exchange rate)', shown, v.modelName, limit, tokens)
          : vscode.l10n.t('{0} on {1}, over the cost budget of {2} ({3} tokens)', shown, v.modelName, limit, tokens);
      }
      if (v.origin.kind === 'settings') message = vscode.l10n.t('{0} (tokenCost.budgets: “{1}”)', message, v.origin.glob);
      break;
    }
  }
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = BUDGET_SOURCE;
  d.code = code;
  return d;
}
