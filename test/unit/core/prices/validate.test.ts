import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validatePriceTable } from '../../../../src/core/prices/validate';
import { defaultModels, findModel, layerPriceTables } from '../../../../src/core/prices/priceTable';

const good = {
  id: 'my-model',
  vendor: 'Me',
  name: 'My Model',
  tokenizer: 'qwen',
  contextWindow: 32000,
  prices: [{ currency: 'CNY', input: 1, output: 2, effectiveDate: '2026-01-01', source: 'https://example.com/pricing' }],
};

function errorsFor(entry: unknown) {
  return validatePriceTable({ version: 1, models: [entry] }).errors;
}

test('a valid entry passes untouched', () => {
  const r = validatePriceTable({ version: 1, models: [good] });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.models, [good]);
});

test('a bare array of entries is accepted too', () => {
  assert.equal(validatePriceTable([good]).models.length, 1);
});

test('not a table at all', () => {
  for (const input of [null, 42, 'x', true, undefined]) {
    const r = validatePriceTable(input);
    assert.equal(r.models.length, 0);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /expected an array of model entries/);
  }
  assert.match(validatePriceTable({}).errors[0].message, /missing "models"/);
  assert.match(validatePriceTable({ version: 2, models: [] }).errors[0].message, /unsupported version 2/);
});

test('each bad field is named with its path, entry and reason', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ ...good, prices: [{ ...good.prices[0], input: -1 }] }, 'models[0].prices[0].input', /negative/],
    [{ ...good, prices: [{ ...good.prices[0], input: '1.5' }] }, 'models[0].prices[0].input', /must be a number, got a string \(remove the quotes\)/],
    [{ ...good, prices: [{ ...good.prices[0], output: null }] }, 'models[0].prices[0].output', /must be a number, got null/],
    [{ ...good, prices: [{ ...good.prices[0], input: 50000 }] }, 'models[0].prices[0].input', /sanity limit/],
    [{ ...good, prices: [{ ...good.prices[0], unit: 1000, input: 20 }] }, 'models[0].prices[0].input', /20000 per 1M tokens/],
    [{ ...good, prices: [{ ...good.prices[0], currency: 'EUR' }] }, 'models[0].prices[0].currency', /unknown currency "EUR"/],
    [{ ...good, prices: [{ ...good.prices[0], unit: 500 }] }, 'models[0].prices[0].unit', /must be one of/],
    [{ ...good, prices: [{ ...good.prices[0], effectiveDate: '2026-02-30' }] }, 'models[0].prices[0].effectiveDate', /not a calendar date/],
    [{ ...good, prices: [{ ...good.prices[0], effectiveDate: 'May 2024' }] }, 'models[0].prices[0].effectiveDate', /YYYY-MM-DD/],
    [{ ...good, prices: [{ ...good.prices[0], source: '' }] }, 'models[0].prices[0].source', /non-empty/],
    [{ ...good, prices: [{ ...good.prices[0], source: undefined }] }, 'models[0].prices[0].source', /missing "source"/],
    [{ ...good, prices: [{ ...good.prices[0], bogus: 1 }] }, 'models[0].prices[0].bogus', /unknown field/],
    [{ ...good, tokenizer: 'gpt-9' }, 'models[0].tokenizer', /unknown tokenizer "gpt-9"/],
    [{ ...good, contextWindow: 0 }, 'models[0].contextWindow', /whole number of tokens/],
    [{ ...good, contextWindow: 1.5 }, 'models[0].contextWindow', /whole number of tokens/],
    [{ ...good, vendor: undefined }, 'models[0].vendor', /missing "vendor"/],
    [{ ...good, id: 7 }, 'models[0].id', /non-empty string, got a number/],
    [{ ...good, prices: [] }, 'models[0].prices', /non-empty/],
    [{ ...good, prices: 'cheap' }, 'models[0].prices', /non-empty array/],
    [{ ...good, prices: [good.prices[0], good.prices[0]] }, 'models[0].prices[1].currency', /second CNY price list/],
  ];
  for (const [entry, path, message] of cases) {
    const errors = errorsFor(entry);
    assert.ok(errors.length >= 1, `expected an error at ${path}`);
    const e = errors.find((x) => x.path === path);
    assert.ok(e, `no error at ${path}: ${JSON.stringify(errors)}`);
    assert.match(e.message, message);
    if (typeof (entry as { id?: unknown }).id === 'string') assert.equal(e.model, 'my-model');
  }
});

