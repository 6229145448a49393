// The real webview bundle in headless Chromium under the panel's real CSP, with hostile data: text stays text, no
// script runs, nothing violates the CSP (bars are sized via CSSOM), and sorting, filtering, state and messages work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PanelRow, PanelSnapshot, PanelStrings } from '../../src/panel/protocol';

// page.evaluate callbacks run in the browser; the project tsconfig has no DOM lib.
declare const document: any;
declare const window: any;
declare const sessionStorage: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
const ORIGIN = 'https://webview.test';
const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts');

// panel.ts imports vscode only for the panel class; panelHtml (the page shell under test) does not need it.
const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = mod._load;
mod._load = (request, ...rest) => (request === 'vscode' ? {} : load(request, ...rest));
const { panelHtml } = require('../../src/panel/panel') as typeof import('../../src/panel/panel');

const DARK = `:root {
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-editor-background: #1f1f1f;
  --vscode-font-family: system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif; --vscode-font-size: 13px;
  --vscode-focusBorder: #0078d4; --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-button-hoverBackground: #026ec1; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc; --vscode-dropdown-border: #3c3c3c;
  --vscode-textLink-foreground: #4daafc; --vscode-textLink-activeForeground: #4daafc; --vscode-charts-blue: #3794ff;
  --vscode-charts-red: #f14c4c; --vscode-editorWarning-foreground: #cca700; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-panel-border: #2b2b2b; --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
  --vscode-editorWidget-background: #2b2b2b;
}
`;

const STRINGS: PanelStrings = {
  title: 'Token cost by model', vendor: 'Vendor', model: 'Model', tokens: 'Tokens', input: 'Input', output: 'Output',
  total: 'Total', context: 'Context', priceDate: 'Price date', source: 'Source', allVendors: 'All vendors',
  filterByVendor: 'Vendor', currency: 'Currency', currencyNative: "Each model's own", estimate: 'estimate',
  exact: 'exact', convertedNote: 'Converted at the configured exchange rate', overContext: 'over context',
  chartTitle: 'Total cost', selection: 'Selection', document: 'Whole document', characters: 'characters',
  outputTokensNote: 'assumed output tokens per call', setDefault: 'Set as default', isDefault: 'default', copySummary: 'Copy summary',
  noData: 'No models to compare', statusLine: '{0} models · cheapest: {1} {2}', sortedBy: 'sorted by', ascending: 'ascending', descending: 'descending',
};

const RATE = 7.2;
function row(id: string, vendor: string, name: string, native: 'CNY' | 'USD', inM: number, outM: number, tokens: number, ctx: number, extra: Partial<PanelRow> = {}): PanelRow {
  const out = 500;
  const nat = { input: (tokens * inM) / 1e6, output: (out * outM) / 1e6 };
  const other = native === 'CNY' ? 1 / RATE : RATE;
  const mk = (f: number, converted: boolean) => ({ input: nat.input * f, output: nat.output * f, total: (nat.input + nat.output) * f, converted });
  return {
    id, vendor, name, tokens, exact: true, contextWindow: ctx, contextUse: tokens / ctx,
    costs: native === 'CNY' ? { CNY: mk(1, false), USD: mk(other, true) } : { USD: mk(1, false), CNY: mk(other, true) },
    native, priceDate: '2025-09-05', source: 'https://api-docs.deepseek.com/quick_start/pricing?check=20261115', isDefault: false, followed: false,
    ...extra,
  };
}

