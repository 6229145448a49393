// Prompt text never leaves the machine: the shipped bundles contain no network API, with one exception — the opt-in
// price refresh (tokenCost.priceUpdateUrl). Its request is made in src/core/prices/refresh.ts through an injected
// fetch, and the only place the real fetch is named is src/services/priceUpdates.ts, which hands `globalThis.fetch`
// to it. The bundles are split into their source modules by esbuild's `// src/…` module comments (kept in the
// unminified build `npm run build` writes, which test:unit runs first), so each rule is checked per module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../fixtures/tableDir';

const DIST = join(__dirname, '../../dist');
const NETWORK = [
  /require\(["'](?:node:)?(?:http|https|http2|net|tls|dgram|dns|undici)["']\)/,
  /from ["'](?:node:)?(?:http|https|http2|net|tls|dgram|dns|undici)["']/,
  /\bfetch\s*\(/,
  /\bXMLHttpRequest\b/,
  /\bWebSocket\b/,
  /\bEventSource\b/,
  /\bsendBeacon\b/,
];
/** Any mention of the fetch function (a call, `globalThis.fetch`, `self["fetch"]`), outside comments. */
const FETCH = /\bfetch\b/;
const REFRESH = 'src/core/prices/refresh.ts';
const UPDATES = 'src/services/priceUpdates.ts';

/** The bundle's modules: path → code without comments (so a comment's words are not code). */
function modules(code: string): Map<string, string> {
  const parts = code.split(/^[ \t]*\/\/ ((?:src|node_modules)\/\S+)$/m);
  const out = new Map<string, string>([['(bundle preamble)', parts[0]]]);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], (out.get(parts[i]) ?? '') + parts[i + 1]);
  for (const [k, v] of out) out.set(k, v.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''));
  return out;
}

for (const bundle of ['extension.js', 'worker.js', 'webview.js', 'cli.js', 'web/extension.js']) {
  const extension = bundle === 'extension.js' || bundle === 'web/extension.js';
  test(`${bundle}: no network API outside the opt-in price refresh`, () => {
    const mods = modules(readFileSync(join(DIST, bundle), 'utf8'));
    assert.ok(mods.size > 3, `${bundle} has no esbuild module comments: run npm run build (unminified) first`);
    for (const [path, code] of mods) {
      if (extension && (path === REFRESH || path === UPDATES)) continue;
      for (const re of [...NETWORK, FETCH]) assert.doesNotMatch(code, re, `${bundle}: ${path} contains ${re}`);
    }
    if (!extension) {
      assert.ok(!mods.has(REFRESH) && !mods.has(UPDATES), `${bundle} must not contain the price refresh`);
    }
  });
}

test('extension.js: the refresh makes exactly one request, through the fetch priceUpdates.ts hands it', () => {
  const mods = modules(readFileSync(join(DIST, 'extension.js'), 'utf8'));
  const refresh = mods.get(REFRESH);
  const updates = mods.get(UPDATES);
  assert.ok(refresh && updates, 'both modules are bundled');
  // refresh.ts: no network API of its own; one call of the injected function, `fetchFn(url, init)`.
  for (const re of NETWORK) assert.doesNotMatch(refresh, re, `${REFRESH} contains ${re}`);
  assert.deepEqual(refresh.match(/\bfetchFn\s*\(/g), ['fetchFn('], `${REFRESH}: one request`);
  // priceUpdates.ts: names the real fetch once (the default it injects), and calls nothing network itself.
  for (const re of NETWORK) assert.doesNotMatch(updates, re, `${UPDATES} contains ${re}`);
  assert.deepEqual(updates.match(/[\w$.[\]"']*\bfetch\b[\w$\]"']*/g)?.filter((m) => m !== 'fetch'), ['globalThis.fetch'], `${UPDATES}: the real fetch named once`);
});

test('the rules catch what they must: a fetch call, a named fetch, an http import in any other module', () => {
  const sample = (code: string) => modules(`// header\n// src/other.ts\n${code}\n// src/x.ts\nlet y = 1;\n// src/z.ts\nlet z;\n`).get('src/other.ts')!;
  for (const code of ['await fetch(u)', 'const f = globalThis.fetch;', 'self["fetch"](u)', 'require("node:https")', 'new WebSocket(u)']) {
    assert.ok([...NETWORK, FETCH].some((re) => re.test(sample(code))), code);
  }
  assert.ok(![...NETWORK, FETCH].some((re) => re.test(sample('// fetch(u) in a comment\nlet a = "fetched";'))), 'comments and other words pass');
});
