/**
 * A two-folder (multi-root) workspace in a real VS Code (code-server): resource-scoped settings are read per folder.
 * Folder `alpha` names its own prompt files (`**\/*.txt`, replacing the default globs); folder `beta` keeps the
 * default globs and names its own price-table file by a path relative to itself, which overrides Qwen Plus's price.
 * Hovers and the Prompt Costs view follow each folder's globs, and beta's price applies to a beta file. Workspace
 * trust is off (trusted), as in the other suites but trust.e2e.ts.
 *
 *   npm run package && node --import tsx --test test/e2e/multiroot.e2e.ts
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { Session, counter } from './session';
import { formatCount, formatMoney } from '../../src/core/money';
import { WorkspaceReport } from '../../src/core/report/report';
import type { ReportTotals } from '../../src/core/report/report';
import { reportTree } from '../../src/core/report/tree';
import type { ReportNode } from '../../src/core/report/tree';
import { eventually } from '../fixtures/eventually';

const FIXTURES = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
const EN = readFileSync(path.join(FIXTURES, 'review.en.prompt'), 'utf8');
const ZH = readFileSync(path.join(FIXTURES, 'rewrite.zh.prompt.md'), 'utf8');
const PLAN = 'Plan the release notes in three short bullet points.\n';
/** beta's contract price for Qwen Plus (CNY per million input tokens); the shipped price is far lower. */
const BETA_INPUT = 100;

// alpha's prompt files are its .txt files only: its .prompt.md file is not one (the default globs are replaced).
const A_PROMPTS: Record<string, string> = { 'brief-a.txt': EN, 'drafts/plan-a.txt': PLAN };
const A_NOT_PROMPT = 'skipped-a.prompt.md';
// beta keeps the default globs: its .prompt.md file is a prompt file, its .txt file is not.
const B_PROMPTS: Record<string, string> = { 'task-b.prompt.md': ZH };
const B_NOT_PROMPT = 'notes-b.txt';

const files: Record<string, string> = {
  'multi.code-workspace': JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }] }, null, 2),
  'alpha/.vscode/settings.json': JSON.stringify({ 'tokenCost.promptFiles': ['**/*.txt'] }),
  ...Object.fromEntries(Object.entries(A_PROMPTS).map(([p, t]) => [`alpha/${p}`, t])),
  [`alpha/${A_NOT_PROMPT}`]: EN,
  'beta/.vscode/settings.json': JSON.stringify({ 'tokenCost.priceTableFile': 'pricing/beta.token-prices.json' }),
  'beta/pricing/beta.token-prices.json': JSON.stringify({
    version: 1,
    models: [{ id: 'qwen-plus', prices: [{ currency: 'CNY', input: BETA_INPUT, output: 200, effectiveDate: '2026-11-01', source: 'beta contract' }] }],
  }),
  ...Object.fromEntries(Object.entries(B_PROMPTS).map(([p, t]) => [`beta/${p}`, t])),
  [`beta/${B_NOT_PROMPT}`]: EN,
};

let s: Session | undefined;
let page: h.BrowserSession['page'];

before(async () => {
  s = await Session.start({ files, workspaceFile: 'multi.code-workspace', viewport: { width: 1500, height: 1000 } });
  page = s.page;
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s?.page, server: s?.server }), fn);
}

const qwen = (text: string) => counter.count('qwen', text).tokens;
/** What Qwen Plus costs for `tokens` at beta's price (no output tokens, as SETTINGS say). */
const betaCost = (tokens: number) => formatMoney((tokens * BETA_INPUT) / 1e6, 'CNY', 'en');

/** The editor hover's text at (line, column), or '' when none shows. */
async function hoverText(line: number, column: number): Promise<string> {
  await h.gotoPosition(page, line, column);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await h.sleep(1500);
  const text = await page.locator('.monaco-hover:not(.hidden):not(.workbench-hover) .monaco-hover-content').first().innerText().catch(() => '');
  await page.keyboard.press('Escape');
  return text;
}

e2eTest('beta names its own price file (relative to beta): its price applies in a beta file', async () => {
  await s!.open('task-b.prompt.md');
  const tokens = qwen(ZH);
  await s!.statusIs(`${formatCount(tokens, 'en')} · ${betaCost(tokens)} · Qwen Plus`);
  await h.screenshot(page, 'multiroot-status-beta.png');
});

e2eTest('hovers follow each folder’s prompt-file globs', async () => {
  // alpha: its .txt file is a prompt file (its own glob), its .prompt.md file is not.
  await s!.open('brief-a.txt');
  await h.waitForStatusBarText(page, 'token-cost.token-cost.tokenCost.status', (t) => t.startsWith(`${formatCount(qwen(EN), 'en')} · `) && t.endsWith(' · Qwen Plus'));
  const first = EN.split('\n')[0];
  const a = await h.hoverAt(page, 1, 3);
  assert.match(a, /Paragraph · line 1/);
  assert.match(a, new RegExp(`Qwen Plus\\s+${qwen(first)}\\s`));
  await page.keyboard.press('Escape');
  await s!.open(A_NOT_PROMPT);
  assert.doesNotMatch(await hoverText(1, 3), /Token Cost|Paragraph · line/, `${A_NOT_PROMPT} is not one of alpha's prompt files`);

  // beta: the default globs, so the .prompt.md file has hovers and the .txt file has none.
  await s!.open('task-b.prompt.md');
  const lines = ZH.split('\n');
  const b = await h.hoverAt(page, 3, 2);
  assert.match(b, /Section · lines 3–6/);
  assert.match(b, new RegExp(`Qwen Plus\\s+${qwen(lines.slice(2, 6).join('\n'))}\\s`));
  await page.keyboard.press('Escape');
  await s!.open(B_NOT_PROMPT);
  assert.doesNotMatch(await hoverText(1, 3), /Token Cost|Paragraph · line/, `${B_NOT_PROMPT} is not one of beta's prompt files`);
});

