import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPriceTable, CHECK_MAX_AGE_DAYS, fxConversionRate } from '../../../../src/core/prices/check';
import type { PriceList } from '../../../../src/core/prices/types';

const TODAY = new Date('2026-12-03T09:00:00Z');
const list = (currency: 'CNY' | 'USD', input: number, output: number, extra: Partial<PriceList> = {}): PriceList => ({
  currency,
  input,
  output,
  effectiveDate: '2026-06-01',
  source: `https://vendor.example/${currency}`,
  checked: '2026-11-30',
  ...extra,
});
const entry = (id: string, prices: PriceList[], extra: Record<string, unknown> = {}) => ({ id, vendor: 'V', name: id, tokenizer: 'qwen', contextWindow: 1000, prices, ...extra });
const table = (...models: unknown[]) => ({ version: 1, updated: '2026-12-01', models });
const rules = (input: unknown) => checkPriceTable(input, TODAY).failures.map((f) => `${f.rule} ${f.path}`);

test('a clean table passes, with a summary line', () => {
  const r = checkPriceTable(table(entry('a', [list('USD', 1, 2, { cachedInput: 0.1 })]), entry('b', [list('CNY', 2, 8, { cachedInput: 0.2 })])), TODAY);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.lines, ['2 models checked as of 2026-12-03: 0 failures, 0 waived, 0 notes.']);
});

test('validator errors fail', () => {
  assert.deepEqual(rules(table(entry('a', [list('USD', -1, 2)]))), ['invalid models[0].prices[0].input']);
});

test(`checked: missing, older than ${CHECK_MAX_AGE_DAYS} days, or in the future (current and scheduled lists; not history)`, () => {
  const old = list('USD', 1, 2, { checked: '2026-10-18' }); // 46 days before 2026-12-03
  const edge = list('CNY', 7, 14, { checked: '2026-10-19' }); // 45 days: still fine
  assert.deepEqual(rules(table(entry('a', [old, edge]))), ['checked-stale models[0].prices[0].checked']);
  const { checked: _omit, ...unchecked } = list('USD', 1, 2);
  void _omit;
  assert.deepEqual(rules(table(entry('a', [unchecked as PriceList], { history: [{ ...unchecked, effectiveDate: '2025-01-01' }] }))), ['checked-missing models[0].prices[0].checked']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2, { checked: '2026-12-04' })]))), ['checked-future models[0].prices[0].checked']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { scheduled: [{ ...unchecked, effectiveDate: '2027-01-01' }] }))), ['checked-missing models[0].scheduled[0].checked']);
});

test('promotions past validUntil, scheduled lists now due, and lists that take effect after today', () => {
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2, { validUntil: '2026-12-02' })]))), ['promotion-expired models[0].prices[0].validUntil']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2, { validUntil: '2026-12-03' })]))), []); // ends today: still on
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2, { effectiveDate: '2026-12-04' })]))), ['future-effective models[0].prices[0].effectiveDate']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { scheduled: [list('USD', 2, 4, { effectiveDate: '2026-12-03' })] }))), ['scheduled-due models[0].scheduled[0].effectiveDate']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { scheduled: [list('USD', 2, 4, { effectiveDate: '2026-12-04' })] }))), []);
});

test('history out of order, or dated after the current list in its currency', () => {
  const h = (d: string, currency: 'CNY' | 'USD' = 'USD') => list(currency, 1, 2, { effectiveDate: d });
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { history: [h('2025-05-01'), h('2025-01-01')] }))), ['history-order models[0].history[1].effectiveDate']);
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { history: [h('2025-05-01'), h('2026-07-01')] }))), ['history-order models[0].history[1].effectiveDate']);
  // A later list in the other currency is how one-currency changes look: not an ordering error.
  assert.deepEqual(rules(table(entry('a', [list('USD', 1, 2)], { history: [h('2025-05-01'), h('2026-07-01', 'CNY')] }))), []);
});

