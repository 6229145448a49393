// The content key the Prompt Costs view uses to keep or drop cached counts: equal texts give equal keys, and any
// one-unit edit (the common case: a keystroke, a swapped character) gives a different one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { contentHash } from '../../../src/core/contentHash';

test('equal texts, equal keys; the key does not depend on how the string was built', () => {
  const a = '你好，世界。Hello world.\n'.repeat(100);
  const b = ['你好，世界。', 'Hello world.\n'].join('').repeat(100);
  assert.equal(contentHash(a), contentHash(b));
  assert.match(contentHash(''), /^0:[0-9a-f]{16}$/);
});

test('a one-unit change anywhere (replaced, inserted, removed, swapped) changes the key', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', minLength: 2, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 0xffff }), (s, at, d) => {
      const i = at % s.length;
      const replaced = s.slice(0, i) + String.fromCharCode((s.charCodeAt(i) + d) & 0xffff) + s.slice(i + 1);
      const variants = [replaced, s.slice(0, i) + s.slice(i + 1), s.slice(0, i) + 'x' + s.slice(i)];
      if (s[i] !== s[i + 1] && i + 1 < s.length) variants.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
      for (const v of variants) if (v !== s) assert.notEqual(contentHash(v), contentHash(s));
    }),
    { numRuns: 500 },
  );
});
