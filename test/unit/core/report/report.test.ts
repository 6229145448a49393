import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ReportRow } from '../../../../src/core/report/report';
import { WorkspaceReport, comparePaths, csvCell, reportToJson, toCsv, toJson } from '../../../../src/core/report/report';

const row = (path: string, tokens: number, cost: number, exact = true): ReportRow => ({ path, tokens, exact, cost, currency: 'CNY' });

function sample(): WorkspaceReport {
  const r = new WorkspaceReport({ currency: 'CNY', model: 'qwen-plus' });
  r.set(row('a/b/x.md', 100, 0.25));
  r.set(row('a/b/y.md', 50, 0.5, false));
  r.set(row('a/z.md', 10, 0.25));
  r.set(row('top.prompt', 1, 0.125));
  r.skip('a/pic.prompt', 'looks binary');
  return r;
}

test('rows: most expensive first, ties by path', () => {
  assert.deepEqual(
    sample().rows().map((r) => r.path),
    ['a/b/y.md', 'a/b/x.md', 'a/z.md', 'top.prompt'],
  );
});

test('every ancestor folder gets the file; the root is the total', () => {
  const r = sample();
  assert.deepEqual(r.folders(), [
    { path: 'a', files: 3, tokens: 160, cost: 1, estimates: 1 },
    { path: 'a/b', files: 2, tokens: 150, cost: 0.75, estimates: 1 },
  ]);
  assert.deepEqual(r.total(), { files: 4, tokens: 161, cost: 1.125, estimates: 1 });
  assert.deepEqual(r.skipped(), [{ path: 'a/pic.prompt', reason: 'looks binary' }]);
  assert.equal(r.size, 4);
});

test('updates adjust only what changed: replace, delete, skip a counted file', () => {
  const r = sample();
  r.set(row('a/b/y.md', 20, 0.125));
  assert.deepEqual(r.folder('a/b'), { path: 'a/b', files: 2, tokens: 120, cost: 0.375, estimates: 0 });
  assert.equal(r.delete('a/b/x.md'), true);
  assert.equal(r.delete('a/b/x.md'), false);
  r.skip('a/b/y.md', 'too large');
  assert.equal(r.folder('a/b'), undefined, 'an empty folder disappears');
  assert.deepEqual(r.folders(), [{ path: 'a', files: 1, tokens: 10, cost: 0.25, estimates: 0 }]);
  assert.deepEqual(r.total(), { files: 2, tokens: 11, cost: 0.375, estimates: 0 });
  assert.deepEqual(r.skipped().map((s) => s.path), ['a/b/y.md', 'a/pic.prompt']);
  r.set(row('a/pic.prompt', 3, 0.5));
  assert.deepEqual(r.skipped().map((s) => s.path), ['a/b/y.md'], 'counting a skipped file un-skips it');
  assert.equal(r.delete('a/b/y.md'), true);
  assert.deepEqual(r.skipped(), []);
});

test('taking a row out restores the totals exactly (a float sum would not: 1e6 + 1e-6 - 1e6 ≠ 1e-6)', () => {
  const r = new WorkspaceReport({ currency: 'CNY' });
  r.set(row('a/small.md', 1, 0.000001));
  r.set(row('a/huge.md', 1, 1e6));
  r.delete('a/huge.md');
  assert.equal(r.total().cost, 0.000001);
  assert.equal(r.folder('a')?.cost, 0.000001);
  for (let i = 0; i < 1000; i++) r.set(row('a/x.md', 1, 0.1 * (i % 7)));
  r.delete('a/x.md');
  assert.equal(r.total().cost, 0.000001);
});

test('rows in another currency or with impossible numbers are refused', () => {
  const r = new WorkspaceReport({ currency: 'USD' });
  assert.throws(() => r.set(row('a', 1, 1)), RangeError);
  assert.throws(() => r.set({ ...row('a', -1, 1), currency: 'USD' }), RangeError);
  assert.throws(() => r.set({ ...row('a', 1.5, 1), currency: 'USD' }), RangeError);
  assert.throws(() => r.set({ ...row('a', 1, Number.NaN), currency: 'USD' }), RangeError);
  assert.equal(r.size, 0);
});

test('folders sort parents first, by code unit', () => {
  assert.deepEqual(['a-b', 'a/b', 'a', 'B', 'a/b/c', 'a.b'].sort(comparePaths), ['B', 'a', 'a/b', 'a/b/c', 'a-b', 'a.b']);
});

