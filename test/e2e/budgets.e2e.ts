/**
 * Budgets and the workspace report in a real VS Code (code-server): a prompt file over its front matter token budget
 * gets a warning with the exact count in the Problems panel, and loses it once it fits; a cost budget from
 * tokenCost.budgets works the same; the quick fix opens the comparison panel on the cheapest models that fit, where
 * one click makes a model the default. The Prompt Costs view lists every prompt file with its tokens and cost and each folder's totals,
 * follows edits, and exports the CSV the core would write. Expected numbers come from the core tokenizers and cost
 * model, so a wrong count or price fails here.
 *
 *   npm run package && node --import tsx --test test/e2e/budgets.e2e.ts
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { Session, counter, expectedStatus, models } from './session';
import { cheapestThatFit } from '../../src/core/budgets/budgets';
import type { CostOptions } from '../../src/core/cost';
import { cost } from '../../src/core/cost';
import { countByTokenizer } from '../../src/core/compare';
import { formatCount, formatMoney } from '../../src/core/money';
import { findModel } from '../../src/core/prices/priceTable';
import { WorkspaceReport, toCsv } from '../../src/core/report/report';
import type { ReportTotals } from '../../src/core/report/report';
import { reportTree } from '../../src/core/report/tree';
import type { ReportNode } from '../../src/core/report/tree';
import { eventually } from '../fixtures/eventually';

const FIXTURES = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
const OVER_FILE = 'prompts/over.prompt.md';
const COSTLY_FILE = 'prompts/costly.prompt';
const ZH_FILE = 'prompts/zh/rewrite.zh.prompt.md';
const EN_FILE = 'review.en.prompt';
const BINARY_FILE = 'prompts/blob.prompt';
const OVER = '---\ntoken-budget: 30\n---\n你是一位资深的中文写作助手。请把下面的段落改写得更简洁、更有力，并保留原意。\n';
const FITS = '---\ntoken-budget: 30\n---\n你好。\n';
const COSTLY = readFileSync(path.join(FIXTURES, 'rewrite.zh.prompt.md'), 'utf8').repeat(3);
const qwenPlus = findModel(models, 'qwen-plus')!;
const OPTIONS: CostOptions = { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0 };

/** The prompt files' current contents, as the report must count them. */
const contents: Record<string, string> = {
  [OVER_FILE]: OVER,
  [COSTLY_FILE]: COSTLY,
  [ZH_FILE]: readFileSync(path.join(FIXTURES, 'rewrite.zh.prompt.md'), 'utf8'),
  [EN_FILE]: readFileSync(path.join(FIXTURES, 'review.en.prompt'), 'utf8'),
};

let s: Session | undefined;
let page: h.BrowserSession['page'];

before(async () => {
  s = await Session.start({
    files: {
      ...contents,
      [BINARY_FILE]: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(16), Buffer.from('binary \u0000\u0001')]),
      'notes.txt': 'Not a prompt file.\n',
      'node_modules/pkg/hidden.prompt': 'Installed packages are not the workspace’s prompts.\n',
    },
    viewport: { width: 1500, height: 1000 },
  });
  page = s.page;
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s?.page, server: s?.server }), fn);
}

/** The report the view must show for qwen-plus: each file counted by the core. */
function expectedReport(): WorkspaceReport {
  const r = new WorkspaceReport({ currency: 'CNY', model: 'qwen-plus' });
  for (const [p, text] of Object.entries(contents)) {
    const c = counter.count('qwen', text);
    r.set({ path: p, tokens: c.tokens, exact: c.exact, cost: cost(c.tokens, qwenPlus, { ...OPTIONS, at: new Date() })!.totalCost, currency: 'CNY' });
  }
  r.skip(BINARY_FILE, 'looks binary (contains NUL bytes)');
  return r;
}

const totalsText = (t: ReportTotals) => `${t.files === 1 ? '1 file' : `${formatCount(t.files, 'en')} files`} · ${t.estimates ? '≈' : ''}${formatCount(t.tokens, 'en')} tokens · ${formatMoney(t.cost, 'CNY', 'en')}`;

