import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBlock } from '../../../src/core/blocks';

const doc = ['# Title', 'intro line', '', '## Rules', '1. one', '2. two', '', 'para a', 'para b', '', '## Output', '```', '# not a heading', '```', 'end', ''];
const at = (line: number) => findBlock((i) => doc[i], doc.length, line);

test('a paragraph is the run of non-blank lines', () => {
  assert.deepEqual(at(7), { start: 7, end: 8, kind: 'paragraph' });
  assert.deepEqual(at(4), { start: 4, end: 5, kind: 'paragraph' });
  assert.equal(at(2), undefined, 'blank line');
  assert.equal(at(99), undefined);
});

test('a heading covers its section up to the next heading of the same or higher level', () => {
  assert.deepEqual(at(3), { start: 3, end: 8, kind: 'section' });
  assert.deepEqual(at(0), { start: 0, end: 14, kind: 'section' }, 'level 1 runs to the end, trailing blanks trimmed');
  assert.deepEqual(at(10), { start: 10, end: 14, kind: 'section' }, '"#" inside a code fence is not a heading');
  assert.deepEqual(at(12), { start: 11, end: 14, kind: 'paragraph' });
});