/** The Prompt Costs view's pane. */
function reportPane() {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Prompt Costs/ }) }).first();
}

/** The view's rows as shown: name and description, indented by tree depth. */
async function viewRows(): Promise<string[]> {
  return reportPane()
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      [...rows].sort((x, y) => Number(x.getAttribute('data-index')) - Number(y.getAttribute('data-index'))).map((r) => {
        const depth = Number(r.getAttribute('aria-level') ?? '1') - 1;
        const name = (r.querySelector('.label-name')?.textContent ?? '').trim();
        const description = (r.querySelector('.label-description')?.textContent ?? '').trim();
        return `${'  '.repeat(depth)}${name} | ${description}`;
      }),
    );
}

const totalsText = (t: ReportTotals) => `${t.files === 1 ? '1 file' : `${formatCount(t.files, 'en')} files`} · ${t.estimates ? '≈' : ''}${formatCount(t.tokens, 'en')} tokens · ${formatMoney(t.cost, 'CNY', 'en')}`;

/** One workspace folder's rows: its root row with its totals, then its tree, each file counted by the core. */
function expectedRows(name: string, prompts: Record<string, string>): string[] {
  const r = new WorkspaceReport({ currency: 'CNY', model: 'qwen-plus' });
  for (const [p, text] of Object.entries(prompts)) r.set({ path: p, tokens: qwen(text), exact: true, cost: (qwen(text) * BETA_INPUT) / 1e6, currency: 'CNY' });
  const walk = (nodes: readonly ReportNode[], depth: number): string[] =>
    nodes.flatMap((n) => {
      const pad = '  '.repeat(depth);
      if (n.kind === 'folder') return [`${pad}${n.name} | ${totalsText(n.totals)}`, ...walk(n.children, depth + 1)];
      if (n.kind === 'skipped') return [`${pad}${n.name} | not counted: ${n.reason}`];
      return [`${pad}${n.name} | ${formatCount(n.row.tokens, 'en')} tokens · ${formatMoney(n.row.cost, 'CNY', 'en')}`];
    });
  return [`${name} | ${totalsText(r.total())}`, ...walk(reportTree(r), 1)];
}

e2eTest('Prompt Costs view: each folder lists its own prompt files, by its own globs', async () => {
  await h.runCommand(page, 'Focus on Prompt Costs View');
  await reportPane().waitFor({ state: 'visible', timeout: 20_000 });
  const folders = page.locator('.part.sidebar .pane', { has: page.locator('.explorer-folders-view') }).first().locator('.pane-header').first();
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  // Tokens and tree are exact for both folders; the price is checked in beta's rows (beta's file sets it). alpha's
  // money is left out of the comparison: which folder's price file prices another folder's files is not this test's.
  const money = /¥[\d.,]+/g;
  const expected = [...expectedRows('alpha', A_PROMPTS).map((r) => r.replace(money, '¥…')), ...expectedRows('beta', B_PROMPTS)];
  await eventually(async () => {
    const rows = await viewRows();
    const beta = rows.findIndex((r) => r.startsWith('beta | '));
    assert.deepEqual([...rows.slice(0, Math.max(beta, 0)).map((r) => r.replace(money, '¥…')), ...rows.slice(Math.max(beta, 0))], expected);
  }, 60_000);
  const rows = (await viewRows()).join('\n');
  assert.doesNotMatch(rows, /skipped-a\.prompt\.md|notes-b\.txt|beta\.token-prices\.json|settings\.json/, 'files outside a folder’s own globs are left out');
  await h.screenshot(page, 'multiroot-prompt-costs.png');
});

e2eTest('a folder’s globs changed live: that folder’s list and hovers follow at once, the other folder’s stay', async () => {
  // alpha now also names .prompt.md files: its skipped file joins alpha's list (and gets hovers); beta is unchanged.
  await fs.writeFile(path.join(s!.workspace, 'alpha', '.vscode', 'settings.json'), JSON.stringify({ 'tokenCost.promptFiles': ['**/*.txt', '**/*.prompt.md'] }));
  const widened = { ...A_PROMPTS, [A_NOT_PROMPT]: EN };
  const money = /¥[\d.,]+/g;
  const expected = [...expectedRows('alpha', widened).map((r) => r.replace(money, '¥…')), ...expectedRows('beta', B_PROMPTS)];
  await eventually(async () => {
    const rows = await viewRows();
    const beta = rows.findIndex((r) => r.startsWith('beta | '));
    assert.deepEqual([...rows.slice(0, Math.max(beta, 0)).map((r) => r.replace(money, '¥…')), ...rows.slice(Math.max(beta, 0))], expected);
  }, 60_000);
  await s!.open(A_NOT_PROMPT);
  await eventually(async () => assert.match(await hoverText(1, 3), new RegExp(`Paragraph · line 1[\\s\\S]*Qwen Plus\\s+${qwen(EN.split('\n')[0])}\\s`)), 20_000);
  await s!.open(B_NOT_PROMPT);
  assert.doesNotMatch(await hoverText(1, 3), /Token Cost|Paragraph · line/, `${B_NOT_PROMPT} is still not one of beta's prompt files`);
});
