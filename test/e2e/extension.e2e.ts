/**
 * Token Cost in a real VS Code (code-server) driven through headless Chromium: the packaged VSIX is installed
 * offline, a workspace of Chinese and English prompts is opened, and the status bar, its tooltip, hovers, the
 * default-model switch, settings changes and the comparison panel are read from the page. Expected numbers come from
 * the reference tokenizers and the core cost model, so a wrong count or price fails here.
 *
 *   npm run test:e2e      (installs the toolchain on first use, packages the VSIX, runs this file)
 *
 * Screenshots of the status bar, tooltip, hover and panel are saved to test/e2e/artifacts/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { formatCount, formatMoney } from '../../src/core/money';
import { referenceEncoder } from '../fixtures/references';
import { ITEM, Session, counter, expectedStatus, models } from './session';
import { mixedText } from '../bench/mixedText';
import { eventually } from '../fixtures/eventually';

const FIXTURES = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
const ZH_FILE = 'rewrite.zh.prompt.md';
const EN_FILE = 'review.en.prompt';
const ZH = readFileSync(path.join(FIXTURES, ZH_FILE), 'utf8');
const EN = readFileSync(path.join(FIXTURES, EN_FILE), 'utf8');

let s: Session | undefined;
let workspace = '';
let server: h.CodeServer;
let page: h.BrowserSession['page'];

before(async () => {
  s = await Session.start({ files: { [ZH_FILE]: ZH, [EN_FILE]: EN, 'notes.txt': 'Not a prompt file: no hover here.\n' } });
  ({ workspace, server, page } = s);
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

const open = (file: string) => s!.open(file);
const statusIs = (expected: string, timeoutMs?: number) => s!.statusIs(expected, timeoutMs);
const pickQuickItem = (filter: string, label: string) => s!.pickQuickItem(filter, label);

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page, server }), fn);
}

e2eTest('status bar: a Chinese prompt, whole document, default model Qwen Plus', async () => {
  await open(ZH_FILE);
  const item = await statusIs(expectedStatus(ZH, 'qwen-plus'));
  assert.deepEqual(item.icons, ['symbol-numeric']);
  assert.ok(item.visible);
  await h.screenshot(page, 'status-bar.png');
});

e2eTest('status bar follows the selection and typing', async () => {
  // Line 1 is "你是一位资深的中文写作助手。…"; select its first 13 characters.
  await h.selectRange(page, { line: 1, column: 1 }, { line: 1, column: 14 });
  await statusIs(expectedStatus([...ZH.split('\n')[0]].slice(0, 13).join(''), 'qwen-plus'));
  await h.gotoPosition(page, 7, 1);
  await h.typeText(page, '请用中文回答。');
  await statusIs(expectedStatus(ZH + '请用中文回答。', 'qwen-plus'));
  await page.keyboard.press('Control+Z');
  await statusIs(expectedStatus(ZH, 'qwen-plus'));
});

e2eTest('tooltip compares the followed models and marks the cheapest', async () => {
  // Keep the tooltip open for the screenshot, then read it.
  await page.mouse.move(0, 0);
  await h.statusBarItem(page, ITEM).hover();
  const hover = page.locator('.workbench-hover-container .monaco-hover, .monaco-hover.workbench-hover').filter({ hasText: /Token Cost/ }).first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  await h.sleep(300);
  await h.screenshot(page, 'status-tooltip.png');
  const tip = (await hover.innerText()).trim();
  await page.mouse.move(0, 0);
  for (const name of ['Qwen Plus', 'DeepSeek V4.1 Flash', 'GPT-5.5', 'Claude Sonnet 5.5', 'Gemini 3.8 Flash']) assert.match(tip, new RegExp(name.replace('.', '\\.')));
  assert.match(tip, /★ cheapest/);
  assert.match(tip, /≈ estimate/);
  assert.match(tip, new RegExp(`${ZH_FILE.replace(/\./g, '\\.')}`));
});

e2eTest('hover on a Markdown heading shows its section across models', async () => {
  const lines = ZH.split('\n');
  const section = lines.slice(2, 6).join('\n');
  const text = await h.hoverAt(page, 3, 2);
  assert.match(text, /Section · lines 3–6/);
  const qwen = counter.count('qwen', section).tokens;
  assert.equal(qwen, referenceEncoder('qwen')(section).length);
  assert.match(text, new RegExp(`Qwen Plus\\s+${qwen}\\s`));
  const gpt = counter.count('o200k_base', section).tokens;
  assert.match(text, new RegExp(`GPT-5\\.5\\s+${gpt}\\s`));
  await h.screenshot(page, 'hover.png');
  await page.keyboard.press('Escape');
});

e2eTest('hover on a paragraph in an English prompt; none in other files', async () => {
  await open(EN_FILE);
  await statusIs(expectedStatus(EN, 'qwen-plus'));
  const first = EN.split('\n')[0];
  const text = await h.hoverAt(page, 1, 3);
  assert.match(text, /Paragraph · line 1/);
  assert.match(text, new RegExp(`Qwen Plus\\s+${counter.count('qwen', first).tokens}\\s`));
  await page.keyboard.press('Escape');
  await open('notes.txt');
  await h.gotoPosition(page, 1, 3);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await h.sleep(1500);
  const hover = await page.locator('.monaco-hover:not(.hidden):not(.workbench-hover) .monaco-hover-content').first().innerText().catch(() => '');
  assert.doesNotMatch(hover, /Token Cost/);
  await page.keyboard.press('Escape');
});

e2eTest('Select Default Model: quick pick grouped by vendor switches the status bar', async () => {
  await open(ZH_FILE);
  await statusIs(expectedStatus(ZH, 'qwen-plus'));
  await h.runCommand(page, 'Token Cost: Select Default Model');
  const separators = await page.locator('.quick-input-widget .quick-input-list .quick-input-list-separator, .quick-input-widget .quick-input-list .quick-input-list-separator-as-item').allInnerTexts().catch(() => [] as string[]);
  const rows = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
  assert.ok(rows.join('\n').includes('Alibaba Qwen') || separators.join('\n').includes('Alibaba Qwen'), 'vendor groups shown');
  assert.match(rows.join('\n'), /exact count \(qwen\)/);
  await pickQuickItem('gpt-4o', 'GPT-4o');
  await statusIs(expectedStatus(ZH, 'gpt-4o'));
  await h.screenshot(page, 'status-bar-gpt-4o.png');
});

e2eTest('settings apply at once: default model (an estimate) and currency', async () => {
  // An alias of a model counted by estimate (DeepSeek is exact since its vocabulary is bundled).
  await h.updateUserSettings(server!.userDataDir, { 'tokenCost.defaultModel': 'doubao-1.5-pro-32k' }, page);
  await open(ZH_FILE);
  const s = await statusIs(expectedStatus(ZH, 'doubao-1-5-pro-32k'));
  assert.match(s.text, /^≈/, 'estimates are marked');
  await h.updateUserSettings(server!.userDataDir, { 'tokenCost.defaultModel': 'qwen-plus', 'tokenCost.currency': 'USD' }, page);
  await open(ZH_FILE);
  await statusIs(expectedStatus(ZH, 'qwen-plus', 'USD'));
  await h.updateUserSettings(server!.userDataDir, { 'tokenCost.currency': 'CNY' }, page);
  await open(ZH_FILE);
  await statusIs(expectedStatus(ZH, 'qwen-plus'));
});

e2eTest('a workspace price file: overrides apply, bad entries are named in the Problems panel', async () => {
  const file = {
    version: 1,
    models: [
      { id: 'qwen-plus', prices: [{ currency: 'CNY', input: 100, output: 200, effectiveDate: '2026-11-01', source: 'our contract' }] },
      { id: 'broken-model', vendor: 'Us', tokenizer: 'qwen', contextWindow: 1000, prices: [{ currency: 'CNY', input: -5, output: 1, effectiveDate: '2026-11-01', source: 'x' }] },
    ],
  };
  await fs.writeFile(path.join(workspace, 'team.token-prices.json'), JSON.stringify(file, null, 2));
  await fs.mkdir(path.join(workspace, '.vscode'), { recursive: true });
  await fs.writeFile(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tokenCost.priceTableFile': 'team.token-prices.json' }));
  await open(ZH_FILE);
  const tokens = counter.count('qwen', ZH).tokens;
  await statusIs(`${formatCount(tokens, 'en')} · ${formatMoney((tokens * 100) / 1e6, 'CNY', 'en')} · Qwen Plus`);
  await h.runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)').catch(() => h.runCommand(page, 'Problems: Focus on Problems View'));
  const problems = page.locator('.markers-panel');
  await problems.waitFor({ state: 'visible', timeout: 10_000 });
  await eventually(async () => {
    const text = await problems.innerText();
    assert.match(text, /team\.token-prices\.json/);
    assert.match(text, /broken-model: must not be negative, got -5/);
  });
  await h.screenshot(page, 'problems.png');
  await fs.rm(path.join(workspace, '.vscode'), { recursive: true, force: true });
  await statusIs(expectedStatus(ZH, 'qwen-plus'));
});

e2eTest('above tokenCost.maxFileSize: a clear notice, and a click counts it anyway (in the worker, exactly)', async () => {
  const long = mixedText(300 * 1024, 3);
  await fs.writeFile(path.join(workspace, 'long.prompt.md'), long);
  await fs.mkdir(path.join(workspace, '.vscode'), { recursive: true });
  await fs.writeFile(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tokenCost.maxFileSize': 100_000 }));
  await open('long.prompt.md');
  const notice = await h.waitForStatusBarText(page, ITEM, (t) => /too large/.test(t), { timeoutMs: 30_000 });
  assert.match(notice.text, /KB: too large/);
  await h.statusBarItem(page, ITEM).click();
  await statusIs(expectedStatus(long, 'qwen-plus'), 60_000);
  // Typing mid-document is counted incrementally and still matches a full count.
  await h.gotoPosition(page, 40, 1);
  await h.typeText(page, '模型');
  const lines = long.split('\n');
  lines[39] = '模型' + lines[39];
  await statusIs(expectedStatus(lines.join('\n'), 'qwen-plus'), 30_000);
  await page.keyboard.press('Control+Z');
  await statusIs(expectedStatus(long, 'qwen-plus'), 30_000);
  await fs.rm(path.join(workspace, '.vscode'), { recursive: true, force: true });
});

e2eTest('comparison panel: every model, cheapest first, with the right counts', async () => {
  await open(ZH_FILE);
  await h.runCommand(page, 'Token Cost: Open Comparison Panel');
  const frame = await h.getWebviewFrame(page, 'Token Cost');
  const rows = frame.locator('table.models tbody tr');
  await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
  const current = models.filter((m) => m.prices.length > 0);
  await eventually(async () => assert.equal(await rows.count(), current.length));
  const texts = await rows.allInnerTexts();
  const qwenRow = texts.find((t) => /\bQwen Plus\b/.test(t));
  assert.ok(qwenRow, 'a Qwen Plus row');
  assert.match(qwenRow, new RegExp(`\\b${formatCount(counter.count('qwen', ZH).tokens, 'en')}\\b`));
  const gptRow = texts.find((t) => /\bGPT-4o\b(?! mini)/.test(t))!;
  assert.match(gptRow, new RegExp(`\\b${counter.count('o200k_base', ZH).tokens}\\b`));
  // Cheapest first: the first rows are the free models.
  assert.match(texts[0], /¥0(?![.\d])/);
  await h.screenshot(page, 'panel.png');
});

e2eTest('hostile names from a workspace price file render as text, in the panel and the tooltip', async () => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const evil = '<img src=x onerror="alert(1)">Evil</script><script>alert(2)</script>';
  const file = {
    version: 1,
    models: [{ id: 'evil-model', vendor: '<b>Vendor</b>', name: evil, tokenizer: 'qwen', contextWindow: 1000, prices: [{ currency: 'CNY', input: 0, output: 0, effectiveDate: '2026-11-01', source: 'javascript:alert(3)' }] }],
  };
  await fs.writeFile(path.join(workspace, 'evil.token-prices.json'), JSON.stringify(file));
  await fs.mkdir(path.join(workspace, '.vscode'), { recursive: true });
  await fs.writeFile(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'tokenCost.priceTableFile': 'evil.token-prices.json', 'tokenCost.defaultModel': 'evil-model' }));
  try {
    await open(ZH_FILE);
    await h.waitForStatusBarText(page, ITEM, (t) => t.includes('Evil'), { timeoutMs: 30_000 });
    const frame = await h.getWebviewFrame(page, 'Token Cost');
    const row = frame.locator('table.models tbody tr', { hasText: 'onerror' }).first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    // In a narrow panel (the compact layout) the vendor is in the row's details: open them first.
    const details = row.locator('button.disclose');
    if (await details.isVisible()) await details.click();
    assert.match(await row.innerText(), /<img src=x onerror="alert\(1\)">Evil<\/script><script>alert\(2\)<\/script>/);
    assert.match(await row.innerText(), /<b>Vendor<\/b>/);
    assert.equal(await frame.locator('img, b').count(), 0, 'no element was created from the data');
    assert.equal(await frame.locator('script', { hasText: 'alert' }).count(), 0, 'no script element was created from the data');
    // The source link goes through the extension, which opens https: URLs only: clicking it must not run anything.
    const source = row.locator('a, button').filter({ hasText: /javascript|2026-11-01|source/i }).first();
    if (await source.count()) await source.click().catch(() => undefined);
    const tip = await h.readStatusBarTooltip(page, ITEM);
    assert.match(tip, /<img src=x onerror="alert\(1\)">Evil/);
    await h.sleep(500);
    assert.deepEqual(dialogs, [], 'no script ran');
  } finally {
    await fs.rm(path.join(workspace, '.vscode'), { recursive: true, force: true });
    await fs.rm(path.join(workspace, 'evil.token-prices.json'), { force: true });
  }
  await statusIs(expectedStatus(ZH, 'qwen-plus'), 30_000);
});

e2eTest('untitled documents are counted; rapid editor switching ends on the right count', async () => {
  await page.keyboard.press('Control+N');
  await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await h.focusEditor(page);
  const text = '未命名文档也要计数。Untitled text counts too.';
  await h.pasteText(page, text);
  await statusIs(expectedStatus(text, 'qwen-plus'));
  for (let i = 0; i < 12; i++) {
    const file = [ZH_FILE, EN_FILE, 'notes.txt'][i % 3];
    await page.locator(`.tabs-container .tab[aria-label*="${file}"]`).first().click();
  }
  // The last switch was to notes.txt (i = 11).
  await statusIs(expectedStatus(readFileSync(path.join(workspace, 'notes.txt'), 'utf8'), 'qwen-plus'));
  await page.locator('.tabs-container .tab', { hasText: 'Untitled' }).first().click();
  await h.runCommand(page, 'View: Revert and Close Editor');
});

e2eTest('Toggle Selection/Document and Copy Cost Summary', async () => {
  await open(ZH_FILE);
  await h.selectRange(page, { line: 1, column: 1 }, { line: 1, column: 14 });
  const selected = expectedStatus([...ZH.split('\n')[0]].slice(0, 13).join(''), 'qwen-plus');
  await statusIs(selected);
  await h.runCommand(page, 'Token Cost: Toggle Selection/Document');
  await statusIs(expectedStatus(ZH, 'qwen-plus'), 30_000);
  await h.runCommand(page, 'Token Cost: Toggle Selection/Document');
  await statusIs(selected, 30_000);
  await h.runCommand(page, 'Token Cost: Copy Cost Summary');
  await eventually(async () => {
    const clip: string = await page.evaluate(() => (globalThis as any).navigator.clipboard.readText());
    assert.match(clip, /^### Token Cost: rewrite\.zh\.prompt\.md \(selection, 13 characters\)/);
    assert.match(clip, /\| Model \| Vendor \| Tokens \| Input \| Output \| Total \| Context \|/);
    assert.match(clip, /\*\*Qwen Plus\*\* \| Alibaba Qwen \|/);
    const rows = clip.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Model|---)/.test(l));
    assert.equal(rows.length, models.filter((m) => m.prices.length > 0).length);
  }, 15_000);
  await h.gotoPosition(page, 1, 1);
});

e2eTest('the panel comes back after a window reload, with its sort kept', async () => {
  let frame = await h.getWebviewFrame(page, 'Token Cost');
  // Sort by tokens, descending (two clicks on the header button), so the restored state is visible.
  const tokensHeader = frame.locator('thead th button').filter({ hasText: /^Tokens/ }).first();
  const tokensTh = frame.locator('thead th').filter({ hasText: /^Tokens/ }).first();
  for (let i = 0; i < 2 && (await tokensTh.getAttribute('aria-sort')) !== 'descending'; i++) {
    await tokensHeader.focus();
    await tokensHeader.press('Enter'); // from the keyboard, as a screen-reader user would
    await h.sleep(200);
  }
  assert.equal(await tokensTh.getAttribute('aria-sort'), 'descending');
  await h.runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await h.waitForExtensionsActivated(page, { timeoutMs: 60_000 });
  frame = await h.getWebviewFrame(page, 'Token Cost', { timeoutMs: 60_000 });
  const rows = frame.locator('table.models tbody tr');
  await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
  await eventually(async () => {
    const sorted = frame.locator('thead th[aria-sort="descending"]');
    assert.equal(await sorted.count(), 1);
    assert.match(await sorted.innerText(), /Tokens/);
  });
  await h.screenshot(page, 'panel-after-reload.png');
});

