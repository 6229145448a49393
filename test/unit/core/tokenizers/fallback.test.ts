// A tokenizer table that cannot be loaded (a damaged install) gives a rough estimate, flagged, instead of an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { TokenCounter, roughTokens } from '../../../../src/core/tokenizers/tokenCounter';
import { DocumentCounter } from '../../../../src/core/incremental/documentCounter';
import { ChunkedText } from '../../../../src/core/incremental/chunkedText';
import { ExactTokenizers } from '../../../../src/core/tokenizers/exactTokenizers';
import { TABLE_DIR } from '../../../fixtures/tableDir';

/** A table folder where qwen.bin is missing and deepseek-v3.bin is garbage. */
function brokenTables(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tc-tables-'));
  for (const id of ['cl100k_base', 'o200k_base']) copyFileSync(join(TABLE_DIR, `${id}.bin`), join(dir, `${id}.bin`));
  writeFileSync(join(dir, 'deepseek-v3.bin'), 'not a table');
  return dir;
}

const TEXT = '你好，世界。Hello world!\nSecond line 第二行\n';

test('a missing or damaged table gives a flagged rough estimate; others stay exact', () => {
  const dir = brokenTables();
  for (const counter of [new TokenCounter(dir), { count: (id: Parameters<TokenCounter['count']>[0], t: string) => new DocumentCounter(dir).count(new ChunkedText(t), id) }]) {
    const qwen = counter.count('qwen', TEXT);
    assert.equal(qwen.exact, false);
    assert.match(qwen.fallback ?? '', /the qwen tokenizer could not be loaded/);
    assert.equal(qwen.tokens, roughTokens(7, [...TEXT].length - 7));
    // An estimate whose proxy table is damaged says which table and why.
    const ds = counter.count('estimate:deepseek', TEXT);
    assert.match(ds.fallback ?? '', /deepseek-v3.*not a Token Cost rank table/);
    const o200k = counter.count('o200k_base', TEXT);
    assert.equal(o200k.exact, true);
    assert.equal(o200k.fallback, undefined);
  }
});

test('a failed load is remembered until release()', () => {
  const t = new ExactTokenizers(brokenTables());
  assert.throws(() => t.get('qwen'), /could not be loaded/);
  const again = (() => {
    try {
      t.get('qwen');
    } catch (e) {
      return e;
    }
  })();
  assert.throws(() => t.get('qwen'), (e) => e === again);
  t.release();
  assert.throws(() => t.get('qwen'), (e) => e !== again);
});
