// The extension host's side of counting: feeds VS Code's document events to the worker client and tells the user,
// once each, when a tokenizer cannot load or counting had to move into the extension host.
import * as vscode from 'vscode';
import type { TokenizerId } from '../core/prices/types';
import { WorkerClient, type CountResult } from './workerClient';
import { chatKindOf } from '../core/chat/chatFormat';
import type { ChatKind } from '../core/chat/chatParse';
import { Disposable } from '../dispose';
import type { Log } from '../services/log';
import { reportProblems } from '../services/log';
import type { Settings, TokenizerSetting } from '../services/settings';
import { readTokenizerFiles } from './tokenizerFiles';
import type { CountingOptions } from '../platform';
import type { Priority } from './protocol';

export type { CountResult } from './workerClient';

export class CountClient extends Disposable {
  private readonly client: WorkerClient;
  /** Why each tokenizer currently falls back to a rough estimate. */
  private readonly failing = new Map<TokenizerId, string>();
  /** Causes already shown to the user (again only after they cleared). */
  private readonly reported = new Set<string>();
  /** Load errors of the user's tokenizers: already told (reportProblems), so their fallbacks are not told again. */
  private tokenizerErrors = new Set<string>();
  /** The user's tokenizers being read and parsed: counts wait for it, so none is counted before its file loads. */
  private loading: Promise<void> = Promise.resolve();
  private tokenizersKey = '[]';
  private lastTokenizerProblems = '';

  /** `counting`: where counting runs (the entry's Platform decides); its `log` lines go to the output channel. */
  constructor(counting: (log: (line: string) => void) => CountingOptions, private readonly output: Log) {
    super();
    this.client = new WorkerClient({
      ...counting((line) => this.output.info(line)),
      log: (line) => this.log(line),
      trace: (line) => this.output.trace(line),
      onInProcess: () =>
        void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: the counting worker failed repeatedly; counting continues in the extension host, which may be slower on large files.')),
    });
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        // contentChanges are ordered so that applying them one after another is correct.
        const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, deleteCount: c.rangeLength, text: c.text }));
        this.client.change(e.document.uri.toString(), e.document.version, changes);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.client.close(d.uri.toString())),
    );
  }

  /** Starts the counting worker ahead of the first count (see WorkerClient.warm). */
  warm(): void {
    this.client.warm();
  }

  /**
   * Loads tokenCost.tokenizers now and whenever it changes. A file that cannot be read or parsed is reported (output
   * channel and one notification) and its tokenizer counts with the rough estimate (≈) meanwhile.
   */
  useTokenizers(settings: Settings, home: string | undefined): void {
    const load = (list: readonly TokenizerSetting[]) => {
      const key = JSON.stringify(list.map((t) => [t.entry, t.base?.toString()]));
      if (key === this.tokenizersKey) return;
      this.tokenizersKey = key;
      const previous = this.loading;
      this.loading = previous.then(() => this.loadTokenizers(list, home)).catch((e: unknown) => this.log(`loading tokenizers failed: ${(e as Error).message}`));
    };
    load(settings.current.tokenizers);
    this._register(settings.onDidChange((c) => load(c.tokenizers)));
  }

  private async loadTokenizers(list: readonly TokenizerSetting[], home: string | undefined): Promise<void> {
    const sources = await readTokenizerFiles(list, home);
    const statuses = await this.client.setUserTokenizers(sources);
    const errors = statuses.filter((s) => !s.ok).map((s) => s.message);
    for (const s of statuses) if (s.ok) this.output.info(s.message);
    this.tokenizerErrors = new Set(errors);
    const key = errors.join('\n');
    if (errors.length && key !== this.lastTokenizerProblems) {
      reportProblems(
        this.output,
        vscode.l10n.t('Tokenizers: {0} problem(s) in tokenCost.tokenizers', errors.length),
        errors,
        vscode.l10n.t('Token Cost: {0} tokenizer file(s) could not be loaded; models using them show rough estimates (≈).', errors.length),
      );
    }
    this.lastTokenizerProblems = key;
  }

  /** Counts a whole document with each tokenizer. Rejects if the document keeps changing (a newer count follows). */
  async countDocument(doc: vscode.TextDocument, tokenizers: readonly TokenizerId[], priority: Priority): Promise<CountResult> {
    await this.loading;
    const key = doc.uri.toString();
    const chat = chatKindOf(doc.fileName, doc.languageId);
    // `version` is read live: the client checks it has not moved on before it (re)sends the text.
    return this.report(await this.client.countDocument({ key, get version() { return doc.version; }, getText: () => doc.getText(), chat }, tokenizers, priority));
  }

  /** Counts texts (selections, a hover's block), summed, with each tokenizer. */
  async countTexts(texts: readonly string[], tokenizers: readonly TokenizerId[], priority: Priority, chat?: ChatKind): Promise<CountResult> {
    await this.loading;
    return this.report(await this.client.countTexts(texts, tokenizers, chat, priority));
  }

  private report(r: CountResult): CountResult {
    for (const c of r.counts.values()) {
      if (!c.fallback) {
        this.failing.delete(c.tokenizer);
        continue;
      }
      this.failing.set(c.tokenizer, c.fallback);
      if (this.tokenizerErrors.has(c.fallback)) continue;
      // One notice per cause, not per tokenizer: a text that stopped the worker affects every tokenizer at once.
      if (this.reported.has(c.fallback)) continue;
      this.reported.add(c.fallback);
      this.log(`${c.fallback}; showing a rough estimate (≈) instead`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: {0}; counts for it are rough estimates (≈) until it loads.', c.fallback));
    }
    for (const cause of this.reported) if (![...this.failing.values()].includes(cause)) this.reported.delete(cause);
    return r;
  }

  private log(line: string): void {
    this.output.warn(line);
  }

  override dispose(): void {
    super.dispose();
    this.client.dispose();
  }
}
