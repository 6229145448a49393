// The workspace report's bookkeeping against real files in a temporary folder and the real tokenizers: what is read,
// what is counted (and how often), what is only priced again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLE_DIR } from '../../../fixtures/tableDir';
import { ReportEngine } from '../../../../src/core/report/engine';
import type { FileRef, ReportPricing, ReportSource, UnsavedText } from '../../../../src/core/report/engine';
import { cost } from '../../../../src/core/cost';
import { defaultModels, findModel } from '../../../../src/core/prices/priceTable';
import type { TokenizerId } from '../../../../src/core/prices/types';
import { WorkspaceReport, toCsv } from '../../../../src/core/report/report';
import { TokenCounter } from '../../../../src/core/tokenizers/tokenCounter';

const counter = new TokenCounter(TABLE_DIR);
const models = defaultModels();
const ROOT = 'file:///ws';

function pricing(modelId: string, maxBytes = 1024 * 1024): ReportPricing {
  const m = findModel(models, modelId)!;
  const options = { currency: 'CNY' as const, exchangeRate: 7.2, outputTokens: 0 };
  return { model: m.id, tokenizer: m.tokenizer, currency: 'CNY', price: (t) => cost(t, m, options)?.totalCost, maxBytes };
}

const reasons = {
  binary: 'binary',
  tooLarge: (b: number, l: number) => `too large ${b} > ${l}`,
  unreadable: (m: string) => `unreadable ${m}`,
  noPrice: (m: string) => `no price ${m}`,
  countFailed: (m: string) => `failed ${m}`,
};

