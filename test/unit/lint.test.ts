// The lint rules that hold the layout: each must fire on a violation (a config that silently stops resolving
// imports would otherwise pass everything).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ESLint } from 'eslint';
import { noImportCycles } from '../lint/noImportCycles.mjs';

const ROOT = join(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: join(ROOT, 'test/lint/eslint.config.mjs') });

async function messages(file: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('src/core may import neither vscode nor a host module', async () => {
  const base = "import { formatMoney } from './money';\nexport const x = formatMoney;\n";
  assert.deepEqual(await messages('src/core/summary.ts', base), []);
  assert.ok((await messages('src/core/summary.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n")).some((m) => m.startsWith('no-restricted-imports')));
  assert.ok((await messages('src/core/summary.ts', "import { Settings } from '../services/settings';\nexport const x = Settings;\n")).some((m) => m.startsWith('import-x/no-restricted-paths')));
});

test('src/webview may import neither vscode, node:* nor host modules (only the panel protocol and links)', async () => {
  assert.ok((await messages('src/webview/dom.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).some((m) => m.startsWith('no-restricted-imports')));
  assert.ok((await messages('src/webview/dom.ts', "import { ComparisonPanel } from '../panel/panel';\nexport const x = ComparisonPanel;\n")).some((m) => m.startsWith('import-x/no-restricted-paths')));
  assert.deepEqual(await messages('src/webview/dom.ts', "import { safeHttpsUrl } from '../panel/links';\nexport const x = safeHttpsUrl;\n"), []);
});

test('files reachable from the browser entry import no Node built-in; the Node entry and the CLI may', async () => {
  for (const file of ['src/live/liveText.ts', 'src/core/summary.ts', 'src/web/extension.ts']) {
    for (const mod of ['node:fs', 'path', 'node:worker_threads']) {
      assert.ok((await messages(file, `import * as m from '${mod}';\nexport const x = m;\n`)).some((m) => m.startsWith('import-x/no-nodejs-modules')), `${file}: ${mod}`);
    }
  }
  assert.deepEqual((await messages('src/extension.ts', "import { homedir } from 'node:os';\nexport const x = homedir;\n")).filter((m) => m.startsWith('import-x/no-nodejs-modules')), []);
  assert.deepEqual((await messages('src/cli/io.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).filter((m) => m.startsWith('import-x/no-nodejs-modules')), []);
});

test('floating promises are errors', async () => {
  const text = "export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n";
  assert.ok((await messages('src/core/summary.ts', text)).some((m) => m.startsWith('@typescript-eslint/no-floating-promises')));
});

test('the cycle rule finds cycles through type-only imports too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-cycle-'));
  writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B | 1;\n");
  writeFileSync(join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = A | 2;\n");
  writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
  const reports: string[] = [];
  for (const f of ['a.ts', 'c.ts']) {
    const ctx = { filename: join(dir, f), cwd: dir, report: (r: { message: string }) => reports.push(`${f}: ${r.message}`) };
    (noImportCycles.create(ctx as never) as { Program: (n: unknown) => void }).Program({});
  }
  assert.deepEqual(reports, ['a.ts: import cycle: a.ts → b.ts → a.ts']);
});
