import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText, countCharacters, decodeText, looksBinary, utf8Length } from '../../../src/core/textInput';

test('UTF-8 decodes, a leading BOM is dropped, invalid bytes are flagged', () => {
  const ok = decodeText(new TextEncoder().encode('\ufeff你好'));
  assert.deepEqual(ok, { ok: true, text: '你好', invalidUtf8: false });
  const bad = decodeText(new Uint8Array([0x61, 0xff, 0x62]));
  assert.deepEqual(bad, { ok: true, text: 'a\ufffdb', invalidUtf8: true });
});

test('NUL bytes mean binary; a size limit is enforced', () => {
  const bin = decodeText(new Uint8Array([0x61, 0, 0x62]));
  assert.equal(bin.ok, false);
  assert.equal(!bin.ok && bin.reason, 'binary');
  const big = decodeText(new Uint8Array(2048), 1024);
  assert.equal(!big.ok && big.reason, 'too-large');
  assert.match(!big.ok ? big.message : '', /2\.0 KB is above the 1\.0 KB limit/);
});

test('characters are code points', () => {
  assert.equal(countCharacters('a中𠀀😀'), 4);
  assert.equal(countCharacters('\ud800'), 1);
});

test('utf8Length equals TextEncoder on any text, lone surrogates included', () => {
  const samples = ['', 'abc', 'é', '中文', '😀', 'a\ud800b', '\udc00', 'x\ud83d', '\u0000'];
  for (let i = 0; i < 300; i++) {
    let s = '';
    for (let j = 0; j < 20; j++) s += String.fromCharCode(Math.floor(Math.random() * 0x10000));
    samples.push(s);
  }
  for (const s of samples) assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
});

test('checkText: too large by length alone without reading, by UTF-8 size, and binary', () => {
  let reads = 0;
  const read = (s: string) => () => (reads++, s);
  assert.deepEqual(checkText(11, read('x'.repeat(11)), 10), { ok: false, reason: 'too-large', bytes: 11 });
  assert.equal(reads, 0, 'the length decided alone');
  assert.deepEqual(checkText(4, read('中中中中'), 10), { ok: false, reason: 'too-large', bytes: 12 });
  assert.deepEqual(checkText(3, read('a\u0000b'), 10), { ok: false, reason: 'binary', bytes: 3 });
  assert.deepEqual(checkText(3, read('abc'), 10), { ok: true });
  assert.equal(looksBinary('a\u0000'), true);
});