/** The rows the view must show, in order: name and description, indented by depth. */
function expectedRows(report: WorkspaceReport): string[] {
  const walk = (nodes: readonly ReportNode[], depth: number): string[] =>
    nodes.flatMap((n) => {
      const pad = '  '.repeat(depth);
      if (n.kind === 'folder') return [`${pad}${n.name} | ${totalsText(n.totals)}`, ...walk(n.children, depth + 1)];
      if (n.kind === 'skipped') return [`${pad}${n.name} | not counted: ${n.reason}`];
      return [`${pad}${n.name} | ${n.row.exact ? '' : '≈'}${formatCount(n.row.tokens, 'en')} tokens · ${formatMoney(n.row.cost, 'CNY', 'en')}`];
    });
  return walk(reportTree(report), 0);
}

function reportPane() {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /Prompt Costs/ }) }).first();
}

/** The view's title bar: its name and description (textContent: the title is upper-cased by CSS only). */
async function headerText(): Promise<string> {
  return (await reportPane().locator('.pane-header').textContent()) ?? '';
}

/** The Prompt Costs view's rows as shown: name and description, indented by tree depth. */
async function viewRows(): Promise<string[]> {
  return reportPane()
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      // List rows are reused as the list scrolls: their order is data-index, not the DOM's.
      [...rows].sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index'))).map((r) => {
        const depth = Number(r.getAttribute('aria-level') ?? '1') - 1;
        const name = (r.querySelector('.label-name')?.textContent ?? '').trim();
        const description = (r.querySelector('.label-description')?.textContent ?? '').trim();
        return `${'  '.repeat(depth)}${name} | ${description}`;
      }),
    );
}

/** Room for the view: the file explorer's own pane collapsed, the side bar widened to read the descriptions whole. */
async function makeRoom(): Promise<void> {
  const folders = page.locator('.part.sidebar .pane', { has: page.locator('.explorer-folders-view') }).first().locator('.pane-header').first();
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box && box.width < 450) {
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 520 - box.width, y, { steps: 8 });
    await page.mouse.up();
    await page.mouse.move(box.x + 700, box.y + box.height - 40);
  }
}

