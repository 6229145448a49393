/**
 * Issue 15, part 4, in a real VS Code (code-server): the comparison panel opened beside a prompt and narrowed to
 * about a third of a 1200 px window (the usual "open to the side") shows each model on one line with its tokens and
 * total cost in view, nothing scrolls sideways, and a row's other cells open from the keyboard. Expected token
 * counts come from the reference tokenizers.
 *
 *   bash test/e2e/toolchain.sh && npm run package && node --import tsx --test test/e2e/narrowPanel.e2e.ts
 *
 * Screenshots: test/e2e/artifacts/narrow-panel.png and narrow-panel-details.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { formatCount } from '../../src/core/money';
import { findModel } from '../../src/core/prices/priceTable';
import { Session, counter, models } from './session';
import { eventually } from '../fixtures/eventually';

// Browser-side callbacks; the project tsconfig has no DOM lib.
declare const document: any;
declare const window: any;

const ZH_FILE = 'rewrite.zh.prompt.md';
const ZH = readFileSync(path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts', ZH_FILE), 'utf8');
const WINDOW = { width: 1200, height: 900 };

let s: Session | undefined;

before(async () => {
  s = await Session.start({ files: { [ZH_FILE]: ZH }, viewport: WINDOW });
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s?.page, server: s?.server }), fn);
}

interface Box { left: number; right: number; top: number; bottom: number; width: number; height: number }

e2eTest('panel beside the prompt at a third of a 1200 px window: one line per model with tokens and total; details by keyboard', async () => {
  const page = s!.page;
  await s!.open(ZH_FILE);
  // The side bar closed, as when a prompt is being written; then the panel opens beside the editor.
  if (await page.locator('.part.sidebar').isVisible()) await h.runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await page.locator('.part.sidebar').waitFor({ state: 'hidden', timeout: 10_000 });
  await h.runCommand(page, 'Token Cost: Open Comparison Panel');
  let frame = await h.getWebviewFrame(page, 'Token Cost');
  await frame.locator('table.models tbody tr').first().waitFor({ state: 'visible', timeout: 30_000 });

  // Drag the sash between the two editor groups so the panel's group is a third of the window wide.
  const editorPart = await page.locator('.part.editor').boundingBox();
  assert.ok(editorPart);
  const sash = page.locator('.part.editor .monaco-sash.vertical:visible').first();
  const sashBox = await sash.boundingBox();
  assert.ok(sashBox, 'the sash between the editor groups');
  const target = editorPart.x + editorPart.width - WINDOW.width / 3;
  await page.mouse.move(sashBox.x + sashBox.width / 2, sashBox.y + sashBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(target, sashBox.y + sashBox.height / 2, { steps: 10 });
  await page.mouse.up();
  frame = await h.getWebviewFrame(page, 'Token Cost');
  const width = await eventually(async () => {
    const w = (await frame.evaluate(() => document.documentElement.clientWidth)) as number;
    assert.ok(w > WINDOW.width / 3 - 60 && w < WINDOW.width / 3 + 40, `panel ${w}px wide`);
    return w;
  }, 20_000);

  const rows = frame.locator('table.models tbody tr');
  const current = models.filter((m) => m.prices.length > 0);
  await eventually(async () => assert.equal(await rows.count(), current.length));
  // Nothing scrolls sideways: not the page, not the table.
  const [pageScroll, wrapScroll, wrapClient] = (await frame.evaluate(() => {
    const wrap = document.querySelector('.content .table-wrap');
    return [document.documentElement.scrollWidth, wrap.scrollWidth, wrap.clientWidth];
  })) as number[];
  assert.equal(pageScroll, width, 'the page does not scroll sideways');
  assert.equal(wrapScroll, wrapClient, 'the table does not scroll sideways');

  // Every row: model name, tokens and total inside the panel, on one line.
  const boxes = (await rows.evaluateAll((trs: any[]) =>
    trs.map((tr) => ['.model-name', 'td.tokens', 'td.total', 'tr'].map((sel) => {
      const r = (sel === 'tr' ? tr : tr.querySelector(sel)).getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    })),
  )) as Box[][];
  const lineHeight = (await frame.evaluate(() => parseFloat(window.getComputedStyle(document.body).lineHeight))) as number;
  for (const [i, [name, tokens, total, tr]] of boxes.entries()) {
    for (const [what, b] of [['model', name], ['tokens', tokens], ['total', total]] as const) {
      assert.ok(b.width > 0 && b.left >= 0 && b.right <= width, `row ${i}: ${what} inside the ${width}px panel: ${JSON.stringify(b)}`);
    }
    assert.ok(tr.height < 2 * lineHeight, `row ${i} is one line: ${tr.height}px (line ${lineHeight}px)`);
  }
  // The numbers are the real ones: Qwen Plus's row shows the Qwen tokenizer's count of the file.
  const qwen = findModel(models, 'qwen-plus')!;
  const qwenRow = rows.filter({ has: frame.locator('.model-name', { hasText: /^Qwen Plus$/ }) }).first();
  assert.equal(await qwenRow.locator('td.tokens').innerText(), formatCount(counter.count(qwen.tokenizer, ZH).tokens, 'en'));
  assert.equal(await frame.locator('table.models tbody .detail:visible').count(), 0, 'details closed');
  await h.screenshot(page, 'narrow-panel.png');

  // Keyboard: the first row's disclosure opens its details, announced as expanded, and they are reachable.
  const first = rows.first();
  const disclose = first.locator('button.disclose');
  await disclose.focus();
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await first.locator('button.disclose').getAttribute('aria-expanded'), 'true'));
  assert.equal(await frame.evaluate(() => document.activeElement?.classList.contains('disclose')), true, 'focus stays on the disclosure');
  const labels = await first.locator('.detail .cell-label').allInnerTexts();
  assert.deepEqual(labels, ['Vendor', 'Input', 'Output', 'Context', 'Price date']);
  const details = (await first.locator('.detail').evaluateAll((tds: any[]) => tds.map((td) => {
    const r = td.getBoundingClientRect();
    return { left: r.left, right: r.right, width: r.width };
  }))) as Box[];
  assert.ok(details.every((b) => b.width > 0 && b.left >= 0 && b.right <= width), `details inside the panel: ${JSON.stringify(details)}`);
  assert.equal(await frame.evaluate(() => document.documentElement.scrollWidth), width, 'still no sideways scroll');
  // Tab walks into the details' buttons ("Set as default" is the row's first or second button, after its source).
  await page.keyboard.press('Tab');
  const focused = (await frame.evaluate(() => document.activeElement?.closest('tr')?.classList.contains('expanded'))) as boolean;
  assert.equal(focused, true, 'the next tab stop is inside the open row');
  await h.screenshot(page, 'narrow-panel-details.png');
});