const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
const HOSTILE_SCRIPT = '</script><script>alert(2)</script>';
const ROWS: PanelRow[] = [
  row('deepseek-chat', 'DeepSeek', 'deepseek-chat', 'CNY', 2, 3, 1840, 128000, { isDefault: true }),
  row('qwen-flash', 'Alibaba', 'qwen-flash', 'CNY', 0.15, 1.5, 1790, 1000000, { priceDate: '2025-07-28', source: 'syaoranwe/LLM-Price README.md@069ada3 (2025-06-14); https://help.aliyun.com/zh/model-studio/models' }),
  row('qwen-max', 'Alibaba', 'qwen3-max', 'CNY', 6, 24, 1790, 262144),
  row('gpt-4o', 'OpenAI', 'gpt-4o', 'USD', 2.5, 10, 1700, 128000, { priceDate: '2024-08-06', source: 'https://openai.com/api/pricing/' }),
  row('claude', 'Anthropic', 'claude-sonnet-4.5', 'USD', 3, 15, 2010, 200000, { exact: false, estimateBasis: 'estimated from o200k_base × 1.18 (no public tokenizer)' }),
  row('tiny', 'Mistral', 'ministral-3b (small window)', 'USD', 0.04, 0.04, 1650, 1024, { exact: false, estimateBasis: 'chars ÷ 3.6' }),
  row('evil1', 'Evil "><svg onload=alert(3)>', HOSTILE_IMG, 'USD', 1, 2, 1000, 8000, { source: 'javascript:alert(4)', estimateBasis: '"><img src=x onerror=alert(6)>', exact: false }),
  row('evil2', 'Evil "><svg onload=alert(3)>', HOSTILE_SCRIPT, 'CNY', 1, 2, 1000, 8000, { source: 'https://ok.example/p"><img src=x onerror=alert(5)>' }),
];

function snapshot(version: number, extra: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return { documentName: 'rewrite.zh.prompt.md', scope: 'document', characters: 5210, outputTokens: 500, cacheHitShare: 0, exchangeRate: RATE, currency: 'CNY', rows: ROWS, version, ...extra };
}

let browser: Browser | undefined;
let page: Page;
let bundle = '';

before(async () => {
  if (!existsSync(CHROMIUM)) return;
  const out = await esbuild.build({ entryPoints: [path.join(ROOT, 'src/webview/main.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', target: 'es2022' });
  bundle = out.outputFiles[0].text;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 980, height: 900 } });
  const html = panelHtml({ cspSource: ORIGIN, nonce: 'dGVzdG5vbmNlMTIzNDU2Nw==', styleUri: `${ORIGIN}/media/panel.css`, scriptUri: `${ORIGIN}/dist/webview.js`, lang: 'en', title: 'Token Cost' });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort(); // no remote content at all
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (url.pathname === '/media/panel.css') return route.fulfill({ contentType: 'text/css', body: DARK + readFileSync(path.join(ROOT, 'media/panel.css'), 'utf8') });
    if (url.pathname === '/dist/webview.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
    return route.fulfill({ status: 404, body: '' });
  });
  // A string, not a function: tsx's keepNames would inject a __name helper that does not exist in the page.
  await page.addInitScript(`
    window.__posted = [];
    window.__alerts = [];
    window.__violations = [];
    window.alert = (x) => window.__alerts.push(String(x));
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
      setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
    });
  `);
  page.on('dialog', (d) => void d.dismiss());
});

after(async () => {
  await browser?.close();
});

async function open(snap: PanelSnapshot = snapshot(1)): Promise<void> {
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => window.__posted.length > 0);
  await page.evaluate(([strings, s]) => {
    window.postMessage({ type: 'init', locale: 'en-US', strings }, '*');
    window.postMessage({ type: 'update', snapshot: s }, '*');
  }, [STRINGS, snap] as const);
  await page.waitForSelector('table.models, .message');
}

const skip = !existsSync(CHROMIUM) && `no chromium at ${CHROMIUM}`;

