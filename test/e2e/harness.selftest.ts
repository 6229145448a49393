/**
 * Self-test of the e2e harness against a real VS Code (code-server) + chromium.
 *
 *   bash test/e2e/toolchain.sh && node --import tsx --test test/e2e/harness.selftest.ts
 *
 * Installs test/e2e/selftest-extension (packaged to a VSIX with the repo's vsce) into a temp extensions dir, opens a
 * temp folder and checks status bar text/tooltip, editor hover, keyboard selection and webview content.
 * Screenshots go to test/e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';

const EXT_ID = 'e2e-selftest.harness-selftest';
const ITEM_ID = `${EXT_ID}.tokens`;
const EXT_SRC = path.join(h.REPO_ROOT, 'test', 'e2e', 'selftest-extension');

let tmp = '';
let server: h.CodeServer | undefined;
let session: h.BrowserSession | undefined;
let page: h.BrowserSession['page'];
let workspace = '';

before(async () => {
  tmp = await h.makeTempDir('e2e-selftest-');
  workspace = path.join(tmp, 'workspace');
  await fs.mkdir(path.join(workspace, 'src'), { recursive: true });
  await fs.writeFile(path.join(workspace, 'src', 'sample.txt'), 'hello world\n第二行 中文 tokens\nthird line here\n');
  await fs.writeFile(path.join(workspace, 'README.md'), '# Selftest\n');

  const extensionsDir = path.join(tmp, 'extensions');
  const vsix = h.packageVsix(EXT_SRC, path.join(tmp, 'selftest.vsix'));
  const installOut = await h.installExtension({ extensionsDir, vsix });
  assert.match(installOut, /successfully installed/);

  server = await h.startCodeServer({ extensionsDir, userDataDir: path.join(tmp, 'user-data'), workspace });
  session = await h.launchBrowser();
  page = session.page;
  await h.openWorkbench(page, server.url, workspace);
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page, server }), fn);
}

after(async () => {
  await session?.close();
  await server?.stop();
  await h.stopAll();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

e2eTest('status bar item text by DOM id and by text', async () => {
  const item = await h.waitForStatusBarText(page, ITEM_ID, (t) => t.includes('令牌 42'), { timeoutMs: 60_000 });
  assert.equal(item.id, ITEM_ID);
  assert.equal(item.text, '令牌 42 sel:0');
  assert.deepEqual(item.icons, ['symbol-number']);
  assert.ok(item.visible);
  const byText = await h.readStatusBarItem(page, '令牌 42');
  assert.equal(byText.id, ITEM_ID);
});

e2eTest('status bar tooltip (markdown hover)', async () => {
  const tip = await h.readStatusBarTooltip(page, ITEM_ID);
  assert.match(tip, /令牌提示/);
  assert.match(tip, /tooltip: 42 tokens/);
  assert.doesNotMatch(tip, /\*\*/, 'markdown should be rendered');
});

e2eTest('open file, keyboard selection reflected by the extension', async () => {
  await h.openFile(page, 'src/sample.txt');
  await h.selectAll(page);
  const all = await h.waitForStatusBarText(page, ITEM_ID, (t) => /sel:[1-9]/.test(t));
  assert.equal(all.text, `令牌 42 sel:${'hello world\n第二行 中文 tokens\nthird line here\n'.length}`);
  // line 2 "第二行 中文 tokens": columns 5..7 = "中文"
  await h.selectRange(page, { line: 2, column: 5 }, { line: 2, column: 7 });
  const two = await h.waitForStatusBarText(page, ITEM_ID, (t) => t.endsWith('sel:2'));
  assert.equal(two.text, '令牌 42 sel:2');
  // multi-line: line 1 col 7 ("world...") to line 3 col 6 -> "world\n第二行 中文 tokens\nthird"
  await h.selectRange(page, { line: 1, column: 7 }, { line: 3, column: 6 });
  const multi = await h.waitForStatusBarText(page, ITEM_ID, (t) => !t.endsWith('sel:2'));
  assert.equal(multi.text, `令牌 42 sel:${'world\n第二行 中文 tokens\nthird'.length}`);
  await h.screenshot(page, 'selftest-selection.png');
});

e2eTest('editor hover content', async () => {
  // line 2 "第二行 中文 tokens": column 10 is inside "tokens"
  const text = await h.hoverAt(page, 2, 10);
  assert.match(text, /悬停 Hover/);
  assert.match(text, /word=tokens at 2:10/);
  await h.screenshot(page, 'selftest-hover.png');
  await page.keyboard.press('Escape');
});

e2eTest('webview content via command palette', async () => {
  await h.runCommand(page, 'Selftest: Open Panel 面板');
  const frame = await h.getWebviewFrame(page, 'Selftest Panel');
  await frame.locator('#count[data-ready="yes"]').waitFor({ timeout: 10_000 });
  assert.equal((await frame.locator('#greeting').textContent())?.trim(), '你好 Webview');
  assert.equal((await frame.locator('#count').textContent())?.trim(), 'tokens: 42');
  await h.screenshot(page, 'selftest-webview.png');
});

e2eTest('updateUserSettings applies live', async () => {
  // Hiding the status bar via user settings proves settings.json edits are picked up by the running workbench.
  await h.updateUserSettings(server!.userDataDir, { 'workbench.statusBar.visible': false }, page);
  await page.locator('.part.statusbar').waitFor({ state: 'hidden', timeout: 10_000 });
  await h.updateUserSettings(server!.userDataDir, { 'workbench.statusBar.visible': undefined }, page);
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 10_000 });
  await h.screenshot(page, 'selftest-final.png');
});
