// Each tool's rule for when its instruction file is sent, and what of it counts, on in-memory trees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextFor, globsMatch, importPaths, loadContextFiles, normalize } from '../../../../src/core/context/contextFiles';
import type { ContextEntry } from '../../../../src/core/context/contextFiles';
import { globList, parseRuleFrontMatter } from '../../../../src/core/context/contextFrontMatter';
import { CONTEXT_RULES, ruleString } from '../../../../src/core/context/contextRules';
import { memoryFs } from './memoryFs';

async function applying(files: Record<string, string | null>, target?: string): Promise<Map<string, ContextEntry>> {
  const entries = contextFor(await loadContextFiles(memoryFs(files), target), target);
  return new Map(entries.map((e) => [e.file.path, e]));
}

const sent = (m: Map<string, ContextEntry>) => [...m.values()].filter((e) => e.applies).map((e) => e.file.path).sort();

test('AGENTS.md: the nearest one above the file wins; without a file, the root one', async () => {
  const tree = { 'AGENTS.md': 'root', 'packages/web/AGENTS.md': 'web', 'packages/web/src/app.tsx': '', 'packages/api/x.ts': '' };
  const web = await applying(tree, 'packages/web/src/app.tsx');
  assert.deepEqual(sent(web), ['packages/web/AGENTS.md']);
  assert.equal(web.get('AGENTS.md')!.reason, 'shadowed');
  const api = await applying(tree, 'packages/api/x.ts');
  assert.deepEqual(sent(api), ['AGENTS.md']);
  // Not on the file's path: never even read.
  assert.equal(api.has('packages/web/AGENTS.md'), false);
  assert.deepEqual(sent(await applying(tree)), ['AGENTS.md']);
  assert.equal(web.get('packages/web/AGENTS.md')!.file.sent, 'web', 'the whole file is sent');
});

test('CLAUDE.md: the root one always, a subfolder one for files under it (added, not replacing), .claude/CLAUDE.md too', async () => {
  const tree = { 'CLAUDE.md': 'root', '.claude/CLAUDE.md': 'dot', 'a/CLAUDE.md': 'a', 'a/b/CLAUDE.local.md': 'local', 'a/b/f.md': '', 'c/f.md': '' };
  assert.deepEqual(sent(await applying(tree, 'a/b/f.md')), ['.claude/CLAUDE.md', 'CLAUDE.md', 'a/CLAUDE.md', 'a/b/CLAUDE.local.md']);
  assert.deepEqual(sent(await applying(tree, 'c/f.md')), ['.claude/CLAUDE.md', 'CLAUDE.md']);
  assert.deepEqual(sent(await applying(tree)), ['.claude/CLAUDE.md', 'CLAUDE.md']);
});

test('CLAUDE.md @imports: relative to the file, recursive, not inside code, cycles end, outside the folder reported', async () => {
  const tree = {
    'CLAUDE.md': 'See @docs/a.md and `@docs/code.md`.\n```\n@docs/fenced.md\n```\nThanks @alice. Home: @~/.claude/mine.md',
    'docs/a.md': 'A imports @b.md',
    'docs/b.md': 'B imports @../CLAUDE.md and @a.md (a cycle)',
    'docs/code.md': 'never',
    'docs/fenced.md': 'never',
  };
  const m = await applying(tree);
  assert.deepEqual(sent(m), ['CLAUDE.md', 'docs/a.md', 'docs/b.md']);
  assert.equal(m.get('docs/b.md')!.file.importedBy, 'docs/a.md');
  assert.equal(m.get('docs/a.md')!.reason, 'imported');
  assert.match(m.get('~/.claude/mine.md')!.file.problem!, /outside the workspace folder/);
  assert.equal(m.get('~/.claude/mine.md')!.applies, false);
  assert.equal(m.has('docs/code.md'), false);
  assert.equal(m.has('docs/fenced.md'), false);
  assert.deepEqual(importPaths('x @a.md, @b/c and @someone. `@no.md`'), ['a.md', 'b/c']);
});

test('an import of a subfolder CLAUDE.md goes with it: sent only for files under that folder', async () => {
  const tree = { 'pkg/CLAUDE.md': 'pkg @notes.md', 'pkg/notes.md': 'notes', 'pkg/f.ts': '', 'other/g.ts': '' };
  assert.deepEqual(sent(await applying(tree, 'pkg/f.ts')), ['pkg/CLAUDE.md', 'pkg/notes.md']);
  assert.deepEqual(sent(await applying(tree, 'other/g.ts')), []);
});