test('hostile data renders as text, runs nothing, and the CSP is never violated', { skip }, async () => {
  await open();
  assert.deepEqual(await page.evaluate(() => window.__posted), [{ type: 'ready' }]);
  const text = await page.locator('table.models').innerText();
  assert.ok(text.includes(HOSTILE_IMG), 'img markup shown literally');
  assert.ok(text.includes(HOSTILE_SCRIPT), 'script markup shown literally');
  assert.ok(text.includes('Evil "><svg onload=alert(3)>'));
  assert.equal(await page.locator('img, svg, iframe, object, embed').count(), 0);
  assert.equal(await page.locator('script').count(), 1);
  assert.equal(await page.locator('[onerror], [onload]').count(), 0);
  // javascript: sources are shown as a citation, never as a clickable source; a quoted https URL is cut cleanly.
  assert.equal(await page.locator('tr:has-text("<img src=x") button.link').count(), 0);
  assert.equal(await page.locator('tr:has-text("</script>") button.link').innerText(), 'ok.example');
  await page.waitForTimeout(100);
  assert.deepEqual(await page.evaluate(() => window.__alerts), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  // The CSP is really enforced: an inline style attribute is refused, while the bars' CSSOM widths applied.
  const blocked = await page.evaluate(() => {
    const d = document.createElement('div');
    d.setAttribute('style', 'width: 123px');
    document.body.append(d);
    const w = d.getBoundingClientRect().width;
    d.remove();
    return w;
  });
  assert.notEqual(blocked, 123);
  await page.waitForFunction(() => window.__violations.length > 0);
  const bar = await page.locator('tr:has-text("qwen3-max") .bar-fill').evaluate((e: any) => [e.getBoundingClientRect().width, e.parentElement.getBoundingClientRect().width]);
  assert.ok(Math.abs(bar[0] / bar[1] - 1790 / 262144) < 0.01, `bar ${bar}`);
  const over = await page.locator('tr:has-text("ministral") .bar-fill').evaluate((e: any) => [e.getBoundingClientRect().width, e.parentElement.getBoundingClientRect().width]);
  assert.equal(over[0], over[1], 'over-context bar capped at 100%');
  assert.match(await page.locator('tr:has-text("ministral") td.context').innerText(), /161%\s*over context/);
});

test('table: default cheapest-first, sorting by every column with aria-sort, focus kept, state persisted', { skip }, async () => {
  await page.evaluate(() => sessionStorage.clear());
  await open();
  const models = () => page.locator('tbody th .model-name').allInnerTexts();
  const totalTh = page.locator('thead th', { hasText: 'Total' });
  assert.equal(await totalTh.getAttribute('aria-sort'), 'ascending');
  assert.equal((await models())[0], 'ministral-3b (small window)');
  assert.equal(await page.locator('th[aria-sort]').count(), 1);
  assert.equal(await page.locator('thead th[scope=col]').count(), 9);
  assert.equal(await page.locator('tbody th[scope=row]').count(), ROWS.length);
  for (const label of ['Vendor', 'Model', 'Tokens', 'Input', 'Output', 'Total', 'Context', 'Price date']) {
    const btn = page.locator('thead button.sort', { hasText: label });
    await btn.focus();
    await page.keyboard.press('Enter');
    const th = page.locator('thead th', { hasText: label });
    assert.equal(await th.getAttribute('aria-sort'), 'ascending', label);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), (await btn.textContent()) ?? '', `focus kept on ${label}`);
  }
  await page.keyboard.press('Space');
  assert.equal(await page.locator('thead th', { hasText: 'Price date' }).getAttribute('aria-sort'), 'descending');
  assert.deepEqual(JSON.parse((await page.evaluate(() => sessionStorage.getItem('state'))) ?? '{}'), { sortKey: 'priceDate', sortDescending: true, vendor: '', currency: 'CNY' });
  await page.locator('thead button.sort', { hasText: 'Model' }).click();
  const sorted = await models();
  assert.deepEqual(sorted, [...sorted].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })));
  // The chart shows the same rows in the same order.
  assert.deepEqual(await page.locator('.chart-label').allInnerTexts(), sorted);
  // A reload (the panel hidden and shown again) restores the UI state.
  await open();
  assert.equal(await page.locator('thead th', { hasText: 'Model' }).getAttribute('aria-sort'), 'ascending');
});

