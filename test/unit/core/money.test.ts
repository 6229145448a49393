import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatMoney, formatRate } from '../../../src/core/money';

test('tiny amounts keep two significant digits', () => {
  assert.equal(formatMoney(0.0012, 'CNY', 'en-US'), '¥0.0012');
  assert.equal(formatMoney(0.000034, 'USD', 'en-US'), '$0.000034');
  assert.equal(formatMoney(0.0000001234, 'USD', 'en-US'), '$0.00000012');
  assert.equal(formatMoney(0.25, 'USD', 'en-US'), '$0.25');
});

test('amounts from 1 up have two decimals and grouping', () => {
  assert.equal(formatMoney(1.5, 'CNY', 'en-US'), '¥1.50');
  assert.equal(formatMoney(1234.567, 'USD', 'en-US'), '$1,234.57');
});

test('zero and non-finite', () => {
  assert.equal(formatMoney(0, 'CNY', 'en-US'), '¥0');
  assert.equal(formatMoney(Number.NaN, 'CNY', 'en-US'), '—');
});

test('formats follow the display language', () => {
  assert.equal(formatMoney(0.0012, 'CNY', 'zh-CN'), '¥0.0012');
  assert.equal(formatCount(1234567, 'en-US'), '1,234,567');
  assert.equal(formatCount(1234567, 'de-DE'), '1.234.567');
  assert.equal(formatRate(0.0028, 'USD', 'en-US'), '$0.0028');
  assert.equal(formatRate(2.5, 'USD', 'en-US'), '$2.5');
});
