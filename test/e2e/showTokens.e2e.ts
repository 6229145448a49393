/**
 * Issue 15, "see the tokens", in a real VS Code (code-server): Token Cost: Show Tokens paints the default model's
 * (Qwen Plus: the qwen tokenizer) tokens with the contributed theme colours, a hover names a token's id and bytes, a
 * character split between tokens says so, and running the command again clears everything.
 *
 *   bash test/e2e/toolchain.sh && npm run package && node --import tsx --test test/e2e/showTokens.e2e.ts
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import * as h from './harness';
import { Session } from './session';
import { ExactTokenizers } from '../../src/core/tokenizers/exactTokenizers';
import { hexBytes, tokenSpans } from '../../src/core/tokenizers/tokenSpans';
import { eventually } from '../fixtures/eventually';

const FILE = 'tokens.txt';
const TEXT = 'Explain why the sky is blue.\n请用中文解释：天空为什么是蓝色的？龘字很少见。\n';
const qwen = new ExactTokenizers(path.join(h.REPO_ROOT, 'dist', 'tokenizers')).get('qwen');
const SPANS = tokenSpans(qwen, TEXT);

let s: Session | undefined;

before(async () => {
  s = await Session.start({ files: { [FILE]: TEXT }, viewport: { width: 1300, height: 800 } });
});

after(async () => {
  await s?.close();
  await h.stopAll();
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s?.page, server: s?.server }), fn);
}

/**
 * Elements of the active editor painted with one of our token colours: VS Code writes decoration CSS with the
 * resolved colour, so each decoration element's computed background is compared with the colour variables'.
 */
async function paintedCount(page: Page): Promise<number> {
  // A string, as the harness has no DOM types: evaluated in the workbench page.
  return page.evaluate<number>(`(() => {
    const probe = document.createElement('div');
    document.querySelector('.monaco-workbench').appendChild(probe);
    const colours = ['token1Background', 'token2Background'].map((id) => {
      probe.style.backgroundColor = 'var(--vscode-tokenCost-' + id + ')';
      return getComputedStyle(probe).backgroundColor;
    });
    probe.remove();
    if (colours.some((c) => !c || c === 'rgba(0, 0, 0, 0)')) return -1;
    const editor = document.querySelector('.editor-instance .monaco-editor') || document.querySelector('.monaco-editor');
    let n = 0;
    for (const el of editor ? Array.from(editor.querySelectorAll('[class*="ced-"]')) : []) if (colours.includes(getComputedStyle(el).backgroundColor)) n++;
    return n;
  })()`);
}

e2eTest('Show Tokens paints tokens, a hover gives id and bytes, a split character says so, and toggling clears', async () => {
  const page = s!.page;
  await s!.open(FILE);
  assert.equal(await paintedCount(page), 0);
  await h.runCommand(page, 'Token Cost: Show Tokens');
  await eventually(async () => assert.ok((await paintedCount(page)) > 10, `painted ${await paintedCount(page)}`), 20_000);

  // " sky" on line 1: the hover names its id and bytes, as the core computes them.
  const sky = SPANS.find((t) => TEXT.slice(t.start, t.end) === ' sky')!;
  assert.ok(sky, 'qwen has a " sky" token');
  const text = await h.hoverAt(page, 1, sky.start + 3);
  assert.match(text, new RegExp(`id ${sky.id}\\b`), text);
  assert.ok(text.includes(hexBytes(sky.bytes)), text);
  await h.screenshot(page, 'show-tokens.png');

  // 龘 takes more than one token in qwen's vocabulary: its hover lists each part.
  const at = TEXT.indexOf('龘');
  const parts = SPANS.filter((t) => t.start <= at && at < t.end);
  assert.ok(parts.length > 1 && parts.some((t) => t.partialEnd), 'the character is split');
  const line2 = TEXT.indexOf('\n') + 1;
  const hover = await h.hoverAt(page, 2, at - line2 + 1);
  assert.match(hover, /only part of a character/, hover);
  for (const t of parts) assert.ok(hover.includes(hexBytes(t.bytes)), `${hover} lacks ${hexBytes(t.bytes)}`);
  await h.screenshot(page, 'show-tokens-split.png');
  await page.keyboard.press('Escape');

  await h.runCommand(page, 'Token Cost: Show Tokens');
  await eventually(async () => assert.equal(await paintedCount(page), 0), 20_000);
});

e2eTest('the comparison panel\'s Show tokens button paints the editor beside it, and clears it again', async () => {
  const page = s!.page;
  await s!.open(FILE);
  await h.runCommand(page, 'Token Cost: Open Comparison Panel');
  const frame = await h.getWebviewFrame(page, 'Token Cost');
  const button = frame.locator('button[data-action="showTokens"]');
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await paintedCount(page), 0);
  await button.click();
  await eventually(async () => assert.ok((await paintedCount(page)) > 10, `painted ${await paintedCount(page)}`), 20_000);
  await h.screenshot(page, 'show-tokens-panel.png');
  await button.click();
  await eventually(async () => assert.equal(await paintedCount(page), 0), 20_000);
});
