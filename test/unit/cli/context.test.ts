// token-cost --context DIR [--for FILE]: text, JSON and the context budgets' exit 3, on test/fixtures/context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from '../../../src/cli/main';
import { referenceEncoder } from '../../fixtures/references';
import { TABLE_DIR } from '../../fixtures/tableDir';

const DIR = join(__dirname, '../../fixtures/context');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readFile: (p) => readFileSync(p), readStdin: () => new Uint8Array(), tableDir: TABLE_DIR });
  return { code, out, err };
}

interface ContextJson {
  context: { for: string | null; model: string; files: { path: string; tokens: number; exact: boolean; rule: string }[]; totalTokens: number; costPerRequest: number; currency: string; notSent: { path: string; reason: string }[] };
}

test('--json without --for: the files sent with every request, counted exactly on the model, front matter stripped', async () => {
  const r = await run(['--context', DIR, '--json']);
  assert.equal(r.code, 0, r.err);
  const { context } = JSON.parse(r.out) as ContextJson;
  assert.equal(context.for, null);
  assert.equal(context.model, 'qwen-plus');
  assert.equal(context.currency, 'CNY');
  assert.deepEqual(context.files.map((f) => f.path).sort(), [
    '.clinerules/01-base.md',
    '.cursor/rules/always.mdc',
    '.github/copilot-instructions.md',
    '.github/instructions/everything.instructions.md',
    '.windsurfrules',
    'AGENTS.md',
    'CLAUDE.md',
    'GEMINI.md',
    'docs/style.md',
  ]);
  const qwen = referenceEncoder('qwen');
  for (const f of context.files) {
    const text = readFileSync(join(DIR, f.path), 'utf8');
    // Rule files are sent without their front matter.
    const body = /\.(mdc|instructions\.md)$/.test(f.path) ? text.replace(/^---\n[\s\S]*?\n---\n/, '') : text;
    assert.equal(f.tokens, qwen(body).length, f.path);
    assert.equal(f.exact, true);
    assert.match(f.rule, /\(https:\/\/[^)]+\)$/);
  }
  assert.equal(context.totalTokens, context.files.reduce((n, f) => n + f.tokens, 0));
  assert.ok(context.costPerRequest > 0);
  const reasons = Object.fromEntries(context.notSent.map((n) => [n.path, n.reason]));
  assert.equal(reasons['.cursor/rules/migrations.mdc'], 'requested');
  assert.equal(reasons['.cursor/rules/manual.mdc'], 'manual');
  assert.equal(reasons['.github/instructions/typescript.instructions.md'], 'needs-file');
});

test('--for FILE: globs and folders decide; the nearest AGENTS.md replaces the root one', async () => {
  const r = await run(['--context', DIR, '--for', join(DIR, 'packages/web/src/app.tsx'), '--json', '--model', 'gpt-4o']);
  assert.equal(r.code, 0, r.err);
  const { context } = JSON.parse(r.out) as ContextJson;
  assert.equal(context.for, 'packages/web/src/app.tsx');
  assert.equal(context.model, 'gpt-4o');
  const paths = context.files.map((f) => f.path);
  for (const p of ['packages/web/AGENTS.md', 'packages/web/CLAUDE.md', '.github/instructions/typescript.instructions.md', '.cursor/rules/react.mdc']) assert.ok(paths.includes(p), p);
  assert.ok(!paths.includes('AGENTS.md'));
  assert.ok(!paths.includes('.clinerules/02-api.md'));
  // FILE relative to DIR works too.
  const api = JSON.parse((await run(['--context', DIR, '--for', 'packages/api/handler.ts', '--json'])).out) as ContextJson;
  assert.equal(api.context.for, 'packages/api/handler.ts');
  assert.ok(api.context.files.some((f) => f.path === '.clinerules/02-api.md'));
  assert.ok(api.context.files.some((f) => f.path === 'AGENTS.md'));
});

test('text output: one row per file found, what it applies to, and the total per request', async () => {
  const r = await run(['--context', DIR]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /context files sent with every request, counted for Qwen Plus \(qwen-plus\)/);
  assert.match(r.out, /\+\s+CLAUDE\.md\s+Claude Code\s+\d+\s+every request/);
  assert.match(r.out, /-\s+\.cursor\/rules\/migrations\.mdc\s+Cursor\s+\d+\s+not sent: only when the agent requests it/);
  assert.match(r.out, /Total: [\d,]+ tokens from 9 files · ¥[\d.]+ per request/);
});

test('--max-context-tokens / --max-context-cost: over the limit exits 3 with the reason; under it exits 0', async () => {
  const over = await run(['--context', DIR, '--max-context-tokens', '10']);
  assert.equal(over.code, 3);
  assert.match(over.out, /Over budget \(1\):\n {2}[\d,]+ context tokens per request on Qwen Plus \(qwen-plus\), over the limit of 10 \[--max-context-tokens\]/);
  assert.equal((await run(['--context', DIR, '--max-context-tokens', '100000'])).code, 0);
  const cost = await run(['--context', DIR, '--max-context-cost', '$0.0000001', '--json']);
  assert.equal(cost.code, 3);
  assert.match(JSON.parse(cost.out).context.overBudget[0].limit, /--max-context-cost/);
  assert.equal((await run(['--context', DIR, '--max-context-cost', '1 CNY'])).code, 0);
});

test('a missing or unreadable file is reported on stderr and its row, not fatal; bad DIR, FILE or flags exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-context-'));
  writeFileSync(join(dir, 'CLAUDE.md'), 'Import @missing/file.md please\n');
  const r = await run(['--context', dir, '--json']);
  assert.equal(r.code, 0);
  assert.match(r.err, /missing\/file\.md: missing/);
  const { context } = JSON.parse(r.out) as ContextJson;
  assert.deepEqual(context.files.map((f) => f.path), ['CLAUDE.md']);
  assert.equal(context.notSent.length, 1);
  assert.deepEqual({ ...context.notSent[0], rule: undefined }, { path: 'missing/file.md', tool: 'claude', reason: 'not-read', problem: 'missing', rule: undefined });
  const empty = await run(['--context', mkdtempSync(join(tmpdir(), 'tc-empty-'))]);
  assert.equal(empty.code, 0);
  assert.match(empty.out, /none found/);
  assert.equal((await run(['--context', join(dir, 'nope')])).code, 2);
  assert.equal((await run(['--context', dir, '--for', '/etc/passwd'])).code, 2);
  assert.equal((await run(['--for', 'x'])).code, 2);
  assert.equal((await run(['--context', dir, '--max-context-tokens', 'lots'])).code, 2);
  assert.equal((await run(['--context', dir, 'file.md'])).code, 2);
});