test('GEMINI.md: the workspace one always, ancestors of the file added; @imports followed', async () => {
  const tree = { 'GEMINI.md': 'root @extra.md', 'extra.md': 'extra', 'src/GEMINI.md': 'src', 'src/x.ts': '' };
  const m = await applying(tree, 'src/x.ts');
  assert.deepEqual(sent(m), ['GEMINI.md', 'extra.md', 'src/GEMINI.md']);
  assert.equal(m.get('extra.md')!.file.rule, 'gemini-import');
  assert.deepEqual(sent(await applying(tree)), ['GEMINI.md', 'extra.md']);
});

test('Copilot: copilot-instructions.md always; *.instructions.md by applyTo (comma list, "**" is every file), front matter stripped', async () => {
  const tree = {
    '.github/copilot-instructions.md': 'repo-wide',
    '.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts,src/**/*.{tsx,jsx}"\n---\nTS rules\n',
    '.github/instructions/all.instructions.md': '---\napplyTo: "**"\n---\nall\n',
    '.github/instructions/nested/py.instructions.md': "---\napplyTo: '**/*.py'\n---\npy\n",
    '.github/instructions/none.instructions.md': '---\ndescription: by hand\n---\nmanual\n',
    '.github/instructions/readme.md': 'not an instructions file',
  };
  const ts = await applying(tree, 'lib/a.ts');
  assert.deepEqual(sent(ts), ['.github/copilot-instructions.md', '.github/instructions/all.instructions.md', '.github/instructions/ts.instructions.md']);
  assert.equal(ts.get('.github/instructions/ts.instructions.md')!.file.sent, 'TS rules\n');
  assert.equal(ts.get('.github/instructions/ts.instructions.md')!.file.frontMatterStripped, true);
  assert.equal(ts.get('.github/copilot-instructions.md')!.file.frontMatterStripped, false);
  assert.equal(ts.get('.github/instructions/none.instructions.md')!.reason, 'manual');
  assert.equal(ts.has('.github/instructions/readme.md'), false);
  assert.equal((await applying(tree, 'src/ui/b.tsx')).get('.github/instructions/ts.instructions.md')!.applies, true);
  assert.equal((await applying(tree, 'tools/x.py')).get('.github/instructions/nested/py.instructions.md')!.reason, 'glob-match');
  const none = await applying(tree);
  assert.equal(none.get('.github/instructions/ts.instructions.md')!.reason, 'needs-file');
  assert.deepEqual(sent(none), ['.github/copilot-instructions.md', '.github/instructions/all.instructions.md']);
});

test('Cursor .mdc: alwaysApply, globs (unquoted, list or comma string), description-only is agent requested, none manual', async () => {
  const tree = {
    '.cursor/rules/always.mdc': '---\ndescription: x\nglobs: *.md\nalwaysApply: true\n---\nalways\n',
    '.cursor/rules/tsx.mdc': '---\ndescription:\nglobs: *.tsx, src/**/*.tsx\nalwaysApply: false\n---\ntsx\n',
    '.cursor/rules/list.mdc': '---\nglobs:\n  - "docs/**"\n  - "*.txt"\n---\nlist\n',
    '.cursor/rules/requested.mdc': '---\ndescription: Database migrations\nglobs:\nalwaysApply: false\n---\nreq\n',
    '.cursor/rules/string-true.mdc': '---\nalwaysApply: "true"\n---\nquoted true is not a boolean\n',
    '.cursor/rules/sub/manual.mdc': 'no front matter\n',
    '.cursorrules': 'legacy',
  };
  const m = await applying(tree, 'src/ui/b.tsx');
  assert.deepEqual(sent(m), ['.cursor/rules/always.mdc', '.cursor/rules/tsx.mdc', '.cursorrules']);
  assert.equal(m.get('.cursor/rules/requested.mdc')!.reason, 'requested');
  assert.equal(m.get('.cursor/rules/string-true.mdc')!.reason, 'manual');
  assert.equal(m.get('.cursor/rules/sub/manual.mdc')!.reason, 'manual');
  assert.equal(m.get('.cursor/rules/always.mdc')!.file.sent, 'always\n');
  // A bare "*.tsx" is relative to the workspace folder: it matches at the top level only.
  assert.equal((await applying(tree, 'b.tsx')).get('.cursor/rules/tsx.mdc')!.applies, true);
  assert.equal((await applying(tree, 'docs/a/b.md')).get('.cursor/rules/list.mdc')!.applies, true);
  assert.equal((await applying(tree, 'x/b.txt')).get('.cursor/rules/list.mdc')!.applies, false);
});

