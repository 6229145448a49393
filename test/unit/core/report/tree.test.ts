import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WorkspaceReport } from '../../../../src/core/report/report';
import { reportFileMatcher, reportTree } from '../../../../src/core/report/tree';
import type { ReportNode } from '../../../../src/core/report/tree';

function sample(): WorkspaceReport {
  const r = new WorkspaceReport({ currency: 'CNY', model: 'qwen-plus' });
  r.set({ path: 'top.prompt', tokens: 5, exact: true, cost: 0.5, currency: 'CNY' });
  r.set({ path: 'a/x.md', tokens: 10, exact: true, cost: 0.25, currency: 'CNY' });
  r.set({ path: 'a/b/y.md', tokens: 20, exact: false, cost: 0.75, currency: 'CNY' });
  r.set({ path: 'c/z.md', tokens: 1, exact: true, cost: 0.125, currency: 'CNY' });
  r.skip('a/pic.prompt', 'looks binary');
  r.skip('only-skipped/big.prompt', 'too large');
  return r;
}

/** name (kind, cost) per node, children indented. */
function outline(nodes: readonly ReportNode[], depth = 0): string[] {
  return nodes.flatMap((n) => {
    const pad = '  '.repeat(depth);
    if (n.kind === 'folder') return [`${pad}${n.name}/ ${n.totals.files} ${n.totals.tokens} ${n.totals.cost} ≈${n.totals.estimates}`, ...outline(n.children, depth + 1)];
    if (n.kind === 'file') return [`${pad}${n.name} ${n.row.tokens} ${n.row.cost}`];
    return [`${pad}${n.name} skipped: ${n.reason}`];
  });
}

test('folders with their totals, most expensive first at every level; files not counted last', () => {
  assert.deepEqual(outline(reportTree(sample())), [
    'a/ 2 30 1 ≈1',
    '  b/ 1 20 0.75 ≈1',
    '    y.md 20 0.75',
    '  x.md 10 0.25',
    '  pic.prompt skipped: looks binary',
    'top.prompt 5 0.5',
    'c/ 1 1 0.125 ≈0',
    '  z.md 1 0.125',
    'only-skipped/ 0 0 0 ≈0',
    '  big.prompt skipped: too large',
  ]);
  assert.deepEqual(reportTree(new WorkspaceReport({ currency: 'USD' })), []);
});

test('property: every counted and skipped file appears once, under the folder of its path', () => {
  const segment = fc.constantFrom('a', 'b', 'c', 'd.md');
  fc.assert(
    fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), { maxLength: 15 }), fc.array(fc.nat(1000), { minLength: 15, maxLength: 15 }), (paths, costs) => {
      // A path that is also another's folder cannot be a file.
      const files = paths.filter((p) => !paths.some((q) => q.startsWith(p + '/')));
      const r = new WorkspaceReport({ currency: 'CNY' });
      files.forEach((p, i) => (i % 4 === 3 ? r.skip(p, 'why') : r.set({ path: p, tokens: costs[i], exact: true, cost: costs[i] / 1000, currency: 'CNY' })));
      const seen: string[] = [];
      const walk = (nodes: readonly ReportNode[], folder: string) => {
        for (const n of nodes) {
          const parent = n.path.includes('/') ? n.path.slice(0, n.path.lastIndexOf('/')) : '';
          assert.equal(parent, folder);
          if (n.kind === 'folder') {
            assert.deepEqual(n.totals, r.folder(n.path) ?? { files: 0, tokens: 0, cost: 0, estimates: 0 });
            walk(n.children, n.path);
          } else seen.push(n.path);
        }
        const costs = nodes.filter((n) => n.kind !== 'skipped').map((n) => (n.kind === 'folder' ? n.totals.cost : n.kind === 'file' ? n.row.cost : 0));
        assert.deepEqual(costs, [...costs].sort((x, y) => y - x));
      };
      walk(reportTree(r), '');
      assert.deepEqual(seen.sort(), [...files].sort());
    }),
  );
});

test('which files belong in the report: the prompt globs, minus files.exclude (folders too) and node_modules', () => {
  const m = reportFileMatcher(['**/*.prompt', '**/prompts/**', './local/*.txt', '[invalid'], ['**/.git', 'build/{out,tmp}', '**/*.draft.prompt']);
  assert.ok(m.included('a.prompt'));
  assert.ok(m.included('x/y/a.prompt'));
  assert.ok(m.included('prompts/deep/a.md'));
  assert.ok(m.included('local/a.txt'), 'a leading ./ is relative to the folder');
  assert.ok(!m.included('a.md'));
  assert.ok(m.excluded('node_modules/pkg/a.prompt'));
  assert.ok(m.excluded('x/node_modules/a.prompt'));
  assert.ok(m.excluded('.git/a.prompt'));
  assert.ok(m.excluded('build/out/a.prompt'), 'a brace pattern the search cannot take is applied here');
  assert.ok(m.excluded('build/tmp/x/a.prompt'));
  assert.ok(m.excluded('z/q.draft.prompt'));
  assert.ok(!m.excluded('build/keep/a.prompt'));
  assert.ok(!m.excluded('prompts/a.prompt'));
});
