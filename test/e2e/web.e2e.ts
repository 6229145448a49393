/**
 * Token Cost as a web extension: the packaged VSIX installed into code-server and forced into the browser's web
 * worker extension host (user setting `remote.extensionKind` = ["web"] for it), so it runs the `browser` entry
 * (dist/web/extension.js) as on vscode.dev / github.dev, driven by Chromium like the other suites.
 *
 *   bash test/e2e/toolchain.sh && npm run package && node --import tsx --test test/e2e/web.e2e.ts
 *
 * Checked: it really runs there (its own log says so, and which counting mode it chose: code-server serves the
 * extension from a vscode-remote: URI, where VS Code refuses to create Web Workers, so counting runs time-sliced in
 * the extension host); the status bar shows the CLI's exact count for a Chinese and an English prompt; switching the
 * default model updates it; the panel lists every model; a hover appears in a prompt file; typing in a 1 MB prompt
 * keeps the editor responsive (keystroke → VS Code's own Ln/Col item, and → Token Cost's new count, and the longest
 * frame while typing, measured in the page and printed; no timed assertions).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { formatCount, formatMoney } from '../../src/core/money';
import { ITEM, Session, counter, expectedStatus, models } from './session';
import { mixedText } from '../bench/mixedText';
import { eventually } from '../fixtures/eventually';

// page.evaluate callbacks run in the browser.
declare const document: any;

const FIXTURES = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
const ZH_FILE = 'rewrite.zh.prompt.md';
const EN_FILE = 'review.en.prompt';
const ZH = readFileSync(path.join(FIXTURES, ZH_FILE), 'utf8');
const EN = readFileSync(path.join(FIXTURES, EN_FILE), 'utf8');
const BIG_FILE = 'big.prompt.md';
const BIG = mixedText(1024 * 1024, 7);
const CLI = path.join(h.REPO_ROOT, 'dist', 'cli.js');
const EXTENSION_ID = 'token-cost.token-cost';

let s: Session | undefined;
let server: h.CodeServer;
let page: h.BrowserSession['page'];

before(async () => {
  s = await Session.start({
    files: { [ZH_FILE]: ZH, [EN_FILE]: EN, [BIG_FILE]: BIG },
    settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] } },
  });
  ({ server, page } = s);
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page, server }), fn);
}

/** What `token-cost --json` says for a file and a model: the status bar text it implies. */
function cliStatus(file: string, modelId: string): string {
  const r = spawnSync(process.execPath, [CLI, '--json', '--model', modelId, path.join(s!.workspace, file)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout).files[0].results.find((x: { model: string }) => x.model === modelId);
  const name = models.find((m) => m.id === modelId)!.name;
  return `${result.exact ? '' : '≈'}${formatCount(result.tokens, 'en')} · ${formatMoney(result.totalCost, result.currency, 'en')} · ${name}`;
}

/** The Token Cost output channel's text (its log), shown through the extension's own command. */
async function outputLog(): Promise<string> {
  await h.runCommand(page, 'Token Cost: Show Price Table Problems');
  const lines = page.locator('.part.panel .view-lines').first();
  await lines.waitFor({ state: 'visible', timeout: 10_000 });
  // The editor renders spaces as no-break spaces.
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

e2eTest('it runs in the browser: the web worker extension host, counting in it', async () => {
  await s!.open(ZH_FILE);
  await s!.statusIs(expectedStatus(ZH, 'qwen-plus'), 60_000);
  await eventually(async () => {
    const log = await outputLog();
    assert.match(log, /activated in [\d.]+ ms \(browser, web worker extension host\)/);
    assert.match(log, /counting in: extension host \(time-sliced\), because the extension is served from a vscode-remote:\s+URI/);
    assert.doesNotMatch(log, /Node extension host|worker thread/);
  }, 20_000);
  // The web worker extension host is a hidden iframe of the page; the Node one would be a server process.
  assert.ok(page.frames().some((f) => /webWorkerExtensionHostIframe/.test(f.url())), 'a web worker extension host is running');
  await h.runCommand(page, 'View: Close Panel').catch(() => undefined);
});

e2eTest('the status bar shows the CLI\'s exact count and cost: a Chinese prompt and an English one', async () => {
  for (const [file, text] of [[ZH_FILE, ZH], [EN_FILE, EN]]) {
    await s!.open(file);
    const expected = cliStatus(file, 'qwen-plus');
    assert.equal(expected, expectedStatus(text, 'qwen-plus'), 'the CLI agrees with the core and the reference tokenizer');
    assert.doesNotMatch(expected, /^≈/);
    await s!.statusIs(expected, 60_000);
  }
});

e2eTest('switching the default model (the setting) updates the status bar', async () => {
  try {
    await h.updateUserSettings(server.userDataDir, { 'tokenCost.defaultModel': 'gpt-4o' }, page);
    await s!.open(ZH_FILE);
    await s!.statusIs(cliStatus(ZH_FILE, 'gpt-4o'), 60_000);
  } finally {
    await h.updateUserSettings(server.userDataDir, { 'tokenCost.defaultModel': 'qwen-plus' }, page);
  }
  await s!.open(ZH_FILE);
  await s!.statusIs(expectedStatus(ZH, 'qwen-plus'), 60_000);
});

e2eTest('the comparison panel opens with every model', async () => {
  await s!.open(ZH_FILE);
  await h.runCommand(page, 'Token Cost: Open Comparison Panel');
  const frame = await h.getWebviewFrame(page, 'Token Cost');
  const rows = frame.locator('table.models tbody tr');
  await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
  const current = models.filter((m) => m.prices.length > 0);
  await eventually(async () => assert.equal(await rows.count(), current.length), 60_000);
  const qwenRow = (await rows.allInnerTexts()).find((t) => /\bQwen Plus\b/.test(t));
  assert.match(qwenRow ?? '', new RegExp(`\\b${formatCount(counter.count('qwen', ZH).tokens, 'en')}\\b`));
  await h.screenshot(page, 'web-panel.png');
  await h.runCommand(page, 'View: Close Editor');
});

e2eTest('a hover appears in a prompt file', async () => {
  await s!.open(ZH_FILE);
  const section = ZH.split('\n').slice(2, 6).join('\n');
  const text = await h.hoverAt(page, 3, 2);
  assert.match(text, /Section · lines 3–6/);
  assert.match(text, new RegExp(`Qwen Plus\\s+${counter.count('qwen', section).tokens}\\s`));
  await page.keyboard.press('Escape');
});

e2eTest('typing in a 1 MB prompt keeps the editor responsive (measured and printed, not asserted)', async () => {
  await s!.open(BIG_FILE);
  await s!.statusIs(expectedStatus(BIG, 'qwen-plus'), 180_000);
  // In the page: each keydown's time, every change of VS Code's Ln/Col item and of Token Cost's item, every frame.
  // A string, not a function: the test runner's transform would add helpers (__name) the page does not have.
  await page.evaluate(`(() => {
    const rec = (globalThis.__typing = { keys: [], sel: [], tc: [], frames: [], on: true });
    document.addEventListener('keydown', (e) => { if (e.key === 'x') rec.keys.push(performance.now()); }, true);
    const opts = { subtree: true, childList: true, characterData: true };
    new MutationObserver(() => rec.sel.push(performance.now())).observe(document.getElementById('status.editor.selection'), opts);
    const tc = document.getElementById(${JSON.stringify(ITEM)});
    new MutationObserver(() => rec.tc.push([performance.now(), (tc.textContent || '').replace(/\\s+/g, ' ').trim()])).observe(tc, opts);
    const frame = (t) => { rec.frames.push(t); if (rec.on) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
  })()`);
  // ASCII keys, so each one is a real keydown (Playwright inserts other characters as text, without key events).
  const lines = BIG.split('\n');
  const at = [2000, 2250, 2500, 2750];
  for (const line of at) {
    await h.gotoPosition(page, line, 1);
    await h.sleep(300);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('x');
      await h.sleep(60);
    }
    lines[line - 1] = 'xxxxx' + lines[line - 1];
  }
  const keys = at.length * 5;
  const typed = lines.join('\n');
  await s!.statusIs(expectedStatus(typed, 'qwen-plus'), 120_000);
  const rec = (await page.evaluate('(() => { const r = globalThis.__typing; r.on = false; return { keys: r.keys, sel: r.sel, tc: r.tc, frames: r.frames }; })()')) as { keys: number[]; sel: number[]; tc: [number, string][]; frames: number[] };
  const typing = rec.keys;
  assert.equal(typing.length, keys);
  const after = (list: number[], t: number) => list.find((x) => x >= t);
  const selMs = typing.map((t) => (after(rec.sel, t) ?? Number.NaN) - t).filter(Number.isFinite);
  const last = typing[typing.length - 1];
  const final = rec.tc.filter(([t, text]) => t >= last && !/counting/.test(text)).at(-1);
  const gaps = rec.frames.slice(1).map((t, i) => t - rec.frames[i]).filter((g) => g > 0);
  const stat = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length ? `median ${v[Math.floor(v.length / 2)].toFixed(1)} ms, p95 ${v[Math.min(v.length - 1, Math.floor(v.length * 0.95))].toFixed(1)} ms, max ${v[v.length - 1].toFixed(1)} ms (n=${v.length})` : 'no samples';
  };
  console.log(`[web typing] 1 MB prompt (${formatCount(counter.count('qwen', BIG).tokens, 'en')} Qwen tokens), extension in the web worker extension host`);
  console.log(`[web typing] keystroke → Ln/Col item updated: ${stat(selMs)}`);
  console.log(`[web typing] frame intervals while typing:    ${stat(gaps)}`);
  console.log(`[web typing] last keystroke → Token Cost shows the new count: ${final ? (final[0] - last).toFixed(0) : 'n/a'} ms (includes the typing debounce)`);
  assert.ok(selMs.length >= keys / 2, 'the Ln/Col item followed the keystrokes');
  for (let i = 0; i < keys; i++) await page.keyboard.press('Control+Z');
  await s!.statusIs(expectedStatus(BIG, 'qwen-plus'), 120_000);
});
