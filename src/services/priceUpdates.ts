// Opt-in price refresh (tokenCost.priceUpdateUrl, user settings only): at most once a day, some seconds after
// activation, and on "Token Cost: Update Prices Now". The fetch itself, its limits and validation are in
// core/prices/refresh.ts; here are its cache (a file in the extension's global storage), the last request's time
// (global state), the layer it feeds (PriceTableSource.setRefreshed) and the output channel. The only network use.
import * as vscode from 'vscode';
import type { CachedPriceTable, FetchLike, RefreshResult } from '../core/prices/refresh';
import { refreshPriceTable } from '../core/prices/refresh';
import type { PricesAsOf } from '../core/prices/asOf';
import { STALE_AFTER_DAYS } from '../core/prices/asOf';
import type { PriceTableSource } from './priceTableSource';
import type { Settings } from './settings';
import type { Log } from './log';
import { Disposable } from '../dispose';

/** After activation, so a refresh never slows VS Code's start. */
export const FIRST_REFRESH_DELAY_MS = 10_000;
const CACHE_FILE = 'price-update.json';
const LAST_FETCHED_KEY = 'tokenCost.priceUpdate.lastFetched';

export interface PriceUpdateContext {
  globalStorageUri: vscode.Uri;
  globalState: vscode.Memento;
}

export class PriceUpdates extends Disposable {
  private timer?: ReturnType<typeof setTimeout>;
  /** Runs one after another: a command during the scheduled refresh waits for it. */
  private running: Promise<unknown> = Promise.resolve();
  /** The URL whose table (or cached copy) is layered now; '' for none. */
  private appliedUrl = '';

  constructor(
    private readonly context: PriceUpdateContext,
    private readonly settings: Settings,
    private readonly prices: PriceTableSource,
    private readonly output: Log,
    // Node's (and the extension host's) global fetch, injected so tests can serve their own.
    private readonly fetchFn: FetchLike = globalThis.fetch,
  ) {
    super();
    let url = settings.priceUpdateUrl();
    this._register(
      { dispose: () => clearTimeout(this.timer) },
      settings.onDidChange(() => {
        const now = settings.priceUpdateUrl();
        if (now === url) return;
        url = now;
        void this.run(false);
      }),
    );
  }

  /** Schedules the first (not forced) refresh `delayMs` after now. */
  start(delayMs = FIRST_REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(false), delayMs);
  }

  /** One refresh; `force` (the command) ignores the once-a-day limit. Never throws. */
  run(force: boolean): Promise<RefreshResult | undefined> {
    const next = this.running.then(() => this.refresh(force));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async refresh(force: boolean): Promise<RefreshResult | undefined> {
    const url = this.settings.priceUpdateUrl();
    if (!url) {
      if (force) void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: set tokenCost.priceUpdateUrl in your user settings to an https URL of a price table first.'));
      if (this.appliedUrl) {
        this.appliedUrl = '';
        this.output.info(vscode.l10n.t('Price updates are off (tokenCost.priceUpdateUrl is empty): the shipped prices apply.'));
        await this.prices.setRefreshed(undefined);
      }
      return undefined;
    }
    const last = this.context.globalState.get<{ url?: unknown; at?: unknown }>(LAST_FETCHED_KEY);
    const lastFetched = last && last.url === url && typeof last.at === 'string' ? new Date(last.at) : undefined;
    let result: RefreshResult;
    try {
      result = await refreshPriceTable({ url, fetch: this.fetchFn, now: new Date(), cache: this.cache(), lastFetched: lastFetched && !Number.isNaN(lastFetched.getTime()) ? lastFetched : undefined, force });
    } catch (e) {
      this.output.error(vscode.l10n.t('Price update failed: {0}', (e as Error).message));
      return undefined;
    }
    if (result.requested) await this.context.globalState.update(LAST_FETCHED_KEY, { url, at: new Date().toISOString() });
    const problems = result.errors.map((e) => `  ${e.path}${e.model ? ` (${e.model})` : ''}: ${e.message}`);
    const log = [result.message, ...problems].join('\n');
    if (result.outcome === 'updated' || result.outcome === 'throttled') this.output.info(log);
    else this.output.warn(log);
    this.appliedUrl = result.models ? url : '';
    await this.prices.setRefreshed(result.models);
    if (force) {
      if (result.outcome === 'updated') void vscode.window.showInformationMessage(vscode.l10n.t('Token Cost: prices updated ({0} models).', result.models?.length ?? 0));
      else {
        const show = vscode.l10n.t('Show Output');
        void vscode.window.showWarningMessage(vscode.l10n.t('Token Cost: the price update did not succeed; {0}', result.models ? vscode.l10n.t('the last good copy stays in use.') : vscode.l10n.t('the shipped prices apply.')), show).then((pick) => {
          if (pick === show) this.output.show(true);
        });
      }
    }
    return result;
  }

  private cache() {
    const dir = this.context.globalStorageUri;
    const file = vscode.Uri.joinPath(dir, CACHE_FILE);
    return {
      read: async (): Promise<CachedPriceTable | undefined> => {
        try {
          return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file))) as CachedPriceTable;
        } catch {
          return undefined; // none yet, or unreadable: refreshPriceTable then has no fallback
        }
      },
      write: async (entry: CachedPriceTable): Promise<void> => {
        try {
          await vscode.workspace.fs.createDirectory(dir);
          await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(entry)));
        } catch (e) {
          this.output.warn(vscode.l10n.t('Could not cache the updated prices: {0}', (e as Error).message));
        }
      },
    };
  }
}

/** "Prices as of DATE" for the status bar tooltip and the panel, and (when stale) how to update. Plain text. */
export function pricesAsOfText(a: PricesAsOf): { asOf: string; stale?: string } {
  const date = a.oldestChecked ?? a.tableDate;
  const asOf = !date
    ? vscode.l10n.t('Prices: no checked date')
    : a.oldestChecked && a.tableDate && a.tableDate !== a.oldestChecked
      ? vscode.l10n.t('Prices as of {0} (price table of {1})', a.oldestChecked, a.tableDate)
      : vscode.l10n.t('Prices as of {0}', date);
  if (!a.stale) return { asOf };
  return {
    asOf,
    stale: vscode.l10n.t('These prices may be out of date (more than {0} days old). Update them with a newer version of Token Cost, a price file (tokenCost.priceTableFile), or tokenCost.priceUpdateUrl.', STALE_AFTER_DAYS),
  };
}