e2eTest('Prompt Costs view: every prompt file with its exact tokens and cost, folders with their totals', async () => {
  await h.runCommand(page, 'Focus on Prompt Costs View');
  await reportPane().waitFor({ state: 'visible', timeout: 20_000 });
  await makeRoom();
  const expected = expectedRows(expectedReport());
  await eventually(async () => assert.deepEqual(await viewRows(), expected), 60_000);
  assert.ok(!(await viewRows()).some((r) => /hidden\.prompt|notes\.txt/.test(r)), 'node_modules and non-prompt files are left out');
  const header = await headerText();
  assert.match(header, new RegExp(`Qwen Plus · ${totalsText(expectedReport().total()).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

e2eTest('Prompt Costs view: editing a file updates its row and the totals, saved or not', async () => {
  await s!.open(EN_FILE);
  await page.keyboard.press('Control+End');
  await h.typeText(page, 'Answer in English.');
  contents[EN_FILE] += 'Answer in English.';
  await eventually(async () => assert.deepEqual(await viewRows(), expectedRows(expectedReport())), 30_000);
  await page.keyboard.press('Control+S');
  await eventually(async () => assert.equal(await fs.readFile(path.join(s!.workspace, EN_FILE), 'utf8'), contents[EN_FILE]), 10_000);
  // A row's tooltip: its path, count and cost on the default model.
  const tokens = counter.count('qwen', COSTLY).tokens;
  const money = formatMoney(cost(tokens, qwenPlus, OPTIONS)!.totalCost, 'CNY', 'en');
  const tip = page.locator('.workbench-hover-container .monaco-hover, .monaco-hover.workbench-hover').filter({ hasText: 'costly' }).first();
  await eventually(async () => {
    await page.mouse.move(0, 0);
    await reportPane().locator('.monaco-list-row', { hasText: 'costly.prompt' }).first().hover();
    await tip.waitFor({ state: 'visible', timeout: 5_000 });
    await h.screenshot(page, 'report-view.png');
    const text = await tip.innerText({ timeout: 1_000 });
    assert.ok(text.includes(`prompts/costly.prompt`) && text.includes(`${tokens} tokens on Qwen Plus (exact count), ${money} per call`), text);
  }, 30_000);
  await page.mouse.move(0, 0);
  // A new prompt file written by another program appears; so does its deletion.
  const added = 'prompts/zh/added.prompt';
  await fs.writeFile(path.join(s!.workspace, added), '新文件。');
  contents[added] = '新文件。';
  await eventually(async () => assert.deepEqual(await viewRows(), expectedRows(expectedReport())), 30_000);
  await fs.rm(path.join(s!.workspace, added));
  delete contents[added];
  await eventually(async () => assert.deepEqual(await viewRows(), expectedRows(expectedReport())), 30_000);
});

e2eTest('Export Prompt Costs as CSV writes what the core writes for the same files', async () => {
  const target = path.join(s!.tmp, 'exported-costs.csv');
  await h.runCommand(page, 'Token Cost: Export Prompt Costs as CSV');
  // code-server's own save dialog: a quick input holding a path, which accepts a typed one.
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(target);
  await page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first().click();
  await eventually(async () => assert.ok(existsSync(target), `${target} written`), 30_000);
  await eventually(async () => assert.equal(await fs.readFile(target, 'utf8'), toCsv(expectedReport())), 10_000);
  await s!.notification(/Token Cost: costs of 4 prompt files exported to exported-costs\.csv/);
});

e2eTest('no prompt files: the view explains tokenCost.promptFiles; new patterns apply at once', async () => {
  await s!.workspaceSettings({ 'tokenCost.promptFiles': ['**/*.no-such-prompt'] });
  const welcome = reportPane().locator('.welcome-view-content');
  await eventually(async () => assert.match(await welcome.innerText(), /No prompt files in this workspace\. Prompt files are the files matching the tokenCost\.promptFiles setting/), 30_000);
  assert.ok(await reportPane().getByRole('button', { name: 'Edit Prompt File Patterns' }).isVisible());
  await s!.workspaceSettings(undefined);
  await eventually(async () => assert.deepEqual(await viewRows(), expectedRows(expectedReport())), 30_000);
});

e2eTest('a front matter token budget: a warning on its value with the exact count; cleared once the file fits', async () => {
  await s!.open(OVER_FILE);
  await s!.statusIs(expectedStatus(OVER, 'qwen-plus'));
  const tokens = counter.count('qwen', OVER).tokens;
  assert.ok(tokens > 30);
  const message = `${formatCount(tokens, 'en')} tokens on Qwen Plus, over the token budget of 30`;
  await eventually(async () => {
    const text = await s!.problemsText();
    assert.ok(text.includes(message), `Problems panel shows "${message}":\n${text}`);
    assert.match(text, /Ln 2, Col 15/, 'on the value 30');
  }, 30_000);
  await h.screenshot(page, 'budgets-token.png');
  await s!.open(OVER_FILE);
  await h.selectAll(page);
  await h.pasteText(page, FITS);
  contents[OVER_FILE] = FITS;
  await s!.statusIs(expectedStatus(FITS, 'qwen-plus'));
  assert.ok(counter.count('qwen', FITS).tokens <= 30);
  await eventually(async () => assert.ok(!(await s!.problemsText()).includes('over the token budget'), 'the warning is gone'), 20_000);
  await s!.open(OVER_FILE);
  await page.keyboard.press('Control+S');
});

e2eTest('a cost budget from tokenCost.budgets; the quick fix opens the panel on the cheapest models that fit', async () => {
  const tokens = counter.count('qwen', COSTLY).tokens;
  const qwenCost = cost(tokens, qwenPlus, OPTIONS)!.totalCost;
  // A limit a little under Qwen Plus's cost: the cheaper models fit, Qwen Plus does not.
  const limit = Number((qwenCost * 0.9).toPrecision(2));
  assert.notEqual(formatMoney(limit, 'CNY', 'en'), formatMoney(qwenCost, 'CNY', 'en'));
  await s!.workspaceSettings({ 'tokenCost.budgets': [{ glob: 'prompts/*.prompt', cost: limit, currency: 'CNY' }] });
  await s!.open(COSTLY_FILE);
  await s!.statusIs(expectedStatus(COSTLY, 'qwen-plus'));
  const message = `${formatMoney(qwenCost, 'CNY', 'en')} on Qwen Plus, over the cost budget of ${formatMoney(limit, 'CNY', 'en')} (${formatCount(tokens, 'en')} tokens) (tokenCost.budgets: “prompts/*.prompt”)`;
  await eventually(async () => {
    const text = await s!.problemsText();
    assert.ok(text.includes(message), `Problems panel shows "${message}":\n${text}`);
  }, 30_000);

  // The models that fit, cheapest first, as the core ranks them with every tokenizer's count.
  const current = models.filter((m) => m.prices.length > 0);
  const counts = countByTokenizer([COSTLY], new Set(current.map((m) => m.tokenizer)), (id, t) => counter.count(id, t));
  const fit = cheapestThatFit(counts, current, { ...OPTIONS, at: new Date() }, { cost: { limit: { amount: limit, currency: 'CNY' }, origin: { kind: 'cli' } } });
  assert.ok(fit.length > 1 && !fit.includes('qwen-plus'));

  // Ctrl+. on the first line, where the warning is (the Problems panel stays open below, for the screenshot).
  await s!.open(COSTLY_FILE);
  await h.gotoPosition(page, 1, 1);
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Compare the cheapest models that fit' }).first();
  await fix.waitFor({ state: 'visible', timeout: 15_000 });
  await h.sleep(300);
  await h.screenshot(page, 'budgets.png');
  await fix.click();
  // The comparison panel opens on exactly the models that fit, cheapest first, saying why.
  const frame = await h.getWebviewFrame(page, 'Token Cost');
  const bar = frame.locator('.focus-bar:not([hidden])');
  await bar.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await bar.innerText(), new RegExp(`${fit.length} models fit costly\\.prompt within its budget and context window, cheapest first`));
  const rows = frame.locator('table.models tbody tr');
  await eventually(async () => {
    const names = await frame.locator('table.models tbody th .model-name').allInnerTexts();
    assert.deepEqual([...names].sort(), fit.map((id) => findModel(models, id)!.name).sort(), 'only the models that fit');
  }, 30_000);
  assert.equal(await rows.count(), fit.length);
  await h.screenshot(page, 'budgets-quickfix-panel.png');
  // "Set as default" on the cheapest makes it the status bar's model.
  const first = findModel(models, fit[0])!;
  // In the compact (narrow) layout the row's buttons are in its details: open them first.
  const details = frame.locator(`table.models button.disclose[data-id="${first.id}"]`);
  if (await details.isVisible()) await details.click();
  await rows.filter({ hasText: first.name }).first().getByRole('button', { name: /Set as default/ }).click();
  const choice = first;
  // Back to the editor group (the panel's group holds the focus now).
  await h.runCommand(page, 'View: Focus First Editor Group');
  await s!.open(COSTLY_FILE);
  await s!.statusIs(expectedStatus(COSTLY, choice.id));
  await frame.locator('.focus-bar button', { hasText: 'Show all models' }).click();
  await eventually(async () => assert.equal(await rows.count(), models.filter((m) => m.prices.length > 0).length), 20_000);
  // On the new default model the budget is met: the warning goes.
  await eventually(async () => assert.ok(!(await s!.problemsText()).includes('over the cost budget'), 'the warning is gone'), 20_000);
  // The Prompt Costs view follows the default model.
  await h.runCommand(page, 'Focus on Prompt Costs View');
  await eventually(async () => assert.match(await headerText(), new RegExp(choice.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))), 20_000);
  await s!.workspaceSettings(undefined);
});
