import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTree } from 'jsonc-parser';
import { nodeForPath } from '../../../../src/core/prices/jsonLocation';

const text = `{
  // a comment
  "version": 1,
  "models": [
    { "id": "a", "prices": [ { "currency": "CNY", "input": -1 } ] }
  ]
}`;
const root = parseTree(text)!;
const at = (p: string) => {
  const n = nodeForPath(root, p)!;
  return text.slice(n.offset, n.offset + n.length);
};

test('an error path points at its property in the file', () => {
  assert.equal(at('models[0].prices[0].input'), '"input": -1');
  assert.equal(at('models[0].id'), '"id": "a"');
});

test('a missing field points at the object that lacks it', () => {
  assert.match(at('models[0].prices[0].output'), /^\{ "currency": "CNY", "input": -1 \}$/);
  assert.match(at('models[0].vendor'), /^\{ "id": "a"/);
});

test('a bare array of models: paths starting at models[] still resolve', () => {
  const arr = '[ { "id": "x", "tokenizer": "nope" } ]';
  const n = nodeForPath(parseTree(arr)!, 'models[0].tokenizer')!;
  assert.equal(arr.slice(n.offset, n.offset + n.length), '"tokenizer": "nope"');
});
