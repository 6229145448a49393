/**
 * Bring your own tokenizer in a real VS Code (code-server): user settings declare Hunyuan's rank file (a copy of
 * ../shared/tokenizers/hunyuan/hy.tiktoken made in a temp dir at test time: its licence forbids shipping it) under
 * tokenCost.tokenizers, a custom model in tokenCost.prices names that id and is the default model, and the status
 * bar must show the exact count, equal to npm tiktoken with Tencent's pattern, without ≈. Then the setting points at
 * a broken file: a notification says so and the same model shows a marked rough estimate.
 *
 *   bash test/e2e/toolchain.sh && npm run package && node --import tsx --test test/e2e/byo.e2e.ts
 */
import * as fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Tiktoken } from 'tiktoken';
import * as h from './harness';
import { Session } from './session';
import { cost } from '../../src/core/cost';
import { formatCount, formatMoney } from '../../src/core/money';
import { validatePriceTable } from '../../src/core/prices/validate';
import { countHan } from '../../src/core/tokenizers/estimates';
import { roughTokens } from '../../src/core/tokenizers/tokenCounter';
import { countCharacters } from '../../src/core/textInput';

const HY = path.join(h.REPO_ROOT, '..', 'shared', 'tokenizers', 'hunyuan', 'hy.tiktoken');
/** Tencent's pre-tokenizer (tokenization_hy.py), NFC first: the reference the extension's count must equal. */
const HY_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const FILE = 'hunyuan.prompt.md';
// Decomposed é (NFC composes it), digits (single-digit pieces), Chinese and English.
const TEXT = '你是腾讯混元助手。请把下面的段落改写得更简洁。\nCafe\u0301 prices rose 12345% in 2026 — don’t panic.\n';
const MODEL = {
  id: 'hunyuan-mine',
  vendor: 'Tencent',
  name: 'Hunyuan (my file)',
  tokenizer: 'my-hunyuan',
  contextWindow: 256000,
  prices: [{ currency: 'CNY', input: 0.8, output: 2, effectiveDate: '2026-01-01', source: 'https://cloud.tencent.com/document/product/1729/97731' }],
};

let s: Session | undefined;
let dir = '';

function expected(tokens: number, exact: boolean): string {
  const m = validatePriceTable({ models: [MODEL] }, { userTokenizers: new Set([MODEL.tokenizer]) }).models[0];
  const r = cost(tokens, m, { currency: 'CNY', exchangeRate: 7.2, outputTokens: 0, at: new Date() })!;
  return `${exact ? '' : '≈'}${formatCount(tokens, 'en')} · ${formatMoney(r.totalCost, r.currency, 'en')} · ${m.name}`;
}

before(async () => {
  if (!existsSync(HY)) return;
  dir = await h.makeTempDir('token-cost-byo-');
  await fs.copyFile(HY, path.join(dir, 'hy.tiktoken'));
  await fs.writeFile(path.join(dir, 'broken.tiktoken'), 'this is not a rank file\n');
  s = await Session.start({
    files: { [FILE]: TEXT },
    settings: {
      'tokenCost.tokenizers': [{ id: MODEL.tokenizer, file: path.join(dir, 'hy.tiktoken'), format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' }],
      'tokenCost.prices': [MODEL],
      'tokenCost.defaultModel': MODEL.id,
    },
  });
});

after(async () => {
  await s?.close();
  await h.stopAll();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest((n, f) => test(n, { skip: existsSync(HY) ? false : `${HY} not found` }, f), name, () => ({ page: s?.page, server: s?.server }), fn);
}

e2eTest('a user-settings tokenizer file makes the custom model’s count exact in the status bar', async () => {
  const enc = new Tiktoken(readFileSync(HY, 'utf8'), {}, HY_PATTERN);
  const tokens = enc.encode_ordinary(TEXT.normalize('NFC')).length;
  enc.free();
  await s!.open(FILE);
  await s!.statusIs(expected(tokens, true), 60_000);
  await h.screenshot(s!.page, 'byo-status-bar.png');
});

e2eTest('a broken tokenizer file: one notification, and the model shows a marked rough estimate', async () => {
  await h.updateUserSettings(
    path.join(s!.tmp, 'user-data'),
    { 'tokenCost.tokenizers': [{ id: MODEL.tokenizer, file: path.join(dir, 'broken.tiktoken'), format: 'tiktoken', pattern: 'qwen', normalize: 'NFC' }] },
    s!.page,
  );
  await s!.notification(/tokenizer file\(s\) could not be loaded/, 30_000);
  await s!.open(FILE); // updateUserSettings left settings.json in front
  const han = countHan(TEXT);
  await s!.statusIs(expected(roughTokens(han, countCharacters(TEXT) - han), false), 30_000);
});
