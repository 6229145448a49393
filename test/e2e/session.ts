// One Token Cost session in code-server for an e2e file: a temp workspace, the packaged VSIX installed offline, the
// workbench open in Chromium, and the checks every file needs (open a file, wait for the status bar's text, the
// text the status bar must show computed by the core and the reference tokenizers).
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as h from './harness';
import { referenceEncoder } from '../fixtures/references';
import { cost } from '../../src/core/cost';
import { formatCount, formatMoney } from '../../src/core/money';
import { defaultModels, findModel } from '../../src/core/prices/priceTable';
import { TokenCounter } from '../../src/core/tokenizers/tokenCounter';

export const VSIX = path.join(h.REPO_ROOT, 'dist', 'token-cost.vsix');
export const ITEM = 'token-cost.token-cost.tokenCost.status';
export const counter = new TokenCounter(path.join(h.REPO_ROOT, 'dist', 'tokenizers'));
export const models = defaultModels();
export const SETTINGS = {
  ...h.DEFAULT_SETTINGS,
  'tokenCost.defaultModel': 'qwen-plus',
  'tokenCost.currency': 'CNY',
  'tokenCost.exchangeRate': 7.2,
  'tokenCost.outputTokens': 0,
};

/** What the status bar must say for `text` on `modelId`, computed by the core and checked against the references. */
export function expectedStatus(text: string, modelId: string, currency: 'CNY' | 'USD' = 'CNY'): string {
  const m = findModel(models, modelId)!;
  const c = counter.count(m.tokenizer, text);
  if (m.tokenizer === 'qwen' || m.tokenizer === 'o200k_base') assert.equal(c.tokens, referenceEncoder(m.tokenizer as 'qwen' | 'o200k_base')(text).length);
  const r = cost(c.tokens, m, { currency, exchangeRate: 7.2, outputTokens: 0, at: new Date() })!;
  return `${c.exact ? '' : '≈'}${formatCount(c.tokens, 'en')} · ${formatMoney(r.totalCost, r.currency, 'en')} · ${m.name}`;
}

export interface SessionOptions {
  /** Workspace files (relative path → content) written before the workbench opens. */
  files: Record<string, string | Uint8Array>;
  settings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  viewport?: { width: number; height: number };
  /** Open the workbench at once (default); with workspaceTrust the caller answers the trust prompt itself. */
  waitForWorkbench?: boolean;
  /** A `.code-workspace` file among `files` to open (a multi-root workspace) instead of the files' folder. */
  workspaceFile?: string;
  /** Extra environment for code-server and its extension host (e.g. NODE_EXTRA_CA_CERTS). */
  env?: Record<string, string>;
}

export class Session {
  private constructor(
    readonly tmp: string,
    readonly workspace: string,
    readonly server: h.CodeServer,
    readonly browser: h.BrowserSession,
  ) {}

  static async start(o: SessionOptions): Promise<Session> {
    assert.ok(existsSync(VSIX), `${VSIX} missing: run "npm run package" first (npm run test:e2e does)`);
    const tmp = await h.makeTempDir('token-cost-e2e-');
    const workspace = path.join(tmp, 'prompts-workspace');
    for (const [rel, content] of Object.entries(o.files)) {
      await fs.mkdir(path.dirname(path.join(workspace, rel)), { recursive: true });
      await fs.writeFile(path.join(workspace, rel), content);
    }
    await fs.mkdir(workspace, { recursive: true });
    const extensionsDir = path.join(tmp, 'extensions');
    assert.match(await h.installExtension({ extensionsDir, vsix: VSIX }), /successfully installed/i);
    const userDataDir = path.join(tmp, 'user-data');
    const settings = { ...SETTINGS, ...(o.settings ?? {}) };
    await h.updateUserSettings(userDataDir, settings);
    const target = o.workspaceFile ? path.join(workspace, o.workspaceFile) : workspace;
    const server = await h.startCodeServer({ extensionsDir, userDataDir, workspace: target, settings, workspaceTrust: o.workspaceTrust, env: o.env });
    const browser = await h.launchBrowser({ viewport: o.viewport ?? { width: 1500, height: 950 } });
    const s = new Session(tmp, workspace, server, browser);
    // Token Cost shows no status bar item before a file is open: do not wait long for one.
    if (o.waitForWorkbench !== false) await h.openWorkbench(browser.page, server.url, target, { activationTimeoutMs: 10_000 });
    return s;
  }

