// The browser bundle (dist/web/extension.js, for the web worker extension host) must run where there is no Node: no Node built-in is required or imported, and our own modules name no
// Node global (Buffer, process, __dirname, require). Dependencies are held to the same rule, except a `process`
// read that is guarded by `typeof process` (picomatch's platform probe). Reads the unminified build `npm run build`
// writes (test:unit runs it first), split into its source modules by esbuild's module comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const DIST = join(__dirname, '../../../dist');
const BUNDLES = ['web/extension.js', 'web/worker.js'];

/** Module path → code without comments. A dependency's path may start with ../<checkout>/ (a linked node_modules). */
function modules(code: string): Map<string, string> {
  const parts = code.split(/^[ \t]*\/\/ ((?:\.\.\/[\w.-]+\/)?(?:src|node_modules)\/\S+)$/m);
  const out = new Map<string, string>([['(bundle preamble)', parts[0]]]);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], (out.get(parts[i]) ?? '') + parts[i + 1]);
  for (const [k, v] of out) out.set(k, v.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''));
  return out;
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Node globals our own code must not touch in a browser bundle. */
const NODE_GLOBALS = [/\bBuffer\b/, /\bprocess\s*\./, /\b__dirname\b/, /\b__filename\b/, /\bsetImmediate\b/, /\bworker_threads\b/, /\bnode:[a-z_]+/];

for (const bundle of BUNDLES) {
  test(`${bundle}: no Node built-in is required or imported, and our modules use no Node global`, () => {
    const file = join(DIST, bundle);
    assert.ok(existsSync(file), `${file} missing: run npm run build first`);
    const code = readFileSync(file, 'utf8');
    const mods = modules(code);
    assert.ok(mods.size > 3, `${bundle} has no esbuild module comments: run npm run build (unminified) first`);
    // The only module loaded at run time is the host's `vscode` (the extension bundle); the worker loads none.
    const required = [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], bundle === 'web/extension.js' ? ['vscode'] : []);
    for (const m of required) assert.ok(!BUILTINS.has(m), `${bundle} requires ${m}`);
    assert.doesNotMatch(code, /\bimport\s*\(\s*["'](?:node:)?(?:fs|path|os|crypto|worker_threads|child_process)["']/);
    for (const [path, body] of mods) {
      const own = path.startsWith('src/');
      for (const re of NODE_GLOBALS) {
        const m = re.exec(body);
        if (!m) continue;
        if (!own && m[0].startsWith('process') && /typeof process\s*!==?\s*["']undefined["']/.test(body)) continue;
        // A dependency naming Buffer in a message or trailing comment is fine; using it (Buffer.from, Buffer(...)) is not.
        if (!own && m[0] === 'Buffer' && !/\bBuffer\s*[.(]/.test(body)) continue;
        assert.fail(`${bundle}: ${path} uses ${m[0]} (no such thing in a browser)`);
      }
    }
  });
}

test('the browser bundles hold the shared core, and none of the Node entry, the CLI or the worker thread', () => {
  const ext = modules(readFileSync(join(DIST, 'web/extension.js'), 'utf8'));
  for (const m of ['src/activate.ts', 'src/web/extension.ts', 'src/statusBar/statusBar.ts', 'src/core/tokenizers/bpe.ts']) assert.ok(ext.has(m), `web/extension.js has ${m}`);
  for (const m of ['src/extension.ts', 'src/core/tokenizers/nodeTables.ts']) assert.ok(!ext.has(m), `web/extension.js must not have ${m}`);
  // Counting: the Web Worker port with the in-host fallback, never the worker-thread one.
  for (const m of ['src/counting/webWorkerPort.ts', 'src/counting/inProcessPort.ts', 'src/counting/countingService.ts']) assert.ok(ext.has(m), `web/extension.js has ${m}`);
  for (const m of ['src/counting/countWorker.ts', 'src/counting/nodeWorkerPort.ts']) assert.ok(!ext.has(m), `web/extension.js must not have ${m}`);
  const worker = modules(readFileSync(join(DIST, 'web/worker.js'), 'utf8'));
  assert.ok(worker.has('src/counting/countWorker.web.ts') && worker.has('src/counting/countingService.ts'));
  assert.ok(![...ext.keys()].some((k) => k.startsWith('src/cli/')), 'no CLI module');
});