test('fx rule: an exact conversion at one rate on every price, in either direction, at 3 significant digits or more', () => {
  // ¥1 / ¥2 and $0.14 / $0.28: 0.14 × R and 0.28 × R both round to 1.00 and 2.00 for R ≈ 7.14.
  assert.ok(fxConversionRate(list('USD', 0.14, 0.28), list('CNY', 1, 2)));
  // USD derived from CNY at 7.2 and rounded to 4 digits: $0.2778 / $1.111 from ¥2 / ¥8.
  assert.ok(Math.abs((fxConversionRate(list('USD', 0.2778, 1.111), list('CNY', 2, 8)) ?? 0) - 7.2) < 0.001);
  // Per-1K CNY against per-1M USD is compared per 1M.
  assert.ok(fxConversionRate(list('USD', 0.3, 1.2), list('CNY', 0.00216, 0.00864, { unit: 1000 })));
  // DeepSeek V3's 2025 pair (¥2 / ¥8, $0.27 / $1.10): 7.41 and 7.27, no single rate.
  assert.equal(fxConversionRate(list('USD', 0.27, 1.1), list('CNY', 2, 8)), undefined);
  // Proportional but outside 6.8–7.4 (a vendor's own round prices): $0.30 / $1.20 and ¥2 / ¥8 is 6.67.
  assert.equal(fxConversionRate(list('USD', 0.3, 1.2), list('CNY', 2, 8)), undefined);
  // Input matches, output does not: not a conversion.
  assert.equal(fxConversionRate(list('USD', 0.14, 0.3), list('CNY', 1, 2)), undefined);
  // A cache price that breaks the pattern clears the pair; one matching price alone is too little evidence.
  assert.equal(fxConversionRate(list('USD', 0.14, 0.28, { cachedInput: 0.05 }), list('CNY', 1, 2, { cachedInput: 0.1 })), undefined);
  assert.equal(fxConversionRate(list('USD', 0, 0.28), list('CNY', 0, 2)), undefined);
});

test('fx rule: fails when both lists cite one source, a note when each has its own', () => {
  const same = { source: 'https://aggregator.example/models' };
  const r = checkPriceTable(table(entry('a', [list('USD', 0.14, 0.28, same), list('CNY', 1, 2, same)])), TODAY);
  assert.deepEqual(r.failures.map((f) => f.rule), ['fx-conversion']);
  const own = checkPriceTable(table(entry('a', [list('USD', 0.3, 1.2), list('CNY', 2.1, 8.4)])), TODAY);
  assert.deepEqual(own.failures, []);
  assert.deepEqual(own.findings.map((f) => [f.rule, f.note]), [['fx-conversion', true]]);
  assert.match(own.lines[0], /^note {2}fx-conversion {2}models\[0\]\.prices \(a\): .*≈7\.0000 CNY\/USD/);
});

test('cache heuristic: a model without a cache price set after its vendor started pricing cache hits', () => {
  const cached = entry('new', [list('USD', 1, 2, { cachedInput: 0.1, effectiveDate: '2025-10-01' })]);
  const older = entry('old', [list('USD', 1, 2, { effectiveDate: '2024-01-01' })]);
  const newer = entry('later', [list('USD', 1, 2, { effectiveDate: '2026-01-01' })]);
  const other = entry('elsewhere', [list('USD', 1, 2)], { vendor: 'W' });
  assert.deepEqual(rules(table(cached, older, newer, other)), ['cache-missing models[2].prices']);
});

test('waivers acknowledge heuristic findings with a reason; unknown, unwaivable or unused waivers fail', () => {
  const newer = entry('later', [list('USD', 1, 2)]);
  const cached = entry('new', [list('USD', 1, 2, { cachedInput: 0.1, effectiveDate: '2025-10-01' })]);
  const waived = checkPriceTable({ ...table(cached, newer), checkWaivers: [{ model: 'later', rule: 'cache-missing', reason: 'vendor page lists no cache price for it' }] }, TODAY);
  assert.deepEqual(waived.failures, []);
  assert.match(waived.lines[0], /^waived {2}cache-missing .* — waived: vendor page lists no cache price for it$/);
  const bad = checkPriceTable(
    {
      ...table(cached),
      checkWaivers: [
        { model: 'new', rule: 'cache-missing', reason: 'x' },
        { model: 'new', rule: 'checked-stale', reason: 'x' },
        { model: 'new', rule: 'cache-missing', reason: '' },
      ],
    },
    TODAY,
  );
  assert.deepEqual(bad.failures.map((f) => f.path), ['checkWaivers[0]', 'checkWaivers[1].rule', 'checkWaivers[2]']);
});

test('npm run prices:check prints the findings and exits 1 on failures, 0 with --warn-only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-check-'));
  const file = join(dir, 'table.json');
  writeFileSync(file, JSON.stringify(table(entry('a', [list('USD', 1, 2, { checked: '2020-01-01' })]))));
  const script = join(__dirname, '../../../prices-check.ts');
  const run = (...args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' }) };
    } catch (e) {
      const err = e as { status: number; stdout: string };
      return { code: err.status, out: err.stdout };
    }
  };
  const failing = run(file);
  assert.equal(failing.code, 1);
  assert.match(failing.out, /FAIL {2}checked-stale {2}models\[0\]\.prices\[0\]\.checked \(a\)/);
  assert.equal(run('--warn-only', file).code, 0);
});