test('vendor filter, currency switch, messages to the extension, stale updates dropped, message snapshots', { skip }, async () => {
  await page.evaluate(() => sessionStorage.clear());
  await open();
  await page.selectOption('#vendor', 'Alibaba');
  assert.deepEqual(await page.locator('tbody th .model-name').allInnerTexts(), ['qwen-flash', 'qwen3-max']);
  assert.deepEqual(await page.locator('.chart-label').allInnerTexts(), ['qwen-flash', 'qwen3-max']);
  await page.selectOption('#vendor', '');
  await page.selectOption('#currency', 'USD');
  assert.match(await page.locator('tr:has-text("deepseek-chat") td.total').innerText(), /^\$[\d.]+\*$/);
  await page.selectOption('#currency', 'native');
  assert.match(await page.locator('tr:has-text("deepseek-chat") td.total').innerText(), /^¥[\d.]+$/);
  assert.match(await page.locator('tr:has-text("gpt-4o") td.total').innerText(), /^\$[\d.]+$/);
  assert.equal(await page.locator('.footnote').count(), 0);
  // Sorted by total in USD terms: ministral ($) < qwen-flash (¥→$) < ... per the USD column.
  const order = await page.locator('tbody th .model-name').allInnerTexts();
  assert.equal(order[0], 'ministral-3b (small window)');

  await page.locator('tr:has-text("gpt-4o") button.link').click();
  await page.locator('tr:has-text("gpt-4o") button', { hasText: 'Set as default' }).click();
  await page.locator('button', { hasText: 'Copy summary' }).click();
  assert.equal(await page.locator('tr:has-text("deepseek-chat") button', { hasText: 'Set as default' }).isDisabled(), true);
  assert.deepEqual((await page.evaluate(() => window.__posted)).slice(1), [
    { type: 'openSource', modelId: 'gpt-4o' },
    { type: 'setDefaultModel', modelId: 'gpt-4o' },
    { type: 'copySummary' },
  ]);
  assert.equal(page.url(), `${ORIGIN}/index.html`, 'never navigates itself');

  await page.evaluate((s) => window.postMessage({ type: 'update', snapshot: s }, '*'), snapshot(0, { documentName: 'stale.md' }));
  await page.waitForTimeout(50);
  assert.equal(await page.locator('h1').innerText(), 'rewrite.zh.prompt.md');
  await page.evaluate((s) => window.postMessage({ type: 'update', snapshot: s }, '*'), snapshot(5, { message: 'Open a text editor to compare costs.', rows: [] }));
  await page.waitForSelector('.message');
  assert.equal(await page.locator('table').count(), 0);
  assert.equal(await page.locator('.message').innerText(), 'Open a text editor to compare costs.');
  await page.waitForTimeout(700);
  assert.equal(await page.locator('[role=status][aria-live=polite]').innerText(), 'Open a text editor to compare costs.');
});

test('screenshot (dark theme) for a visual check', { skip }, async () => {
  await page.evaluate(() => sessionStorage.clear());
  await open();
  await page.locator('thead button.sort', { hasText: 'Tokens' }).focus(); // shows the focus outline
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await page.waitForTimeout(700);
  assert.match(await page.locator('[role=status]').innerText(), /^8 models · cheapest: ministral-3b \(small window\) ¥0\.00062 · sorted by Total, ascending$/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'panel-standalone.png'), fullPage: true });
  // The usual width of a panel beside the editor.
  await page.setViewportSize({ width: 640, height: 900 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'panel-standalone-narrow.png'), fullPage: true });
  assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 640, 'only the table scrolls sideways');
  const [wrapLeft, modelLeft] = await page.evaluate(`(() => {
    const wrap = document.querySelector('.table-wrap');
    wrap.scrollLeft = 300;
    return [wrap.getBoundingClientRect().left, document.querySelector('tbody th.model').getBoundingClientRect().left];
  })()`) as [number, number];
  assert.equal(modelLeft, wrapLeft, 'the model column stays in view');
  await page.locator('.table-wrap').screenshot({ path: path.join(ARTIFACTS, 'panel-standalone-scrolled.png') });
});