  get page(): h.BrowserSession['page'] {
    return this.browser.page;
  }

  /** Opens a workspace file: its tab when it is open already (quick open can race with an open tab), else Ctrl+P. */
  async open(file: string): Promise<void> {
    const page = this.page;
    const tab = page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first();
    if (await tab.isVisible().catch(() => false)) {
      await tab.click();
      await page.locator(`.tabs-container .tab.active[aria-label*="${file}"]`).first().waitFor({ state: 'visible', timeout: 10_000 });
      await h.focusEditor(page);
      return;
    }
    await this.retryingQuickOpen(() => h.openFile(page, file, { timeoutMs: 8_000 }));
  }

  /** Ctrl+P, the file's row, Enter (no wait for an editor: a guarded file shows "Open Anyway" instead). */
  async quickOpen(file: string): Promise<void> {
    await this.retryingQuickOpen(() => h.quickOpenFile(this.page, file, { timeoutMs: 8_000 }));
  }

  /** A file the test just wrote may not be in quick open's file index yet: retry for a little while. */
  private async retryingQuickOpen(open: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await open();
        return;
      } catch (e) {
        await h.closeQuickInput(this.page);
        if (attempt >= 4) throw e;
        await h.sleep(1000);
      }
    }
  }

  /**
   * Opens a file VS Code guards (binary, or above the web editor's large-file limit) and answers its "Open Anyway";
   * then the text editor is shown.
   */
  async openAnyway(file: string): Promise<void> {
    const page = this.page;
    await this.quickOpen(file);
    const button = page.locator('.part.editor').getByRole('button', { name: /Open Anyway/i }).first();
    await button.waitFor({ state: 'visible', timeout: 20_000 });
    await button.click();
    // For a binary file VS Code then asks which editor to use: the built-in text editor (the first row).
    const lines = h.activeEditor(page).locator('.view-lines');
    // ("Select editor for …" is the input's placeholder, not text: look for the row.)
    const textEditor = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Text Editor' }).first();
    await Promise.race([lines.waitFor({ state: 'visible', timeout: 60_000 }), textEditor.waitFor({ state: 'visible', timeout: 60_000 })]).catch(() => undefined);
    if (await textEditor.isVisible()) await textEditor.click();
    await lines.waitFor({ state: 'visible', timeout: 60_000 });
    await h.focusEditor(page);
  }

  /** A notification's element, as a toast or, once toasts have hidden, in the notification center. */
  async notification(text: RegExp, timeoutMs = 20_000): Promise<ReturnType<h.BrowserSession['page']['locator']>> {
    const page = this.page;
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    if (await toast.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => true, () => false)) return toast;
    await h.runCommand(page, 'Notifications: Show Notifications');
    const item = page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    return item;
  }

  async statusIs(expected: string, timeoutMs = 30_000): Promise<h.StatusBarItemInfo> {
    return h.waitForStatusBarText(this.page, ITEM, (t) => t === expected, { timeoutMs }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\nexpected: ${expected}`);
    });
  }

  /** Picks a quick-pick row by its exact label after typing a filter. */
  async pickQuickItem(filter: string, label: string): Promise<void> {
    const page = this.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(filter);
    const row = page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The Problems panel's text, once it is shown. */
  async problemsText(): Promise<string> {
    await h.runCommand(this.page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(() => h.runCommand(this.page, 'Problems: Focus on Problems View'));
    const problems = this.page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible', timeout: 10_000 });
    return problems.innerText();
  }

  /** Writes the workspace's .vscode/settings.json (undefined removes it). */
  async workspaceSettings(settings: Record<string, unknown> | undefined): Promise<void> {
    const dir = path.join(this.workspace, '.vscode');
    if (!settings) await fs.rm(dir, { recursive: true, force: true });
    else {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify(settings));
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    await fs.rm(this.tmp, { recursive: true, force: true });
  }
}