test('CSV: RFC 4180 quoting, CRLF, formula cells defused', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('-2'), "'-2");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tx'), "'\tx");
  assert.equal(csvCell('\rx'), `"'\rx"`);
  assert.equal(csvCell('a=b'), 'a=b');

  const r = new WorkspaceReport({ currency: 'CNY', model: 'qwen-plus' });
  r.set(row('p/=cmd.prompt', 12, 0.00000005));
  r.set(row('p/a,b.prompt', 3, 0.5, false));
  r.skip('p/"x".prompt', 'looks binary');
  assert.equal(
    toCsv(r),
    [
      'kind,path,files,tokens,exact,cost,currency,note',
      'file,"p/a,b.prompt",1,3,false,0.5,CNY,',
      "file,p/=cmd.prompt,1,12,true,0.00000005,CNY,",
      'folder,p,2,15,false,0.50000005,CNY,',
      'total,,2,15,false,0.50000005,CNY,',
      'skipped,"p/""x"".prompt",,,,,,looks binary',
      '',
    ].join('\r\n'),
  );
  const inj = new WorkspaceReport({ currency: 'CNY' });
  inj.set(row('=cmd|calc', 1, 0));
  assert.match(toCsv(inj), /\r\nfile,'=cmd\|calc,1,1,true,0,CNY,\r\n/);
});

test('JSON: the documented shape, version 1', () => {
  const json = JSON.parse(toJson(sample()));
  assert.deepEqual(json, {
    version: 1,
    currency: 'CNY',
    model: 'qwen-plus',
    total: { files: 4, tokens: 161, exact: false, cost: 1.125 },
    folders: [
      { path: 'a', files: 3, tokens: 160, exact: false, cost: 1 },
      { path: 'a/b', files: 2, tokens: 150, exact: false, cost: 0.75 },
    ],
    files: [
      { path: 'a/b/y.md', tokens: 50, exact: false, cost: 0.5 },
      { path: 'a/b/x.md', tokens: 100, exact: true, cost: 0.25 },
      { path: 'a/z.md', tokens: 10, exact: true, cost: 0.25 },
      { path: 'top.prompt', tokens: 1, exact: true, cost: 0.125 },
    ],
    skipped: [{ path: 'a/pic.prompt', reason: 'looks binary' }],
  });
  assert.equal(reportToJson(new WorkspaceReport({ currency: 'USD' })).model, null);
});

/** Totals recomputed from scratch, to compare the incremental ones against. */
function naive(rows: Map<string, ReportRow>) {
  const folders = new Map<string, { files: number; tokens: number; cost: number; estimates: number }>();
  const total = { files: 0, tokens: 0, cost: 0, estimates: 0 };
  for (const r of rows.values()) {
    const parts = r.path.split('/').filter(Boolean);
    const targets = [total];
    for (let i = 1; i < parts.length; i++) {
      const k = parts.slice(0, i).join('/');
      if (!folders.has(k)) folders.set(k, { files: 0, tokens: 0, cost: 0, estimates: 0 });
      targets.push(folders.get(k)!);
    }
    for (const t of targets) {
      t.files++;
      t.tokens += r.tokens;
      t.cost += r.cost;
      if (!r.exact) t.estimates++;
    }
  }
  return { folders, total };
}

test('property: after any sequence of set/skip/delete, totals equal a recount from scratch', () => {
  const path = fc.constantFrom('a.md', 'a/b.md', 'a/c.md', 'a/b/d.md', 'a/b/e.md', 'x/y/z/w.md', 'x/q.md', 'a-b/c.md');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), path, tokens: fc.nat({ max: 1e6 }), cost: fc.double({ min: 0, max: 10, noNaN: true }), exact: fc.boolean() }),
    fc.record({ kind: fc.constant('skip' as const), path }),
    fc.record({ kind: fc.constant('delete' as const), path }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const r = new WorkspaceReport({ currency: 'CNY' });
      const model = new Map<string, ReportRow>();
      for (const o of ops) {
        if (o.kind === 'set') {
          r.set(row(o.path, o.tokens, o.cost, o.exact));
          model.set(o.path, row(o.path, o.tokens, o.cost, o.exact));
        } else {
          if (o.kind === 'skip') r.skip(o.path, 'x');
          else r.delete(o.path);
          model.delete(o.path);
        }
      }
      const expected = naive(model);
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      const t = r.total();
      assert.deepEqual([t.files, t.tokens, t.estimates], [expected.total.files, expected.total.tokens, expected.total.estimates]);
      assert.ok(close(t.cost, expected.total.cost));
      assert.deepEqual(r.folders().map((f) => f.path), [...expected.folders.keys()].sort(comparePaths));
      for (const f of r.folders()) {
        const e = expected.folders.get(f.path)!;
        assert.deepEqual([f.files, f.tokens, f.estimates], [e.files, e.tokens, e.estimates]);
        assert.ok(close(f.cost, e.cost), `${f.path}: ${f.cost} vs ${e.cost}`);
        assert.ok(f.cost >= 0);
      }
      const rows = r.rows();
      assert.equal(rows.length, model.size);
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].cost > rows[i].cost || (rows[i - 1].cost === rows[i].cost && comparePaths(rows[i - 1].path, rows[i].path) < 0));
    }),
    { numRuns: 300 },
  );
});
