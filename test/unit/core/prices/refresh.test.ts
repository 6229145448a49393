// The opt-in price refresh against a local HTTPS server with a self-signed certificate. The fetch is Node's (undici)
// with the test certificate trusted through an injected dispatcher; nothing leaves the machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { Agent, fetch as undiciFetch } from 'undici';
import { refreshPriceTable, refuseUrl, REFRESH_INTERVAL_MS, type CachedPriceTable, type FetchLike, type RefreshCache } from '../../../../src/core/prices/refresh';

const entry = (id: string, input: unknown = 1) => ({ id, vendor: 'Team', name: id, tokenizer: 'qwen', contextWindow: 32000, prices: [{ currency: 'USD', input, output: 2, effectiveDate: '2026-11-01', source: 'https://team.example/prices', checked: '2026-11-30' }] });
const GOOD = JSON.stringify({ version: 1, updated: '2026-12-01', models: [entry('team-a'), entry('team-b')] });

let server: Server;
let base: string;
let agent: Agent;
const requests: { url: string; method: string; headers: IncomingHttpHeaders }[] = [];

before(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    requests.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers });
    const path = req.url ?? '';
    if (path === '/good.json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(GOOD);
    if (path === '/bad.json') return void res.writeHead(200).end('{ "version": 1, "models": [');
    if (path === '/mixed.json') return void res.writeHead(200).end(JSON.stringify({ version: 1, models: [entry('ok'), entry('typo', 'one'), { id: 'no-prices' }] }));
    if (path === '/none-valid.json') return void res.writeHead(200).end(JSON.stringify({ version: 1, models: [entry('typo', 'one')] }));
    if (path === '/missing.json') return void res.writeHead(404).end('not here');
    if (path === '/redirect.json') return void res.writeHead(302, { location: '/good.json' }).end();
    if (path === '/huge-declared.json') return void res.writeHead(200, { 'content-length': String(10_000_000) }).end();
    if (path === '/huge-streamed.json') {
      // Chunked, no length: the cap must be enforced while reading. Stop writing once the client goes away.
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (sent < 4 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      return pump();
    }
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  agent = new Agent({ connect: { ca: pems.cert } });
});