test('NaN and Infinity (possible from JavaScript callers) are rejected', () => {
  assert.match(errorsFor({ ...good, prices: [{ ...good.prices[0], input: Number.NaN }] })[0].message, /finite/);
  assert.match(errorsFor({ ...good, prices: [{ ...good.prices[0], output: Infinity }] })[0].message, /finite/);
});

test('valid entries survive next to invalid ones; duplicates keep the first', () => {
  const r = validatePriceTable({
    models: [good, { ...good, id: 'bad', contextWindow: -5 }, { ...good, id: 'second' }, { ...good, name: 'dup' }, 'junk'],
  });
  assert.deepEqual(r.models.map((m) => m.id), ['my-model', 'second']);
  assert.equal(r.models[0].name, 'My Model');
  assert.deepEqual(r.errors.map((e) => e.path), ['models[1].contextWindow', 'models[3].id', 'models[4]']);
  assert.match(r.errors[1].message, /duplicate id "my-model"/);
});

test('bad optional parts are dropped alone: history points, tiers, off-peak windows', () => {
  const r = validatePriceTable([
    {
      ...good,
      prices: [
        {
          ...good.prices[0],
          tiers: [{ above: 32000, input: 2, output: 4 }, { above: 1000, input: 3, output: 6 }, { above: 64000, input: 'x', output: 1 }],
          offPeak: [
            { timezone: 'Asia/Shanghai', start: '00:30', end: '08:30', multiplier: 0.5 },
            { timezone: 'Mars/Olympus', start: '00:30', end: '08:30', multiplier: 0.5 },
            { timezone: 'UTC', start: '25:00', end: '08:30', multiplier: 0.5 },
            { timezone: 'UTC', start: '01:00', end: '02:00' },
            { timezone: 'UTC', start: '01:00', end: '02:00', multiplier: 0.5, days: [0] },
          ],
        },
      ],
      history: [{ ...good.prices[0], label: 'v1' }, { ...good.prices[0], input: -3 }],
    },
  ]);
  assert.equal(r.models.length, 1);
  const list = r.models[0].prices[0];
  assert.deepEqual(list.tiers?.map((t) => t.above), [32000]);
  assert.equal(list.offPeak?.length, 1);
  assert.equal(r.models[0].history?.length, 1);
  assert.equal(r.models[0].history?.[0].label, 'v1');
  const paths = r.errors.map((e) => e.path);
  assert.deepEqual(paths, [
    'models[0].prices[0].tiers[1].above',
    'models[0].prices[0].tiers[2].input',
    'models[0].prices[0].offPeak[1].timezone',
    'models[0].prices[0].offPeak[2].start',
    'models[0].prices[0].offPeak[3].multiplier',
    'models[0].prices[0].offPeak[4].days',
    'models[0].history[1].input',
  ]);
  assert.match(r.errors[0].message, /tiers must rise/);
});

test('an override inherits what it leaves out from the model it replaces', () => {
  const base = defaultModels();
  const target = base.find((m) => m.prices.some((p) => p.currency === 'CNY'))!;
  const t = layerPriceTables([
    { origin: 'user settings', input: [{ id: target.id, prices: [{ currency: 'CNY', input: 0.123, output: 0.456, effectiveDate: '2026-11-01', source: 'my contract' }] }] },
  ]);
  assert.deepEqual(t.errors, []);
  const m = findModel(t.models, target.id)!;
  assert.equal(m.vendor, target.vendor);
  assert.equal(m.tokenizer, target.tokenizer);
  assert.equal(m.prices[0].input, 0.123);
  assert.equal(t.models.length, base.length, 'replaced, not added');
});

