// The one place that reads settings: typed, sanitised, and re-read when a tokenCost.* setting changes.
import * as vscode from 'vscode';
import type { BudgetRules } from '../core/budgets/budgets';
import { parseBudgetSettings } from '../core/budgets/budgets';
import type { DisplayCurrency } from '../core/money';
import { Defaults, SETTINGS_SECTION } from '../constants';
import { parseUserTokenizerEntries } from '../core/tokenizers/userTokenizer';
import type { UserTokenizerEntry } from '../core/tokenizers/userTokenizer';

/** A tokenCost.tokenizers entry and the folder a relative `file` is resolved against (the first workspace folder). */
export interface TokenizerSetting {
  entry: UserTokenizerEntry;
  base?: vscode.Uri;
}

export interface TokenCostConfig {
  defaultModel: string;
  followedModels: string[];
  currency: DisplayCurrency;
  exchangeRate: number;
  outputTokens: number;
  cacheHitShare: number;
  countScope: 'selection' | 'document';
  hoverEnabled: boolean;
  maxFileSize: number;
  /** Price entries from user settings. */
  userPrices: unknown;
  /** Price entries from workspace (and folder) settings; ignored by callers in untrusted workspaces. */
  workspacePrices: unknown[];
  /**
   * The user's own tokenizers: user settings, then (trusted workspaces only) workspace settings, which override an
   * entry with the same id. A file can run a parser on anything, so an untrusted folder never names one.
   */
  tokenizers: TokenizerSetting[];
  /** Settings that held an invalid value and fell back to the default: "tokenCost.exchangeRate: …". */
  problems: string[];
}

const SECTION = SETTINGS_SECTION;

export class Settings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TokenCostConfig>();
  readonly onDidChange = this.emitter.event;
  private readonly excludesEmitter = new vscode.EventEmitter<void>();
  /** `files.exclude` changed (the workspace report leaves those files out). */
  readonly onDidChangeExcludes = this.excludesEmitter.event;
  private value: TokenCostConfig;
  private readonly listener: vscode.Disposable;
  private readonly trustListener: vscode.Disposable;
  /** tokenCost.budgets is a resource setting: validated once per workspace folder (key '' outside any folder). */
  private readonly budgetCache = new Map<string, BudgetRules>();
  /** tokenCost.promptFiles is a resource setting too: each folder may name its own prompt files. */
  private readonly promptFilesCache = new Map<string, string[]>();

  constructor() {
    this.value = read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('files.exclude')) this.excludesEmitter.fire();
      if (!e.affectsConfiguration(SECTION)) return;
      this.reread();
    });
    // Trust changes which tokenCost.tokenizers entries apply.
    this.trustListener = vscode.workspace.onDidGrantWorkspaceTrust(() => this.reread());
  }

  private reread(): void {
    this.value = read();
    this.budgetCache.clear();
    this.promptFilesCache.clear();
    this.emitter.fire(this.value);
  }

  get current(): TokenCostConfig {
    return this.value;
  }

  /** The budgets that apply to a file (validated; invalid entries are left out and listed in `problems`). */
  budgets(uri?: vscode.Uri): BudgetRules {
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    const key = folder?.uri.toString() ?? '';
    let rules = this.budgetCache.get(key);
    if (!rules) {
      rules = parseBudgetSettings(vscode.workspace.getConfiguration(SECTION, folder?.uri ?? null).get<unknown>('budgets'));
      this.budgetCache.set(key, rules);
    }
    return rules;
  }

  /**
   * The prompt-file globs that apply to a file or folder: its workspace folder's value (resource-scoped, as declared),
   * else the workspace's or the user's. An invalid value falls back to the shipped default globs.
   */
  promptFiles(scope?: vscode.Uri): string[] {
    const folder = scope && vscode.workspace.getWorkspaceFolder(scope);
    const key = folder?.uri.toString() ?? '';
    let globs = this.promptFilesCache.get(key);
    if (!globs) {
      const c = vscode.workspace.getConfiguration(SECTION, folder?.uri ?? null);
      const v = c.get<unknown>('promptFiles');
      const fallback = c.inspect<string[]>('promptFiles')?.defaultValue ?? [];
      globs = (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : fallback).filter((g) => g.trim() !== '');
      this.promptFilesCache.set(key, globs);
    }
    return globs;
  }

  /**
   * Every price-table file the settings name, each resolved against the folder whose settings name it: one per
   * workspace folder that sets its own (multi-root), the workspace's, and the user's. Duplicates are listed once.
   */
  priceTableFiles(): { path: string; base?: vscode.Uri; override: boolean }[] {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: { path: string; base?: vscode.Uri; override: boolean }[] = [];
    const seen = new Set<string>();
    const add = (v: unknown, base: vscode.Uri | undefined) => {
      if (typeof v !== 'string' || v.trim() === '') return;
      const path = v.trim();
      const k = `${base?.toString() ?? ''}|${path}`;
      if (seen.has(k)) return;
      seen.add(k);
      // tokenCost.priceTableFileOverrides as it applies to the folder whose settings name the file.
      out.push({ path, base, override: vscode.workspace.getConfiguration(SECTION, base ?? null).get<unknown>('priceTableFileOverrides') === true });
    };
    const top = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('priceTableFile');
    add(top?.globalValue, folders[0]?.uri);
    add(top?.workspaceValue, folders[0]?.uri);
    for (const f of folders) add(vscode.workspace.getConfiguration(SECTION, f.uri).inspect<unknown>('priceTableFile')?.workspaceFolderValue, f.uri);
    return out;
  }

  /**
   * tokenCost.priceUpdateUrl from user settings only: the setting is application-scoped, and a value in a workspace's
   * settings (which VS Code ignores for such settings) is ignored here too, so a cloned repository cannot make the
   * extension fetch from a URL of its choosing.
   */
  priceUpdateUrl(): string {
    const v = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('priceUpdateUrl')?.globalValue;
    return typeof v === 'string' ? v.trim() : '';
  }

  /** The `files.exclude` globs that are on for this folder (conditional "when" entries are not applied). */
  filesExclude(folder: vscode.Uri): string[] {
    const v = vscode.workspace.getConfiguration('files', folder).get<unknown>('exclude');
    if (typeof v !== 'object' || v === null) return [];
    return Object.entries(v as Record<string, unknown>)
      .filter(([glob, on]) => on === true && glob.trim() !== '')
      .map(([glob]) => glob);
  }

  /** Writes a setting where the user keeps it: the workspace if it overrides there, else user settings. */
  async update(key: 'defaultModel' | 'countScope' | 'currency', value: unknown): Promise<void> {
    const c = vscode.workspace.getConfiguration(SECTION);
    const i = c.inspect(key);
    const target = i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await c.update(key, value, target);
  }

  dispose(): void {
    this.listener.dispose();
    this.trustListener.dispose();
    this.emitter.dispose();
    this.excludesEmitter.dispose();
  }
}

