// Prompt text never leaves the machine: the shipped bundles contain no network API at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../fixtures/tableDir';

const DIST = join(__dirname, '../../dist');
const NETWORK = [
  /require\(["'](?:node:)?(?:http|https|http2|net|tls|dgram|dns)["']\)/,
  /from ["'](?:node:)?(?:http|https|http2|net|tls|dgram|dns)["']/,
  /\bfetch\s*\(/,
  /\bXMLHttpRequest\b/,
  /\bWebSocket\b/,
  /\bEventSource\b/,
  /\bsendBeacon\b/,
];

for (const bundle of ['extension.js', 'worker.js', 'webview.js', 'cli.js']) {
  test(`${bundle} makes no network requests`, () => {
    const code = readFileSync(join(DIST, bundle), 'utf8');
    for (const re of NETWORK) assert.doesNotMatch(code, re, `${bundle} contains ${re}`);
  });
}
