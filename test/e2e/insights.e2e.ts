/**
 * Issue 6 in a real VS Code (code-server): chat-format prompts counted as sent (messages plus the vendor's
 * per-message overhead) in the status bar, and the comparison panel's price history chart, cost on a past date and
 * volume projection. Expected numbers come from the core and the published prices, computed here.
 *
 *   npm run test:e2e
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness';
import { ITEM, Session, counter, models } from './session';
import { cost } from '../../src/core/cost';
import { countPrompt } from '../../src/core/countPrompt';
import { historySteps } from '../../src/core/history';
import { formatCount, formatMoney } from '../../src/core/money';
import { findModel } from '../../src/core/prices/priceTable';
import { eventually } from '../fixtures/eventually';

const ZH_FILE = 'rewrite.zh.prompt.md';
const ZH = readFileSync(path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts', ZH_FILE), 'utf8');
const CHAT = JSON.stringify(
  {
    model: 'qwen-plus',
    messages: [
      { role: 'system', content: '你是一位严谨的翻译，只输出译文。' },
      { role: 'user', content: '请把这句话翻译成英文：天空为什么是蓝色的？' },
      { role: 'assistant', content: 'Why is the sky blue?' },
      { role: 'user', content: '再翻译成日语。' },
    ],
  },
  null,
  2,
);

let s: Session | undefined;

before(async () => {
  s = await Session.start({ files: { [ZH_FILE]: ZH, 'translate.chat.json': CHAT }, viewport: { width: 1500, height: 1100 } });
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s?.page, server: s?.server }), fn);
}

e2eTest('a chat JSON file is counted as sent: messages plus Qwen’s ChatML overhead, said in the tooltip', async () => {
  const qwen = countPrompt(CHAT, ['qwen'], (id, t) => counter.count(id, t), 'json').get('qwen') as unknown as { tokens: number; exact: boolean; overheadTokens: number; messages: number };
  assert.equal(qwen.messages, 4);
  assert.ok(qwen.tokens < counter.count('qwen', CHAT).tokens, 'the JSON syntax is not what is sent');
  const m = findModel(models, 'qwen-plus')!;
  const r = cost(qwen.tokens, m, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0, at: new Date() })!;
  await s!.open('translate.chat.json');
  await s!.statusIs(`${formatCount(qwen.tokens, 'en')} · ${formatMoney(r.totalCost, 'CNY', 'en')} · Qwen Plus`);
  const tip = await h.readStatusBarTooltip(s!.page, ITEM);
  assert.match(tip, new RegExp(`Chat format: 4 messages; ${qwen.overheadTokens} tokens of per-message overhead included, from the vendor’s chat template`));
  await h.screenshot(s!.page, 'chat-tooltip.png');
});

e2eTest('panel: DeepSeek’s price history as a step chart, the cost on a past date, and a volume projection', async () => {
  const page = s!.page;
  await s!.open(ZH_FILE);
  await h.runCommand(page, 'Token Cost: Open Comparison Panel');
  const frame = await h.getWebviewFrame(page, 'Token Cost');
  await frame.locator('table.models tbody tr').first().waitFor({ state: 'visible', timeout: 30_000 });

  // History: every price change of DeepSeek Flash (deepseek-chat's lineage), one focusable point each.
  const flash = findModel(models, 'deepseek-flash')!;
  // In a narrow panel (the compact layout) the row's buttons are in its details: open them first.
  const flashDetails = frame.locator('table.models button.disclose[data-id="deepseek-flash"]');
  if (await flashDetails.isVisible()) await flashDetails.click();
  await frame.locator(`table.models button[data-action="showHistory"][data-id="deepseek-flash"]`).click();
  const points = frame.locator('svg.history-chart .point');
  const steps = historySteps(flash, 'CNY');
  await eventually(async () => assert.equal(await points.count(), steps.length), 20_000);
  const labels = await points.evaluateAll((ps) => ps.map((p) => p.getAttribute('aria-label') ?? ''));
  assert.ok(labels.some((l) => /2024-05-01/.test(l) && /DeepSeek-V2/.test(l)), labels.join('\n'));
  // Keyboard: the chart is one tab stop; End moves to the latest point.
  await points.first().focus();
  await page.keyboard.press('End');
  await eventually(async () => assert.equal(await frame.locator('svg.history-chart .point[tabindex="0"]').getAttribute('data-index'), String(steps.length - 1)));

  // What this text would have cost on 2024-06-01: DeepSeek-V2's ¥1 per million input tokens.
  await frame.locator('#at-date').fill('2024-06-01');
  await frame.locator('#at-date').dispatchEvent('change');
  const tokens = counter.count(flash.tokenizer, ZH).tokens;
  const flashRow = frame.locator('table.models tbody tr', { hasText: flash.name }).first();
  await eventually(async () => assert.match(await flashRow.innerText(), new RegExp(formatMoney((tokens * 1) / 1e6, 'CNY', 'en').replace(/[.$¥]/g, '\\$&'))), 20_000);

  // Projection: 1,000 calls a day with 100 output tokens each, at Qwen Plus's list price.
  await frame.locator('#calls-per-day').fill('1000');
  await frame.locator('#calls-per-day').dispatchEvent('change');
  await frame.locator('#output-per-call').fill('100');
  await frame.locator('#output-per-call').dispatchEvent('change');
  const qwen = findModel(models, 'qwen-plus')!;
  const perCall = cost(counter.count('qwen', ZH).tokens, qwen, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 100 })!.totalCost;
  const row = frame.locator('table.projection tbody tr', { hasText: 'Qwen Plus' }).first();
  await eventually(async () => {
    const text = await row.innerText();
    assert.ok(text.includes(formatMoney(perCall * 1000, 'CNY', 'en')), `${text} lacks ${formatMoney(perCall * 1000, 'CNY', 'en')}`);
    assert.ok(text.includes(formatMoney(perCall * 1000 * 30, 'CNY', 'en')), `${text} lacks the 30-day month`);
  }, 20_000);
  await frame.locator('#history-title').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await h.screenshot(page, 'panel-history.png');
  // Half the input from the cache: savings show where the model has a cache-hit price.
  await frame.locator('#cache-hit').fill('50');
  await frame.locator('#cache-hit').dispatchEvent('change');
  await frame.locator('.projection-section h2').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await h.screenshot(page, 'panel-projection.png');
});
