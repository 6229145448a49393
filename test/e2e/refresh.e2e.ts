/**
 * The opt-in price refresh (tokenCost.priceUpdateUrl) in a real VS Code (code-server): a local HTTPS server on
 * 127.0.0.1 with a self-signed certificate that the extension host trusts through NODE_EXTRA_CA_CERTS serves a price
 * table; "Token Cost: Update Prices Now" fetches it and the status bar prices with it; a bad table keeps the last
 * good one, and the output channel says so. The request is a plain GET: no query, no cookie.
 *
 *   bash test/e2e/toolchain.sh && npm run package && node --import tsx --test test/e2e/refresh.e2e.ts
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import selfsigned from 'selfsigned';
import * as h from './harness';
import { formatCount, formatMoney } from '../../src/core/money';
import { validatePriceTable } from '../../src/core/prices/validate';
import { Session, counter, models } from './session';
import { eventually } from '../fixtures/eventually';

const FIXTURES = path.join(h.REPO_ROOT, 'test', 'fixtures', 'prompts');
const ZH_FILE = 'rewrite.zh.prompt.md';
const ZH = readFileSync(path.join(FIXTURES, ZH_FILE), 'utf8');

let s: Session | undefined;
let server: https.Server | undefined;
let certDir = '';
let url = '';
/** What the server answers with now, and what it was asked. */
let served = '';
const requests: { method?: string; url?: string; cookie?: string }[] = [];

/** A table with one model, Qwen Plus at `input` CNY per 1M input tokens (complete, as a refreshed table must be). */
function table(input: number): string {
  const qwen = models.find((m) => m.id === 'qwen-plus')!;
  const t = { version: 1, updated: '2026-12-01', models: [{ ...qwen, prices: [{ currency: 'CNY', input, output: input * 2, effectiveDate: '2026-11-01', checked: '2026-12-01', source: 'https://prices.example/team' }], history: undefined }] };
  assert.equal(validatePriceTable(JSON.parse(JSON.stringify(t))).models.length, 1, 'the served table is valid');
  return JSON.stringify(t);
}
const status = (input: number) => {
  const tokens = counter.count('qwen', ZH).tokens;
  return `${formatCount(tokens, 'en')} · ${formatMoney((tokens * input) / 1e6, 'CNY', 'en')} · Qwen Plus`;
};

/**
 * VS Code's proxy support patches the extension host's fetch and passes the system's CA list explicitly, and Node
 * ignores NODE_EXTRA_CA_CERTS when a CA list is given: off, the extension host uses Node's own fetch, which trusts it.
 */
const NO_FETCH_PATCH = { 'http.proxySupport': 'off', 'http.fetchAdditionalSupport': false, 'http.systemCertificates': false };

before(async () => {
  certDir = await fs.mkdtemp(path.join(os.tmpdir(), 'token-cost-tls-'));
  // commonName localhost: the certificate also names 127.0.0.1.
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec' } as never);
  const ca = path.join(certDir, 'ca.pem');
  await fs.writeFile(ca, pems.cert);
  server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    requests.push({ method: req.method, url: req.url, cookie: req.headers.cookie });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(served);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}/table.json`;
  served = table(100);
  s = await Session.start({ files: { [ZH_FILE]: ZH }, settings: { 'tokenCost.priceUpdateUrl': url, ...NO_FETCH_PATCH }, env: { NODE_EXTRA_CA_CERTS: ca } });
});

after(async () => {
  await s?.close();
  await h.stopAll();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (certDir) await fs.rm(certDir, { recursive: true, force: true });
});

/** The extension's output channel, as shown. */
async function outputText(): Promise<string> {
  const page = s!.page;
  await h.runCommand(page, 'Token Cost: Show Price Table Problems').catch(() => undefined);
  await h.sleep(1500);
  return page.locator('.part.panel .output-view, .part.panel .monaco-editor').first().innerText().catch((e: Error) => e.message);
}

function e2eTest(name: string, fn: () => Promise<void>): void {
  h.e2eTest(test, name, () => ({ page: s!.page, server: s!.server }), fn);
}

e2eTest('Update Prices Now: the served price is used; a bad table keeps the last good one and the output says so', async () => {
  const page = s!.page;
  await s!.open(ZH_FILE);
  await h.runCommand(page, 'Token Cost: Update Prices Now');
  const first = await s!.notification(/prices updated|did not succeed|set tokenCost\.priceUpdateUrl/, 40_000);
  const said = await first.innerText();
  if (!/prices updated \(1 models\)/.test(said)) assert.fail(`${said}\n--- output ---\n${await outputText()}\nrequests: ${JSON.stringify(requests)}`);
  await s!.statusIs(status(100), 30_000);
  assert.ok(requests.length >= 1);

  served = table(300);
  await h.runCommand(page, 'Token Cost: Update Prices Now');
  await s!.statusIs(status(300), 30_000);
  await s!.notification(/prices updated \(1 models\)/);

  served = '{ not json';
  await h.runCommand(page, 'Token Cost: Update Prices Now');
  const toast = await s!.notification(/the price update did not succeed; the last good copy stays in use/);
  await s!.statusIs(status(300));
  await toast.getByRole('button', { name: 'Show Output' }).click();
  await eventually(async () => {
    // The editor renders spaces as no-break spaces and wraps long lines: compare with whitespace folded.
    const out = (await page.locator('.part.panel .output-view, .part.panel .monaco-editor').first().innerText()).replace(/\s+/g, ' ');
    assert.match(out, /is not valid JSON/);
    assert.match(out, /Using the copy fetched/);
  }, 20_000);
  await h.screenshot(page, 'refresh-output.png');

  // Every request was a plain GET of the path: no query string, no cookie.
  assert.ok(requests.length >= 3, JSON.stringify(requests));
  for (const r of requests) assert.deepEqual(r, { method: 'GET', url: '/table.json', cookie: undefined });
});