test('broken layers never lose the defaults', () => {
  const base = defaultModels();
  const t = layerPriceTables([
    { origin: 'workspace', input: 'not json at all' },
    { origin: 'user', input: { models: [{ id: 'x' }] } },
  ]);
  assert.equal(t.models.length, base.length);
  assert.ok(t.errors.every((e) => e.origin === 'workspace' || e.origin === 'user'));
  assert.ok(t.errors.length >= 4);
});

test('never throws on arbitrary JSON, and every returned model is usable', () => {
  const entry = fc.record(
    {
      id: fc.oneof(fc.string(), fc.constant('my-model'), fc.integer()),
      vendor: fc.oneof(fc.string(), fc.constant('V')),
      tokenizer: fc.oneof(fc.constantFrom('qwen', 'o200k_base', 'estimate:claude', 'nope'), fc.string()),
      contextWindow: fc.oneof(fc.integer(), fc.double(), fc.string()),
      prices: fc.oneof(
        fc.array(
          fc.record(
            {
              currency: fc.constantFrom('CNY', 'USD', 'EUR', 1),
              input: fc.oneof(fc.double(), fc.integer(), fc.string()),
              output: fc.oneof(fc.double(), fc.integer()),
              unit: fc.constantFrom(1000, 10000, 1000000, 7),
              effectiveDate: fc.oneof(fc.constant('2026-01-01'), fc.string()),
              source: fc.string(),
              tiers: fc.jsonValue(),
              offPeak: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        fc.jsonValue(),
      ),
      history: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.array(entry, { maxLength: 5 }), fc.record({ models: fc.array(entry, { maxLength: 5 }) })), (input) => {
      const r = validatePriceTable(input);
      for (const m of r.models) {
        assert.equal(typeof m.id, 'string');
        assert.ok(m.contextWindow > 0);
        for (const p of m.prices) assert.ok(Number.isFinite(p.input) && p.input >= 0 && Number.isFinite(p.output) && p.output >= 0);
      }
      for (const e of r.errors) assert.equal(typeof e.message, 'string');
    }),
    { numRuns: 2000, seed: 5 },
  );
});

test('checked dates and scheduled lists: kept when valid, reported with their path when not', () => {
  const list = { ...good.prices[0], checked: '2026-11-30' };
  const later = { ...good.prices[0], input: 2, effectiveDate: '2027-01-01', label: 'after the promotion' };
  const r = validatePriceTable({ version: 1, models: [{ ...good, prices: [list], scheduled: [later] }] });
  assert.deepEqual(r.errors, []);
  assert.equal(r.models[0].prices[0].checked, '2026-11-30');
  assert.deepEqual(r.models[0].scheduled, [later]);

  const bad = validatePriceTable({
    version: 1,
    models: [{ ...good, prices: [{ ...list, checked: '2026-02-30' }] }, { ...good, id: 'b', scheduled: [{ ...later, checked: 'yesterday' }, later] }, { ...good, id: 'c', scheduled: 'soon' }],
  });
  assert.deepEqual(bad.errors.map((e) => e.path), ['models[0].prices[0].checked', 'models[1].scheduled[0].checked', 'models[2].scheduled']);
  // A bad checked date on a current list loses the model (as any bad current list does); a bad scheduled point only itself.
  assert.deepEqual(bad.models.map((m) => [m.id, m.scheduled?.length]), [['b', 1], ['c', undefined]]);
});

test('a promotion cannot end before it starts', () => {
  const errs = errorsFor({ ...good, prices: [{ ...good.prices[0], validUntil: '2025-12-31' }] });
  assert.deepEqual(errs.map((e) => e.path), ['models[0].prices[0].validUntil']);
  assert.match(errs[0].message, /before it starts/);
});
