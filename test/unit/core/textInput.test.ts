import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countCharacters, decodeText } from '../../../src/core/textInput';

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