after(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const trusted: FetchLike = (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;

function memoryCache(initial?: CachedPriceTable): RefreshCache & { entry?: CachedPriceTable; writes: number } {
  const c = {
    entry: initial,
    writes: 0,
    async read() {
      return c.entry;
    },
    async write(e: CachedPriceTable) {
      c.entry = e;
      c.writes++;
    },
  };
  return c;
}

const NOW = new Date('2026-12-03T10:00:00Z');
const refresh = (path: string, extra: Partial<Parameters<typeof refreshPriceTable>[0]> = {}) => refreshPriceTable({ url: `${base}${path}`, fetch: trusted, now: NOW, cache: memoryCache(), ...extra });

test('a good table is fetched with a bare GET, validated, cached and used', async () => {
  const cache = memoryCache();
  requests.length = 0;
  const r = await refresh('/good.json#top', { cache });
  assert.equal(r.outcome, 'updated', r.message);
  assert.equal(r.requested, true);
  assert.deepEqual(r.models?.map((m) => m.id), ['team-a', 'team-b']);
  assert.deepEqual(r.errors, []);
  assert.equal(r.fetchedAt, NOW.toISOString());
  assert.match(r.message, /^Prices updated from https:\/\/127\.0\.0\.1:\d+\/good\.json#top: 2 models\.$/);
  assert.deepEqual(cache.entry, { url: `${base}/good.json#top`, fetchedAt: NOW.toISOString(), text: GOOD });
  // What went over the wire: GET of the path alone, no cookie, credentials, referrer or query.
  assert.equal(requests.length, 1);
  const [req] = requests;
  assert.deepEqual([req.method, req.url], ['GET', '/good.json']);
  for (const h of ['cookie', 'authorization', 'referer', 'origin', 'if-none-match', 'if-modified-since']) assert.equal(req.headers[h], undefined, h);
  assert.equal(req.headers.accept, 'application/json');
});

test('bad JSON keeps the last good cached copy', async () => {
  const cache = memoryCache({ url: `${base}/bad.json`, fetchedAt: '2026-12-01T08:00:00.000Z', text: GOOD });
  const r = await refresh('/bad.json', { cache });
  assert.equal(r.outcome, 'invalid');
  assert.equal(r.requested, true);
  assert.match(r.message, /is not valid JSON .* Using the copy fetched 2026-12-01T08:00:00\.000Z \(2 models\)\.$/);
  assert.deepEqual(r.models?.map((m) => m.id), ['team-a', 'team-b']);
  assert.equal(cache.writes, 0);
  // Without a cached copy the shipped prices apply.
  const none = await refresh('/bad.json');
  assert.equal(none.models, undefined);
  assert.match(none.message, /No earlier copy: the shipped prices apply\.$/);
});

test('invalid entries are skipped one by one; a table with no valid entry is refused whole', async () => {
  const mixed = await refresh('/mixed.json');
  assert.equal(mixed.outcome, 'updated');
  assert.deepEqual(mixed.models?.map((m) => m.id), ['ok']);
  assert.deepEqual(mixed.errors.map((e) => e.path), ['models[1].prices[0].input', 'models[2].vendor', 'models[2].tokenizer', 'models[2].contextWindow', 'models[2].prices']);
  assert.match(mixed.message, /1 models, 2 entries with problems/);

  const cache = memoryCache({ url: `${base}/none-valid.json`, fetchedAt: '2026-12-01T08:00:00.000Z', text: GOOD });
  const none = await refresh('/none-valid.json', { cache });
  assert.equal(none.outcome, 'invalid');
  assert.match(none.message, /has no usable model \(models\[0\]\.prices\[0\]\.input: must be a number/);
  assert.deepEqual(none.models?.map((m) => m.id), ['team-a', 'team-b']);
  assert.equal(cache.writes, 0);
});

test('oversized: refused from Content-Length, and cut off while streaming when there is none', async () => {
  const declared = await refresh('/huge-declared.json', { maxBytes: 64 * 1024 });
  assert.equal(declared.outcome, 'failed');
  assert.match(declared.message, /10000000 bytes, above the 65536-byte limit/);
  const streamed = await refresh('/huge-streamed.json', { maxBytes: 64 * 1024 });
  assert.equal(streamed.outcome, 'failed');
  assert.match(streamed.message, /larger than the 65536-byte limit; download stopped/);
});

test('HTTP errors, redirects and a server that is down fail and keep the cache', async () => {
  const missing = await refresh('/missing.json');
  assert.equal(missing.outcome, 'failed');
  assert.match(missing.message, /failed: HTTP 404/);
  const redirected = await refresh('/redirect.json');
  assert.equal(redirected.outcome, 'failed');
  assert.match(redirected.message, /redirect/);

  // A port that was just closed: nothing listens there.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const url = `https://127.0.0.1:${port}/good.json`;
  const cache = memoryCache({ url, fetchedAt: '2026-12-01T08:00:00.000Z', text: GOOD });
  const down = await refreshPriceTable({ url, fetch: trusted, now: NOW, cache });
  assert.equal(down.outcome, 'failed');
  assert.match(down.message, /failed: ECONNREFUSED/);
  assert.deepEqual(down.models?.map((m) => m.id), ['team-a', 'team-b']);
});

test('an untrusted certificate fails (the default fetch does not trust the test server)', async () => {
  const r = await refreshPriceTable({ url: `${base}/good.json`, fetch: (u, i) => fetch(u, i), now: NOW, cache: memoryCache() });
  assert.equal(r.outcome, 'failed');
  assert.match(r.message, /certificate/i);
});

test('only https, without credentials or a query, is fetched; nothing is requested otherwise', async () => {
  let called = 0;
  const spy: FetchLike = (u, i) => {
    called++;
    return trusted(u, i);
  };
  for (const [url, why] of [
    ['http://127.0.0.1/good.json', /only https URLs/],
    ['file:///etc/passwd', /only https URLs/],
    ['https://user:pw@example.com/t.json', /user name or password/],
    ['https://example.com/t.json?user=me', /query string/],
    ['not a url', /not a URL/],
  ] as const) {
    const r = await refreshPriceTable({ url, fetch: spy, now: NOW, cache: memoryCache() });
    assert.equal(r.outcome, 'refused', url);
    assert.equal(r.requested, false);
    assert.match(r.message, why);
  }
  assert.equal(called, 0);
  assert.equal(refuseUrl('https://raw.githubusercontent.com/o/r/main/src/core/prices/default-prices.json'), undefined);
});

test('at most once a day unless forced; the throttled answer uses the cached copy of the same URL only', async () => {
  const url = `${base}/good.json`;
  const cache = memoryCache({ url, fetchedAt: '2026-12-03T06:00:00.000Z', text: GOOD });
  requests.length = 0;
  const soon = await refreshPriceTable({ url, fetch: trusted, now: NOW, cache, lastFetched: new Date(NOW.getTime() - REFRESH_INTERVAL_MS + 60_000) });
  assert.equal(soon.outcome, 'throttled');
  assert.equal(soon.requested, false);
  assert.deepEqual(soon.models?.map((m) => m.id), ['team-a', 'team-b']);
  assert.equal(requests.length, 0);
  const forced = await refreshPriceTable({ url, fetch: trusted, now: NOW, cache, lastFetched: new Date(NOW.getTime() - 60_000), force: true });
  assert.equal(forced.outcome, 'updated');
  const due = await refreshPriceTable({ url, fetch: trusted, now: NOW, cache, lastFetched: new Date(NOW.getTime() - REFRESH_INTERVAL_MS) });
  assert.equal(due.outcome, 'updated');
  assert.equal(requests.length, 2);
  // A cached copy of another URL is not used.
  const other = await refreshPriceTable({ url: `${base}/other.json`, fetch: trusted, now: NOW, cache, lastFetched: NOW });
  assert.equal(other.models, undefined);
  assert.match(other.message, /No cached copy: the shipped prices apply\.$/);
});