/** A folder on disk, the engine reading it, and a log of every read and count the engine asked for. */
function setup(p = pricing('qwen-plus')) {
  const dir = mkdtempSync(join(tmpdir(), 'report-engine-'));
  const log: string[] = [];
  const unsaved = new Map<string, string>();
  let inFlight = 0;
  let maxInFlight = 0;
  const pathOf = (key: string) => join(dir, key.slice(ROOT.length + 1));
  const count = async (text: string, id: TokenizerId) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    return counter.count(id, text);
  };
  const source: ReportSource = {
    stat: async (key) => {
      try {
        const s = statSync(pathOf(key));
        return { size: s.size, mtime: s.mtimeMs };
      } catch {
        return undefined;
      }
    },
    read: async (key) => {
      log.push(`read ${key.slice(ROOT.length + 1)}`);
      return readFileSync(pathOf(key));
    },
    unsaved: (key): UnsavedText | undefined => {
      const text = unsaved.get(key);
      if (text === undefined) return undefined;
      return { version: text, length: text.length, text: () => text, binary: () => text.includes('\0'), count: (id) => (log.push(`count-editor ${key.slice(ROOT.length + 1)} ${id}`), count(text, id)) };
    },
    count: (text, id) => {
      log.push(`count ${id} ${text.length}`);
      return count(text, id);
    },
  };
  let changes = 0;
  const engine = new ReportEngine(source, p, reasons, () => changes++);
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const ref = (path: string): FileRef => ({ root: ROOT, path, key: `${ROOT}/${path}` });
  const run = () => engine.drain(() => true);
  return { dir, log, unsaved, engine, write, ref, run, maxInFlight: () => maxInFlight, changes: () => changes, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The report the engine must hold: each file counted by the core and priced for the model. */
function expected(files: Record<string, string>, modelId: string, skipped: Record<string, string> = {}): string {
  const p = pricing(modelId);
  const r = new WorkspaceReport({ currency: 'CNY', model: p.model });
  for (const [path, text] of Object.entries(files)) {
    const c = counter.count(p.tokenizer, text);
    r.set({ path, tokens: c.tokens, exact: c.exact, cost: p.price(c.tokens)!, currency: 'CNY' });
  }
  for (const [path, reason] of Object.entries(skipped)) r.skip(path, reason);
  return toCsv(r);
}

test('first look: every file read and counted once, one at a time; binary and oversized files listed with the reason', async () => {
  const t = setup(pricing('qwen-plus', 200));
  try {
    const files = { 'a.prompt': '你好，世界。Hello there.\n', 'p/b.prompt.md': '# Title\n\n请把下面的文字翻译成英文。\n', 'p/q/c.prompt': 'one two three' };
    for (const [p, c] of Object.entries(files)) t.write(p, c);
    t.write('p/bin.prompt', Buffer.from([1, 2, 0, 3]));
    t.write('big.prompt', 'x'.repeat(300));
    t.engine.setFiles(ROOT, [...Object.keys(files), 'p/bin.prompt', 'big.prompt'].map(t.ref), false);
    assert.equal(t.engine.pending, 5);
    await t.run();
    assert.equal(t.engine.pending, 0);
    assert.equal(t.maxInFlight(), 1, 'never more than one file in flight');
    assert.equal(toCsv(t.engine.report(ROOT)!), expected(files, 'qwen-plus', { 'p/bin.prompt': 'binary', 'big.prompt': 'too large 300 > 200' }));
    assert.equal(t.log.filter((l) => l.startsWith('count ')).length, 3);
    assert.ok(!t.log.includes('read big.prompt'), 'a file above the limit is not read');
  } finally {
    t.done();
  }
});

test('an unchanged file is neither read nor counted again; a changed one is, alone', async () => {
  const t = setup();
  try {
    const files: Record<string, string> = { 'a.prompt': 'alpha beta', 'b.prompt': '甲乙丙丁' };
    for (const [p, c] of Object.entries(files)) t.write(p, c);
    t.engine.setFiles(ROOT, Object.keys(files).map(t.ref), false);
    await t.run();
    t.log.length = 0;
    // A refresh looks at every file: nothing changed, nothing read.
    t.engine.setFiles(ROOT, Object.keys(files).map(t.ref), true);
    await t.run();
    assert.deepEqual(t.log, []);
    // Touched (saved) with the same bytes but a new time: read, hashed, not counted.
    const when = new Date(Date.now() + 5000);
    utimesSync(join(t.dir, 'a.prompt'), when, when);
    const redraws = t.changes();
    t.engine.touch(t.ref('a.prompt'));
    await t.run();
    assert.deepEqual(t.log, ['read a.prompt']);
    assert.equal(t.changes(), redraws, 'nothing the view shows changed: no redraw');
    t.log.length = 0;
    files['b.prompt'] = '甲乙丙丁戊己庚辛';
    t.write('b.prompt', files['b.prompt']);
    t.engine.touch(t.ref('b.prompt'));
    await t.run();
    assert.deepEqual(t.log, ['read b.prompt', `count qwen ${files['b.prompt'].length}`]);
    assert.equal(toCsv(t.engine.report(ROOT)!), expected(files, 'qwen-plus'));
  } finally {
    t.done();
  }
});

test('unsaved editor text is counted in place of the file; closing it unsaved brings the file back', async () => {
  const t = setup();
  try {
    t.write('a.prompt', 'saved text');
    t.engine.setFiles(ROOT, [t.ref('a.prompt')], false);
    await t.run();
    t.unsaved.set(`${ROOT}/a.prompt`, 'saved text, and an edit');
    t.engine.touch(t.ref('a.prompt'));
    await t.run();
    assert.equal(toCsv(t.engine.report(ROOT)!), expected({ 'a.prompt': 'saved text, and an edit' }, 'qwen-plus'));
    assert.ok(t.log.includes('count-editor a.prompt qwen'));
    t.unsaved.clear();
    t.log.length = 0;
    t.engine.touch(t.ref('a.prompt'));
    await t.run();
    assert.deepEqual(t.log, ['read a.prompt', 'count qwen 10']);
    assert.equal(toCsv(t.engine.report(ROOT)!), expected({ 'a.prompt': 'saved text' }, 'qwen-plus'));
  } finally {
    t.done();
  }
});

test('another model with the same tokenizer is priced again only; another tokenizer counts once, and switching back counts nothing', async () => {
  const t = setup();
  try {
    const files = { 'a.prompt': '请用中文回答。', 'b.prompt': 'Answer in English, please.' };
    for (const [p, c] of Object.entries(files)) t.write(p, c);
    t.engine.setFiles(ROOT, Object.keys(files).map(t.ref), false);
    await t.run();
    t.log.length = 0;
    t.engine.reprice(pricing('qwen-max'));
    assert.equal(t.engine.pending, 0, 'same tokenizer: nothing to count');
    assert.equal(toCsv(t.engine.report(ROOT)!), expected(files, 'qwen-max'));
    t.engine.reprice(pricing('gpt-4o'));
    assert.equal(t.engine.pending, 2);
    assert.equal(t.engine.report(ROOT)!.size, 0, 'no row shows a count of another tokenizer');
    await t.run();
    // The text is not kept in memory: each file is read once more for the new tokenizer.
    assert.deepEqual(t.log, ['read a.prompt', `count o200k_base ${files['a.prompt'].length}`, 'read b.prompt', `count o200k_base ${files['b.prompt'].length}`]);
    assert.equal(toCsv(t.engine.report(ROOT)!), expected(files, 'gpt-4o'));
    t.log.length = 0;
    t.engine.reprice(pricing('qwen-plus'));
    assert.equal(t.engine.pending, 0);
    assert.equal(toCsv(t.engine.report(ROOT)!), expected(files, 'qwen-plus'));
    assert.deepEqual(t.log, []);
  } finally {
    t.done();
  }
});

test('deleted files and folders leave the report; a file gone before its turn is dropped', async () => {
  const t = setup();
  try {
    const files = { 'p/a.prompt': 'a', 'p/q/b.prompt': 'b', 'p2/c.prompt': 'c', 'top.prompt': 'top' };
    for (const [p, c] of Object.entries(files)) t.write(p, c);
    t.engine.setFiles(ROOT, Object.keys(files).map(t.ref), false);
    await t.run();
    t.engine.remove(ROOT, 'p');
    assert.deepEqual(
      t.engine.report(ROOT)!.rows().map((r) => r.path).sort(),
      ['p2/c.prompt', 'top.prompt'],
      '"p" removes p/… but not p2/…',
    );
    assert.equal(t.engine.has(`${ROOT}/p/q/b.prompt`), false);
    rmSync(join(t.dir, 'top.prompt'));
    t.engine.touch(t.ref('top.prompt'));
    await t.run();
    assert.deepEqual(t.engine.report(ROOT)!.rows().map((r) => r.path), ['p2/c.prompt']);
    // A search that no longer finds a file drops it; other roots are kept apart and can be dropped whole.
    t.engine.setFiles('file:///other', [], false);
    t.engine.setFiles(ROOT, [], false);
    assert.equal(t.engine.report(ROOT)!.size, 0);
    t.engine.keepRoots([ROOT]);
    assert.equal(t.engine.report('file:///other'), undefined);
  } finally {
    t.done();
  }
});

test('counting waits while the view is hidden and resumes where it stopped', async () => {
  const t = setup();
  try {
    for (const p of ['a.prompt', 'b.prompt', 'c.prompt']) t.write(p, p);
    t.engine.setFiles(ROOT, ['a.prompt', 'b.prompt', 'c.prompt'].map(t.ref), false);
    let budget = 1;
    await t.engine.drain(() => budget-- > 0);
    assert.equal(t.engine.pending, 2, 'one file, then the view was hidden');
    assert.equal(t.engine.report(ROOT)!.size, 1);
    await t.engine.drain(() => false);
    assert.equal(t.engine.pending, 2);
    await t.run();
    assert.equal(t.engine.report(ROOT)!.size, 3);
  } finally {
    t.done();
  }
});

test('a failing count or read lists the file with the reason and does not stop the others', async () => {
  const t = setup();
  try {
    t.write('a.prompt', 'a');
    t.write('b.prompt', 'b');
    const engine = new ReportEngine(
      {
        stat: async (key) => (key.endsWith('a.prompt') ? { size: 1, mtime: 1 } : { size: 1, mtime: 2 }),
        read: async (key) => {
          if (key.endsWith('a.prompt')) throw new Error('EACCES');
          return Buffer.from('b');
        },
        unsaved: () => undefined,
        count: async () => {
          throw new Error('worker gone');
        },
      },
      pricing('qwen-plus'),
      reasons,
      () => undefined,
    );
    engine.setFiles(ROOT, [t.ref('a.prompt'), t.ref('b.prompt')], false);
    await engine.drain(() => true);
    assert.deepEqual(engine.report(ROOT)!.skipped(), [
      { path: 'a.prompt', reason: 'unreadable EACCES' },
      { path: 'b.prompt', reason: 'failed worker gone' },
    ]);
  } finally {
    t.done();
  }
});
