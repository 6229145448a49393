// The shared merge queue: any interleaving of pushes and pops yields keys in ascending order, so equal ranks come
// out leftmost first (the packed position breaks ties), as both merge loops rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { heapPop, heapPush } from '../../../../src/core/tokenizers/pairHeap';

test('pushes and pops in any order pop the smallest key, ties by position', () => {
  const op = fc.oneof(fc.record({ rank: fc.integer({ min: 0, max: 20 }), pos: fc.integer({ min: 0, max: 1000 }) }), fc.constant(null));
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const a = new Float64Array(ops.length + 1);
      let size = 0;
      const model: number[] = [];
      for (const o of ops) {
        if (o) {
          const v = o.rank * 4294967296 + o.pos;
          size = heapPush(a, size, v);
          model.push(v);
        } else if (size > 0) {
          model.sort((x, y) => x - y);
          assert.equal(a[0], model.shift());
          size = heapPop(a, size);
        }
      }
      assert.equal(size, model.length);
    }),
    { seed: 20261204, numRuns: 300 },
  );
});
