// Builds the extension and CLI bundles and the tokenizer rank tables into dist/.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// The table builder runs at build time only; bundle it to a temp module and run it.
await esbuild.build({ ...common, sourcemap: false, minify: false, format: 'esm', entryPoints: ['src/build/tables.ts'], outfile: 'dist/.build/tables.mjs', packages: 'external' });
const { buildTables } = await import(pathToFileURL('dist/.build/tables.mjs').href + `?t=${Date.now()}`);
const written = buildTables('dist/tokenizers');
if (written.length) console.log(`rank tables: ${written.join(', ')}`);

mkdirSync('dist', { recursive: true });
mkdirSync('dist/l10n', { recursive: true });
for (const f of readdirSync('src/l10n')) copyFileSync(`src/l10n/${f}`, `dist/l10n/${f}`);
if (existsSync('src/core/prices/price-table.schema.json')) copyFileSync('src/core/prices/price-table.schema.json', 'dist/price-table.schema.json');

// The browser bundles (the web extension host, its Web Worker): no Node built-in may be reached (a unit test checks
// the output). The one Node-only module the shared core names, the table folder loader, is swapped for its browser
// stand-in, which says that tables must come as bytes there.
/** @type {import('esbuild').Plugin} */
const browserTables = {
  name: 'browser-tables',
  setup(b) {
    b.onResolve({ filter: /\/nodeTables$/ }, (a) => ({ path: join(a.resolveDir, 'nodeTables.web.ts') }));
  },
};
const browser = { platform: 'browser', target: 'es2022', plugins: [browserTables], mainFields: ['browser', 'module', 'main'] };

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // mainFields: jsonc-parser's default (UMD) entry loads its parts with a dynamic require esbuild cannot follow.
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], mainFields: ['module', 'main'] },
  { entryPoints: ['src/counting/countWorker.ts'], outfile: 'dist/worker.js' },
  // One CommonJS bundle, as the web worker extension host loads it; `vscode` is provided by the host.
  { entryPoints: ['src/web/extension.ts'], outfile: 'dist/web/extension.js', format: 'cjs', external: ['vscode'], ...browser },
  // Loaded by VS Code's Worker wrapper with importScripts, so a classic script (iife), not a module.
  { entryPoints: ['src/counting/countWorker.web.ts'], outfile: 'dist/web/worker.js', format: 'iife', ...browser },
  { entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((e) => existsSync(e.entryPoints[0]));
const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