function read(): TokenCostConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const problems: string[] = [];
  const pick = <T>(key: string, fallback: T, ok: (v: unknown) => boolean): T => {
    const v = c.get<unknown>(key);
    if (v === undefined) return fallback;
    if (ok(v)) return v as T;
    problems.push(vscode.l10n.t('{0}: invalid value {1}; using {2}', `${SECTION}.${key}`, short(v), JSON.stringify(fallback)));
    return fallback;
  };
  const isString = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const num = (min: number, max: number) => (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
  const prices = c.inspect<unknown>('prices');
  return {
    defaultModel: pick('defaultModel', Defaults.defaultModel, isString).trim(),
    followedModels: pick<string[]>('followedModels', [], isStrings).map((s) => s.trim()).filter(Boolean),
    currency: pick<DisplayCurrency>('currency', 'CNY', (v) => v === 'CNY' || v === 'USD' || v === 'native'),
    exchangeRate: pick('exchangeRate', Defaults.exchangeRate, num(0.01, 1000)),
    outputTokens: Math.round(pick('outputTokens', 0, num(0, 1e7))),
    cacheHitShare: pick('cacheHitShare', 0, num(0, 1)),
    countScope: pick<'selection' | 'document'>('countScope', 'selection', (v) => v === 'selection' || v === 'document'),
    hoverEnabled: pick('hover.enabled', true, (v) => typeof v === 'boolean'),
    maxFileSize: pick('maxFileSize', Defaults.maxFileSize, num(1, 1024 ** 3)),
    userPrices: prices?.globalValue ?? [],
    workspacePrices: [prices?.workspaceValue, prices?.workspaceFolderValue].filter((v) => v !== undefined),
    tokenizers: readTokenizers(c.inspect<unknown>('tokenizers'), vscode.workspace.isTrusted, vscode.workspace.workspaceFolders?.[0]?.uri, problems),
    problems,
  };
}

/** Validated tokenCost.tokenizers entries by id, workspace over user; invalid entries become problems. */
export function readTokenizers(
  inspected: { globalValue?: unknown; workspaceValue?: unknown } | undefined,
  trusted: boolean,
  base: vscode.Uri | undefined,
  problems: string[],
): TokenizerSetting[] {
  const byId = new Map<string, TokenizerSetting>();
  const layers = trusted ? [inspected?.globalValue, inspected?.workspaceValue] : [inspected?.globalValue];
  for (const layer of layers) {
    const { entries, errors } = parseUserTokenizerEntries(layer);
    for (const e of errors) problems.push(`${SECTION}.tokenizers: ${e}`);
    for (const entry of entries) byId.set(entry.id, { entry, base });
  }
  return [...byId.values()];
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 37) + '…' : s;
}