test('Cline: a .clinerules file always; a folder combines its Markdown files, paths front matter makes one conditional', async () => {
  assert.deepEqual(sent(await applying({ '.clinerules': 'one file' })), ['.clinerules']);
  const tree = { '.clinerules/01-base.md': 'base', '.clinerules/02-api.md': '---\npaths:\n  - "src/api/**"\n---\napi\n', '.clinerules/image.png': 'x' };
  const api = await applying(tree, 'src/api/h.ts');
  assert.deepEqual(sent(api), ['.clinerules/01-base.md', '.clinerules/02-api.md']);
  assert.equal(api.get('.clinerules/02-api.md')!.file.sent, 'api\n');
  assert.deepEqual(sent(await applying(tree, 'src/web/h.ts')), ['.clinerules/01-base.md']);
  assert.equal(api.has('.clinerules/image.png'), false);
});

test('Windsurf: .windsurfrules always; .windsurf/rules by trigger', async () => {
  const tree = {
    '.windsurfrules': 'legacy',
    '.windsurf/rules/on.md': '---\ntrigger: always_on\n---\non\n',
    '.windsurf/rules/glob.md': '---\ntrigger: glob\nglobs: **/*.py\n---\npy\n',
    '.windsurf/rules/model.md': '---\ntrigger: model_decision\ndescription: x\n---\nm\n',
    '.windsurf/rules/manual.md': '---\ntrigger: manual\n---\nm\n',
  };
  const m = await applying(tree, 'a/b.py');
  assert.deepEqual(sent(m), ['.windsurf/rules/glob.md', '.windsurf/rules/on.md', '.windsurfrules']);
  assert.equal(m.get('.windsurf/rules/model.md')!.reason, 'requested');
  assert.equal(m.get('.windsurf/rules/manual.md')!.reason, 'manual');
});

test('a missing or unreadable file is reported on its row, not fatal; binary files are not counted', async () => {
  const tree = { 'AGENTS.md': null, 'CLAUDE.md': 'see @docs/gone.md', 'GEMINI.md': 'a\u0000b' };
  const m = await applying(tree);
  assert.match(m.get('AGENTS.md')!.file.problem!, /cannot read: EACCES/);
  assert.equal(m.get('AGENTS.md')!.applies, false);
  assert.equal(m.get('AGENTS.md')!.reason, 'not-read');
  assert.equal(m.get('docs/gone.md')!.file.problem, 'missing');
  assert.match(m.get('GEMINI.md')!.file.problem!, /binary/);
  assert.deepEqual(sent(m), ['CLAUDE.md']);
});

test('an empty folder has no context files; a listing failure is treated as empty', async () => {
  assert.deepEqual(await loadContextFiles(memoryFs({})), []);
  const broken = { list: async () => Promise.reject(new Error('EIO')), read: async () => new Uint8Array() };
  assert.deepEqual(await loadContextFiles(broken, 'a/b.ts'), []);
});

test('front matter: BOM and CRLF, comments, quoted values, flow lists; no block means the whole text is the body', () => {
  const fm = parseRuleFrontMatter('\uFEFF---\r\napplyTo: "a/**, b/*.{c,d}" # comment\r\nglobs: [x, "y"]\r\nalwaysApply: true\r\n---\r\nbody\r\n');
  assert.equal(fm.present, true);
  assert.equal(fm.body, 'body\r\n');
  assert.deepEqual(globList(fm.fields.get('applyto')), ['a/**', 'b/*.{c,d}']);
  assert.deepEqual(globList(fm.fields.get('globs')), ['x', 'y']);
  assert.equal(fm.fields.get('alwaysapply'), true);
  const none = parseRuleFrontMatter('---\nnot closed\n');
  assert.equal(none.present, false);
  assert.equal(none.body, '---\nnot closed\n');
});

test('glob matching: relative to the folder, dot files match, a leading ./ is ignored, a bad pattern matches nothing', () => {
  assert.equal(globsMatch(['**/*.ts'], 'a/.hidden/b.ts'), true);
  assert.equal(globsMatch(['./src/**'], 'src/x'), true);
  assert.equal(globsMatch(['src/**'], 'lib/src/x'), false);
  assert.equal(globsMatch(['[z-a]'], 'x'), false);
  assert.equal(normalize('a\\b/../c/./d'), 'a/c/d');
});

test('every rule names its source page', () => {
  for (const [id, r] of Object.entries(CONTEXT_RULES)) {
    assert.match(r.url, /^https:\/\//, id);
    assert.ok(ruleString(id as keyof typeof CONTEXT_RULES).endsWith(`(${r.url})`));
  }
});
