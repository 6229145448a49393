// File reading and the --report walk in-process, on a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REPORT_FILE_BYTES, defaultPromptGlobs, readInputFile, readPromptFile, reportFolderProblem, walkPromptFiles } from '../../../src/cli/files';

const io = { readFile: (p: string) => readFileSync(p), readStdin: () => new TextEncoder().encode('from stdin') };

test('FILE operands: "-" is standard input; missing, folder and binary files say why', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'bin'), new Uint8Array([0x61, 0, 0x62]));
  writeFileSync(join(dir, 'bad'), new Uint8Array([0x61, 0xff]));
  assert.deepEqual(readInputFile('-', io), { ok: true, text: 'from stdin', invalidUtf8: false });
  assert.deepEqual(readInputFile(join(dir, 'missing'), io), { ok: false, message: 'no such file' });
  assert.deepEqual(readInputFile(dir, io), { ok: false, message: 'is a directory' });
  assert.deepEqual(readInputFile(join(dir, 'bin'), io), { ok: false, message: 'looks binary (contains NUL bytes); not counted' });
  assert.deepEqual(readInputFile(join(dir, 'bad'), io), { ok: true, text: 'a\ufffd', invalidUtf8: true });
});

test('report files: above the size limit is skipped before reading; a vanished file says cannot read', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ok.md'), 'hello');
  assert.deepEqual(readPromptFile(join(dir, 'ok.md'), 5), { ok: true, text: 'hello', invalidUtf8: false });
  assert.deepEqual(readPromptFile(join(dir, 'ok.md'), MAX_REPORT_FILE_BYTES + 1), { ok: false, message: '16.0 MB is above the 16.0 MB limit' });
  assert.deepEqual(readPromptFile(join(dir, 'gone.md'), 1), { ok: false, message: 'cannot read: ENOENT' });
  assert.equal(reportFolderProblem(dir), undefined);
  assert.equal(reportFolderProblem(join(dir, 'nope')), 'no such directory');
  assert.equal(reportFolderProblem(join(dir, 'ok.md')), 'not a directory');
});

test('the default globs are the manifest’s tokenCost.promptFiles', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
  const section = [manifest.contributes.configuration].flat().find((s: { properties?: object }) => s.properties && 'tokenCost.promptFiles' in s.properties);
  assert.deepEqual(defaultPromptGlobs(), section.properties['tokenCost.promptFiles'].default);
  assert.ok(defaultPromptGlobs()!.includes('**/*.prompt.md'));
});

test('the walk: name order, .git and node_modules skipped, links followed once and only inside the root', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tc-walk-'));
  const outside = mkdtempSync(join(tmpdir(), 'tc-out-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  for (const d of ['b', 'a', '.git', 'node_modules']) mkdirSync(join(root, d));
  for (const f of ['b/2.md', 'a/1.md', '.git/x.md', 'node_modules/y.md', 'a/skip.txt']) writeFileSync(join(root, f), 'x');
  writeFileSync(join(outside, 'o.md'), 'x');
  symlinkSync(join(root, 'a/1.md'), join(root, 'c.md'));
  symlinkSync(join(outside, 'o.md'), join(root, 'd.md'));
  symlinkSync(join(root, 'none'), join(root, 'e.md'));
  symlinkSync(root, join(root, 'a/loop'));
  const seen: string[] = [];
  walkPromptFiles(root, (p) => p.endsWith('.md'), {
    file: (path, abs, size) => seen.push(`${path} ${size} ${abs === join(root, path)}`),
    skip: (path, reason) => seen.push(`skip ${path}: ${reason}`),
  });
  assert.deepEqual(seen, [
    'a/1.md 1 true',
    'b/2.md 1 true',
    'skip c.md: same file as a/1.md',
    'skip d.md: symbolic link out of the folder',
    'skip e.md: broken symbolic link',
  ]);
});
