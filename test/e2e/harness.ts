/**
 * Real-VS-Code e2e harness: code-server (VS Code web, see toolchain.sh) + Debian chromium via playwright-core.
 *
 * Prerequisite: `bash test/e2e/toolchain.sh` (installs into <repo>/.vscode-test/).
 * Run tests with: `node --import tsx --test test/e2e/<file>.ts`
 *
 * Process hygiene: every code-server is spawned in its own process group and every chromium is tracked; both are
 * killed by `stop()/close()`, by `stopAll()`, and (SIGKILL) from a process 'exit' / SIGINT / SIGTERM hook, so a failing
 * or interrupted test never leaves servers or browsers behind.
 *
 * DOM notes (VS Code 1.139 web workbench, verified against the live DOM by harness.selftest.ts):
 *   workbench root ............ `.monaco-workbench`; parts: `.part.statusbar`, `.part.editor`, `.part.sidebar`
 *   status bar item ........... `.part.statusbar .statusbar-item#<id>` where <id> = `<publisher>.<name>.<itemId>` for
 *                               `createStatusBarItem(itemId, ...)` (extension id lower-cased, as ExtensionIdentifier.toKey).
 *                               Without an itemId the DOM id is `<publisher>.<name>.<n>` with a generated n. The clickable
 *                               child is `a.statusbar-item-label` (role=button, aria-label = item.accessibilityInformation
 *                               ?? text without $(icon) syntax); `$(icon)` renders as `span.codicon.codicon-<icon>`.
 *                               The div's aria-label is "<label text>, <tooltip source>" (raw markdown), e.g.
 *                               "symbol-number  令牌 42 sel:0, **令牌提示** tooltip: 42 tokens".
 *   status bar tooltip ........ mouse-over the item -> `.workbench-hover-container > .monaco-hover.workbench-hover
 *                               [role=tooltip]` (appended to the workbench root), content in `.monaco-hover-content`
 *                               (markdown rendered to HTML).
 *   editor hover .............. `.monaco-hover:not(.hidden):not(.workbench-hover)` -> `.monaco-hover-content`; we trigger it
 *                               from the keyboard (cursor + `editor.action.showHover`, Ctrl+K Ctrl+I) so no pixel maths.
 *   command palette ........... F1 -> `.quick-input-widget` (visible), input `.quick-input-box input`, rows
 *                               `.quick-input-list .monaco-list-row` (aria-label starts with the command title).
 *   editor tabs ............... `.tabs-container .tab` with aria-label `<name>` / active: `.tab.active`.
 *   webviews .................. rendered OUTSIDE the editor part in a fixed-position overlay
 *                               `div.webview-overlay-content#<uuid>[data-parent-flow-to-element-id]` (CSS-anchored over
 *                               the editor) holding the outer `iframe.webview[name=<uuid>]` (gets class `ready` when
 *                               loaded; src `.../static/out/vs/workbench/contrib/webview/browser/pre/index.html?id=<uuid>`).
 *                               Inside it the extension's HTML lives in `iframe#active-frame` (created as
 *                               `#pending-frame`, src `.../pre/fake.html?id=<uuid>`). Hidden webviews keep their overlay
 *                               with visibility:hidden, so pick the visible outer iframe after activating the tab.
 *   cursor position ........... `.part.statusbar #status.editor.selection` text "Ln 2, Col 5 (3 selected)".
 *   built-in status ids ....... status.host, status.problems, status.notifications, status.progress ("Activating
 *                               Extensions..." while startup activation runs), status.editor.selection, ...
 *   extension web worker ...... a hidden iframe webWorkerExtensionHostIframe.html also shows up in page.frames().
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';

// The project tsconfig has no DOM lib; page.evaluate callbacks run in the browser, so declare what they touch.
declare const document: any;

// ------------------------------------------------------------------------------------------------ paths
function findRepoRoot(): string {
  if (process.env.VSCODE_TEST_REPO_ROOT) return process.env.VSCODE_TEST_REPO_ROOT;
  const starts = [typeof __dirname !== 'undefined' ? __dirname : '', process.cwd()].filter(Boolean);
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'test', 'e2e', 'toolchain.sh'))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('cannot find repo root (dir containing test/e2e/toolchain.sh); set VSCODE_TEST_REPO_ROOT');
}

export const REPO_ROOT = findRepoRoot();
export const CACHE_DIR = process.env.VSCODE_TEST_CACHE ?? path.join(REPO_ROOT, '.vscode-test');
export const NODE24 = path.join(CACHE_DIR, 'node24', 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(CACHE_DIR, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');

/** VS Code version bundled by the cached code-server (use it for `engines.vscode`). */
export function vscodeVersion(): string {
  const pkg = path.join(path.dirname(CODE_SERVER_ENTRY), '..', '..', 'lib', 'vscode', 'package.json');
  return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

function assertToolchain(): void {
  for (const f of [NODE24, CODE_SERVER_ENTRY, CHROMIUM]) {
    if (!fs.existsSync(f)) throw new Error(`${f} missing: run \`bash test/e2e/toolchain.sh\` first`);
  }
}

// ------------------------------------------------------------------------------------------------ cleanup registry
const liveGroups = new Set<number>(); // code-server process-group ids
const liveBrowsers = new Set<Browser>();
let hooksInstalled = false;

function killGroupSync(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Synchronous last resort: playwright also kills its browsers on exit, we kill the code-server groups.
  process.on('exit', () => {
    for (const g of liveGroups) killGroupSync(g, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const g of liveGroups) killGroupSync(g, 'SIGKILL');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** Stop every code-server and browser this process started (use in a top-level `after()`). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...liveBrowsers].map((b) => b.close()));
  for (const g of liveGroups) killGroupSync(g, 'SIGKILL');
  liveGroups.clear();
}

// ------------------------------------------------------------------------------------------------ settings
/** Settings every e2e run wants: no trust prompt, no telemetry/welcome/update noise, deterministic editor. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  // 1.139 opens settings/some editors in a floating "modal editor" (no tab); keep everything in normal editor groups
  'workbench.editor.useModal': 'off',
  'workbench.colorTheme': 'Dark Modern', // headless chromium prefers a light color scheme otherwise
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'editor.hover.delay': 100,
  'workbench.hover.delay': 100,
  'editor.minimap.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.parameterHints.enabled': false,
  'editor.autoClosingBrackets': 'never', // keyboard.type()/insertText() produce exactly the given text
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.suggestOnTriggerCharacters': false,
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
  'window.commandCenter': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
};

function readJsonLoose(file: string): Record<string, unknown> {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    // settings.json is JSONC; strip full-line comments and trailing commas well enough for files we write.
    return JSON.parse(raw.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return {};
  }
}

/**
 * Merge `settings` into `<userDataDir>/User/settings.json` (code-server's user settings file); `undefined` deletes.
 *
 * Without `page`: writes the file directly -- only reliable BEFORE the workbench is opened (startCodeServer does this).
 * PITFALL: code-server 4.139 does not pick up external edits of the user settings.json live (workspace files are
 * watched, the user-data file apparently not), so with a running workbench pass `page`: the merged JSON is then written
 * through VS Code itself ("Preferences: Open User Settings (JSON)", select all, insert, Ctrl+S, close), which applies
 * immediately and avoids "file changed on disk" conflicts.
 */
export async function updateUserSettings(userDataDir: string, settings: Record<string, unknown>, page?: Page): Promise<string> {
  const file = path.join(userDataDir, 'User', 'settings.json');
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const merged = { ...readJsonLoose(file) };
  for (const [k, v] of Object.entries(settings)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  const text = JSON.stringify(merged, null, 2) + '\n';
  if (!page) {
    await fsp.writeFile(file, text);
    return file;
  }
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tabs-container .tab.active', { hasText: 'settings.json' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await activeEditor(page).locator('.view-lines').waitFor({ state: 'visible', timeout: 15_000 });
  await focusEditor(page);
  await page.keyboard.press('Control+A');
  // Paste instead of typing: typed text gets auto-closed quotes/brackets and cumulative auto-indent.
  await pasteText(page, text);
  await page.keyboard.press('Control+S');
  const deadline = Date.now() + 10_000;
  while (JSON.stringify(readJsonLoose(file)) !== JSON.stringify(merged)) {
    if (Date.now() > deadline) throw new Error(`settings.json not saved as expected:\n${await fsp.readFile(file, 'utf8')}`);
    await sleep(100);
  }
  await runCommand(page, 'View: Close Editor');
  return file;
}

// ------------------------------------------------------------------------------------------------ extensions
/**
 * Install an extension into `extensionsDir` offline. `vsix`: runs `code-server --install-extension FILE
 * --extensions-dir DIR`. `folder`: copies an unpacked extension (dir with package.json) to
 * `<extensionsDir>/<publisher>.<name>-<version>` (picked up on next server start when no extensions.json lists others).
 */
export async function installExtension(opts: { extensionsDir: string; vsix?: string; folder?: string }): Promise<string> {
  assertToolchain();
  await fsp.mkdir(opts.extensionsDir, { recursive: true });
  if (opts.vsix) {
    const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, '--extensions-dir', opts.extensionsDir, '--install-extension', opts.vsix, '--force'], {
      encoding: 'utf8',
      env: { ...process.env, ...serverEnv() },
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`--install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout.trim();
  }
  if (opts.folder) {
    const pkg = JSON.parse(await fsp.readFile(path.join(opts.folder, 'package.json'), 'utf8'));
    const dest = path.join(opts.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase());
    await fsp.rm(dest, { recursive: true, force: true });
    await fsp.cp(opts.folder, dest, { recursive: true });
    return dest;
  }
  throw new Error('installExtension: pass vsix or folder');
}

/** Package an extension folder to a VSIX with the repo's @vscode/vsce (no dependency bundling). */
export function packageVsix(folder: string, outFile: string): string {
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', outFile], {
    cwd: folder,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`vsce package failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return outFile;
}

// ------------------------------------------------------------------------------------------------ code-server
export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed so far (stdout+stderr). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  extensionsDir: string;
  userDataDir: string;
  /** Folder to open by default (passed as positional arg; openWorkbench can still pick a folder via ?folder=). */
  workspace?: string;
  /** Merged over DEFAULT_SETTINGS into the user settings.json before start. */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  extraArgs?: string[];
  timeoutMs?: number;
  /** Keep VS Code's workspace trust on (opening a folder then asks whether to trust it); off by default. */
  workspaceTrust?: boolean;
}

function serverEnv(): Record<string, string> {
  return {
    // keep code-server from reading/writing the developer's real config
    XDG_CONFIG_HOME: path.join(os.tmpdir(), 'code-server-e2e-xdg-config'),
    XDG_DATA_HOME: path.join(os.tmpdir(), 'code-server-e2e-xdg-data'),
    VSCODE_PROXY_URI: '',
    CS_DISABLE_GETTING_STARTED_OVERRIDE: '1',
    // point the extension gallery (open-vsx by default) at a dead loopback port: no DNS / outbound traffic
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
  };
}

/**
 * Start code-server on 127.0.0.1 with a kernel-chosen free port (`--bind-addr 127.0.0.1:0`, actual port parsed from
 * its "HTTP server listening on" line), `--auth none`, no telemetry/update check, workspace trust disabled. Resolves
 * once `/healthz` answers.
 */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  assertToolchain();
  installExitHooks();
  await fsp.mkdir(opts.extensionsDir, { recursive: true });
  await fsp.mkdir(opts.userDataDir, { recursive: true });
  const trust = opts.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' } : {};
  await updateUserSettings(opts.userDataDir, { ...DEFAULT_SETTINGS, ...(opts.settings ?? {}), ...trust });

  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--user-data-dir', opts.userDataDir,
    '--extensions-dir', opts.extensionsDir,
    ...(opts.extraArgs ?? []),
    ...(opts.workspace ? [opts.workspace] : []),
  ];
  const child: ChildProcess = spawn(NODE24, args, {
    detached: true, // own process group -> we can kill code-server + extension host + pty host together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...serverEnv(), ...(opts.env ?? {}) },
  });
  const pid = child.pid!;
  liveGroups.add(pid);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const stop = async (): Promise<void> => {
    if (!liveGroups.has(pid)) return;
    killGroupSync(pid, 'SIGTERM');
    const t = setTimeout(() => killGroupSync(pid, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    killGroupSync(pid, 'SIGKILL'); // leftovers in the group (extension host, pty host, ...)
    liveGroups.delete(pid);
  };

  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    let port = 0;
    while (!port) {
      const m = /HTTP server listening on https?:\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) port = Number(m[1]);
      else if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${out}`);
      else if (Date.now() > deadline) throw new Error(`code-server did not report its port in time:\n${out}`);
      else await sleep(100);
    }
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      try {
        const r = await fetch(`${url}/healthz`);
        if (r.ok) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`code-server /healthz not ready:\n${out}`);
      await sleep(100);
    }
    return { url, port, pid, userDataDir: opts.userDataDir, extensionsDir: opts.extensionsDir, logs: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------ browser
export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { viewport?: { width: number; height: number }; headless?: boolean } = {}): Promise<BrowserSession> {
  assertToolchain();
  installExitHooks();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--lang=en-US',
      '--disable-crash-reporter', // Debian's wrapper otherwise spawns crashpad handlers that outlive the browser
    ],
  });
  liveBrowsers.add(browser);
  browser.once('disconnected', () => liveBrowsers.delete(browser));
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    locale: 'en-US',
    // clipboard access for tests that copy/paste
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await browser.close().catch(() => undefined);
      liveBrowsers.delete(browser);
    },
  };
}

// ------------------------------------------------------------------------------------------------ workbench helpers
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';

/**
 * Open the workbench for `folder` (absolute path on the server machine; a `.code-workspace` file opens that workspace) and wait until it is usable: workbench DOM
 * present, status bar + editor parts rendered, explorer shows the folder, and the extension host has started
 * (status bar has a right-aligned item from an extension, or 20s passed).
 */
export async function openWorkbench(page: Page, url: string, folder?: string, opts: { timeoutMs?: number; /** How long to wait for an extension's status bar item (none may show before a file opens). */ activationTimeoutMs?: number } = {}): Promise<void> {
  const timeout = opts.timeoutMs ?? 60_000;
  // A `.code-workspace` file opens as a (multi-root) workspace, anything else as a folder.
  const query = folder?.endsWith('.code-workspace') ? 'workspace' : 'folder';
  const target = folder ? `${url}/?${query}=${encodeURIComponent(folder)}` : url;
  await page.goto(target, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout });
  if (folder) {
    // explorer root rendered => the remote file system provider is connected
    await page
      .locator('.explorer-folders-view .monaco-list-row, .part.sidebar .pane-body .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout })
      .catch(() => undefined);
  }
  await waitForExtensionsActivated(page, { timeoutMs: opts.activationTimeoutMs ?? timeout });
}

/**
 * Wait until the extension host is up and startup activation is over: the built-in status entry `#status.progress`
 * ("Activating Extensions...") has gone and some extension-contributed item (id not starting with "status.") exists.
 * Does not throw on timeout (returns false) since a workbench without extensions is valid.
 */
export async function waitForExtensionsActivated(page: Page, opts: { timeoutMs?: number } = {}): Promise<boolean> {
  return page
    .waitForFunction(
      () => {
        const items = [...document.querySelectorAll('.part.statusbar .statusbar-item')];
        const activating = items.some((e: any) => /Activating Extensions/i.test(e.getAttribute('aria-label') ?? ''));
        const extItems = items.filter((e: any) => e.id && !e.id.startsWith('status.'));
        return !activating && extItems.length > 0;
      },
      undefined,
      { timeout: opts.timeoutMs ?? 60_000, polling: 200 },
    )
    .then(
      () => true,
      () => false,
    );
}

/** Close the command palette / any quick input if open. */
export async function closeQuickInput(page: Page): Promise<void> {
  if (await page.locator(QUICK_INPUT).isVisible().catch(() => false)) {
    await page.keyboard.press('Escape');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
}

/**
 * Run a command by its palette title (e.g. "Selftest: Open Panel"), via F1. Picks the row whose label equals the
 * title (else the first row that contains it).
 */
export async function runCommand(page: Page, title: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const timeout = opts.timeoutMs ?? 15_000;
  await closeQuickInput(page);
  await page.keyboard.press('F1');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill('>' + title);
  const deadline = Date.now() + timeout;
  for (;;) {
    // NB: no named inner functions inside evaluate callbacks: tsx/esbuild (keepNames) would inject `__name(...)`,
    // which does not exist in the page.
    const idx: number = await page.evaluate(
      ({ sel, t }) => {
        const labels: string[] = [...document.querySelectorAll(sel)].map((r: any) =>
          (r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '').trim(),
        );
        let i = labels.indexOf(t);
        if (i < 0) i = labels.findIndex((l) => l.includes(t));
        return i < 0 ? -1 : Number(document.querySelectorAll(sel)[i].getAttribute('data-index'));
      },
      { sel: QUICK_INPUT_ROWS, t: title },
    );
    if (idx >= 0) {
      // Keyboard first: Enter runs the focused row (mouse clicks can be swallowed by the row's hover tooltip).
      const row = page.locator(`${QUICK_INPUT_ROWS}[data-index="${idx}"]`);
      const focused = await row.evaluate((r: any) => r.classList.contains('focused')).catch(() => false);
      if (focused) await page.keyboard.press('Enter');
      else await row.click();
      break;
    }
    if (Date.now() > deadline) {
      const rows = await page.locator(QUICK_INPUT_ROWS).allTextContents();
      await closeQuickInput(page);
      throw new Error(`command "${title}" not found in palette; rows: ${JSON.stringify(rows)}`);
    }
    await sleep(100);
  }
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

/**
 * Quick-open (Ctrl+P) a workspace file by relative path: waits for its result row and presses Enter, nothing more
 * (a guarded file then shows "Open Anyway" instead of a text editor). Returns the file's base name.
 */
export async function quickOpenFile(page: Page, relativePath: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeout = opts.timeoutMs ?? 20_000;
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relativePath);
  const base = path.posix.basename(relativePath.replace(/\\/g, '/'));
  // wait for a result row naming the file (file search runs in the server, ripgrep)
  await page.locator(QUICK_INPUT_ROWS, { hasText: base }).first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  return base;
}

/** Quick-open (Ctrl+P) a workspace file by relative path and wait until its editor tab is active and focused. */
export async function openFile(page: Page, relativePath: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const timeout = opts.timeoutMs ?? 20_000;
  const base = await quickOpenFile(page, relativePath, opts);
  await page.locator(`.tabs-container .tab.active[aria-label*="${cssString(base)}"]`).first().waitFor({ state: 'visible', timeout });
  await activeEditor(page).locator('.view-lines').waitFor({ state: 'visible', timeout });
  await focusEditor(page);
}

function cssString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The text editor in the active editor group (Monaco). */
export function activeEditor(page: Page) {
  return page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
}

/** Put keyboard focus into the active text editor (without moving the cursor). */
export async function focusEditor(page: Page): Promise<void> {
  const ta = activeEditor(page).locator('textarea.inputarea, .native-edit-context').first();
  await ta.focus();
}

/**
 * Move the cursor to 1-based line / character column (VS Code Position semantics, UTF-16 based like the API).
 * PITFALL: "Go to Line/Column" (Ctrl+G, input `:line:col`) in VS Code 1.139 interprets `col` as a *visual* column in
 * which full-width (CJK) characters count 2 (`:2:5` on "第二行 中文" lands before 行). So we only use Ctrl+G for the
 * line (`:line:1`), then press ArrowRight (column-1) times (one press per character; a surrogate pair counts as one
 * press but two columns, so avoid astral characters before the target column).
 */
export async function gotoPosition(page: Page, line: number, column = 1): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator(QUICK_INPUT_BOX);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:1`);
  await page.keyboard.press('Enter');
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  await focusEditor(page);
  await page.keyboard.press('Home'); // no-op at col 1 of an unindented line; guarantees column 1 otherwise too
  if ((await cursorPosition(page))?.column !== 1) await page.keyboard.press('Home');
  for (let i = 1; i < column; i++) await page.keyboard.press('ArrowRight');
}

/**
 * Cursor position as shown by the built-in status entry `#status.editor.selection` ("Ln 2, Col 5 (3 selected)").
 * Col there is the character column (tabs expanded to tab size). Returns undefined when no text editor is active.
 */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number; selected: number } | undefined> {
  const t = await page
    .locator('.part.statusbar [id="status.editor.selection"]')
    .innerText({ timeout: 2000 })
    .catch(() => '');
  const m = /Ln (\d+), Col (\d+)(?: \((\d+) selected\))?/.exec(t);
  return m ? { line: Number(m[1]), column: Number(m[2]), selected: Number(m[3] ?? 0) } : undefined;
}

/** Select the whole document of the active editor (Ctrl+A). */
export async function selectAll(page: Page): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+A');
}

/**
 * Select from (line, column) to (line, column), 1-based, end exclusive (like VS Code positions), using
 * keyboard only: go to start, "Set Selection Anchor" (Ctrl+K Ctrl+B), go to end, "Select from Anchor to Cursor"
 * (Ctrl+K Ctrl+K).
 */
export async function selectRange(page: Page, from: { line: number; column: number }, to: { line: number; column: number }): Promise<void> {
  await gotoPosition(page, from.line, from.column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+B');
  await gotoPosition(page, to.line, to.column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+K');
}

/**
 * Replace the current selection of the focused editor with `text` via the clipboard (Ctrl+V): verbatim, unlike
 * typing (no auto-closing pairs / auto-indent). Needs the clipboard permissions granted in launchBrowser.
 */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => (globalThis as any).navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

/** Type text into the focused editor (keystrokes: subject to auto-closing pairs / auto-indent; see DEFAULT_SETTINGS). */
export async function typeText(page: Page, text: string): Promise<void> {
  await focusEditor(page);
  await page.keyboard.type(text);
}

// ------------------------------------------------------------------------------------------------ status bar
export interface StatusBarItemInfo {
  /** DOM id, e.g. "publisher.name.itemId" */
  id: string;
  /** Rendered label text ($(icon) parts render as codicon spans and contribute no text) */
  text: string;
  /** Codicon names rendered in the label, e.g. ["symbol-number"] */
  icons: string[];
  ariaLabel: string;
  visible: boolean;
}

/** Locator for a status bar entry: exact DOM id (e.g. "publisher.ext.itemId"), else an entry whose text contains it. */
export function statusBarItem(page: Page, idOrText: string) {
  return page.locator(
    `.part.statusbar .statusbar-item[id="${cssString(idOrText)}"], .part.statusbar .statusbar-item:has(> .statusbar-item-label:has-text("${cssString(idOrText)}"))`,
  ).first();
}

/** Read a status bar entry (waits for it to exist). */
export async function readStatusBarItem(page: Page, idOrText: string, opts: { timeoutMs?: number } = {}): Promise<StatusBarItemInfo> {
  const loc = statusBarItem(page, idOrText);
  await loc.waitFor({ state: 'attached', timeout: opts.timeoutMs ?? 20_000 });
  return loc.evaluate((el: any) => {
    const label = el.querySelector('.statusbar-item-label') ?? el;
    const icons = [...label.querySelectorAll('.codicon')]
      .flatMap((c: any) => [...c.classList])
      .filter((c: string) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin')
      .map((c: string) => c.slice('codicon-'.length));
    return {
      id: el.id,
      text: (label.textContent ?? '').replace(/\s+/g, ' ').trim(),
      icons,
      ariaLabel: label.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
      visible: el.offsetParent !== null && !el.classList.contains('hidden'),
    };
  });
}

/** Poll a status bar entry until `predicate(text)` holds; returns the last info. */
export async function waitForStatusBarText(
  page: Page,
  idOrText: string,
  predicate: (text: string) => boolean,
  opts: { timeoutMs?: number } = {},
): Promise<StatusBarItemInfo> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let last: StatusBarItemInfo | undefined;
  for (;;) {
    last = await readStatusBarItem(page, idOrText, { timeoutMs: Math.max(1, deadline - Date.now()) });
    if (predicate(last.text)) return last;
    if (Date.now() > deadline) throw new Error(`status bar "${idOrText}" text never matched; last: ${JSON.stringify(last)}`);
    await sleep(100);
  }
}

const VISIBLE_HOVER = '.workbench-hover-container .monaco-hover, .monaco-hover.workbench-hover';

/** Hover a status bar entry with the mouse and return the hover widget's text (markdown rendered to text). */
export async function readStatusBarTooltip(page: Page, idOrText: string, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeout = opts.timeoutMs ?? 10_000;
  const loc = statusBarItem(page, idOrText);
  await loc.waitFor({ state: 'visible', timeout });
  await page.mouse.move(0, 0);
  await loc.hover();
  const hover = page.locator(VISIBLE_HOVER).filter({ hasNotText: /^$/ }).first();
  await hover.waitFor({ state: 'visible', timeout });
  const text = (await hover.innerText()).trim();
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  return text;
}

// ------------------------------------------------------------------------------------------------ editor hover
/**
 * Show the editor hover at 1-based (line, column) of the active editor (cursor + `editor.action.showHover`, i.e.
 * Ctrl+K Ctrl+I) and return the text of the visible `.monaco-hover` once it is no longer "Loading...".
 */
export async function hoverAt(page: Page, line: number, column: number, opts: { timeoutMs?: number } = {}): Promise<string> {
  const timeout = opts.timeoutMs ?? 10_000;
  await gotoPosition(page, line, column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  return readEditorHover(page, { timeoutMs: timeout });
}

/** Text of the currently visible editor hover (not the workbench/status-bar hover), waiting for real content. */
export async function readEditorHover(page: Page, opts: { timeoutMs?: number } = {}): Promise<string> {
  const hover = page.locator('.monaco-hover:not(.hidden):not(.workbench-hover) .monaco-hover-content').first();
  await hover.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 10_000 });
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let text = '';
  for (;;) {
    text = (await hover.innerText().catch(() => '')).trim();
    if (text && !/^Loading\.\.\.$/.test(text)) return text;
    if (Date.now() > deadline) return text;
    await sleep(100);
  }
}

// ------------------------------------------------------------------------------------------------ webviews
/**
 * Reach the content frame of a webview panel whose editor tab title contains `titleContains`.
 * Activates the tab, then finds the visible outer `iframe.webview` and returns its child frame `#active-frame`
 * (the extension's HTML document) once it has loaded a body.
 */
export async function getWebviewFrame(page: Page, titleContains: string, opts: { timeoutMs?: number } = {}): Promise<Frame> {
  const timeout = opts.timeoutMs ?? 20_000;
  const tab = page.locator('.tabs-container .tab', { hasText: titleContains }).first();
  await tab.waitFor({ state: 'visible', timeout });
  if (!(await tab.evaluate((t: any) => t.classList.contains('active') && t.closest('.editor-group-container.active') !== null))) await tab.click();
  const deadline = Date.now() + timeout;
  for (;;) {
    // Outer iframes of all webviews; the shown one has non-zero size and is not visibility:hidden.
    const outers = page.locator('iframe.webview');
    const n = await outers.count();
    for (let i = 0; i < n; i++) {
      const outer = outers.nth(i);
      if (!(await outer.isVisible().catch(() => false))) continue;
      const handle = await outer.elementHandle();
      const outerFrame = await handle?.contentFrame();
      if (!outerFrame) continue;
      // The inner iframe is created as #pending-frame and renamed #active-frame once its content is loaded
      // (playwright's frame.name() keeps the creation-time "pending-frame", so match the DOM id instead).
      const innerEl = await outerFrame.$('iframe#active-frame').catch(() => null);
      const inner = await innerEl?.contentFrame();
      if (!inner) continue;
      const ok = await inner.evaluate(() => !!document.body && document.body.childElementCount > 0).catch(() => false);
      if (ok) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no visible webview content for "${titleContains}"`);
    await sleep(150);
  }
}

// ------------------------------------------------------------------------------------------------ misc
/** Full-page PNG screenshot; relative paths go under test/e2e/artifacts/. Returns the absolute path. */
export async function screenshot(page: Page, file: string): Promise<string> {
  const out = path.isAbsolute(file) ? file : path.join(ARTIFACTS_DIR, file);
  await fsp.mkdir(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  return out;
}

/** Fresh temp dir (caller removes it, or use `cleanupDirs`). */
export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

// ------------------------------------------------------------------------------------------------ failures
/** The extension host's log files (activation errors and extension logs land there). */
export async function extensionHostLog(server: CodeServer): Promise<string> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fsp.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name === 'remoteexthost.log' || e.name === 'exthost.log') found.push(p);
    }
  };
  await walk(path.join(server.userDataDir, 'logs'));
  return (await Promise.all(found.map((f) => fsp.readFile(f, 'utf8').catch(() => '')))).join('\n');
}

/**
 * A node:test `test` that, when its body throws, saves `artifacts/failure-<name>.png` and prints the tails of the
 * code-server and extension host logs. `ctx` is read at failure time (page and server are set up in `before`).
 */
export function e2eTest(test: (name: string, fn: () => Promise<void>) => unknown, name: string, ctx: () => { page?: Page; server?: CodeServer }, fn: () => Promise<void>): void {
  test(name, async () => {
    try {
      await fn();
    } catch (e) {
      const { page, server } = ctx();
      if (page) await screenshot(page, `failure-${name.replace(/[^\w]+/g, '-')}.png`).catch(() => undefined);
      if (server) {
        console.error('--- code-server log tail ---\n' + server.logs().slice(-3000));
        console.error('--- extension host log tail ---\n' + (await extensionHostLog(server)).slice(-4000));
      }
      throw e;
    }
  });
}
