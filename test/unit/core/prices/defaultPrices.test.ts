// Checks the shipped default price table against its JSON Schema and against the requirements of the price-war
// history (issue: default price table). Run: node --import tsx --test test/unit/default-prices.test.ts
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { HistoricalPrice, ModelEntry, OffPeakWindow, PriceList, PriceTable } from '../../../../src/core/prices/types';
import { CURRENCIES, ESTIMATE_TOKENIZER_IDS, EXACT_TOKENIZER_IDS, PRICE_UNITS } from '../../../../src/core/prices/types';

const PRICES_DIR = join(__dirname, '../../../../src/core/prices');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(PRICES_DIR, file), 'utf8'));
const table = readJson('default-prices.json') as PriceTable;
const schema = readJson('price-table.schema.json') as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);

const VENDORS = [
  'DeepSeek', 'Alibaba Qwen', 'ByteDance Doubao', 'Zhipu GLM', 'Baidu ERNIE', 'Tencent Hunyuan', 'iFlytek Spark',
  'Moonshot Kimi', 'MiniMax', '01.AI Yi', 'Baichuan', 'StepFun', 'OpenAI', 'Anthropic', 'Google', 'xAI', 'Mistral',
];

type AnyList = PriceList | HistoricalPrice;
const allLists = (m: ModelEntry): AnyList[] => [...(m.history ?? []), ...m.prices];
const everyList = (): Array<{ model: ModelEntry; list: AnyList; where: string }> =>
  table.models.flatMap((model) => [
    ...model.prices.map((list, i) => ({ model, list, where: `${model.id} prices[${i}]` })),
    ...(model.history ?? []).map((list, i) => ({ model, list, where: `${model.id} history[${i}]` })),
  ]);

function model(idOrAlias: string): ModelEntry {
  const found = table.models.find((m) => m.id === idOrAlias || (m.aliases ?? []).includes(idOrAlias));
  assert.ok(found, `model ${idOrAlias} is missing`);
  return found;
}

/** Price per 1M tokens, whatever unit the list was published in. */
const perMillion = (list: AnyList, price: number): number => (price * 1_000_000) / (list.unit ?? 1_000_000);
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

interface Expected {
  currency: 'CNY' | 'USD';
  input: number;
  output: number;
  unit?: 1000 | 10000 | 1000000;
}

/** Finds a price point (history or a current list) dated in 2024 with the published values. */
function find2024(idOrAlias: string, e: Expected): AnyList {
  const m = model(idOrAlias);
  const hit = allLists(m).find(
    (l) =>
      l.effectiveDate.startsWith('2024-') &&
      l.currency === e.currency &&
      (e.unit === undefined || (l.unit ?? 1_000_000) === e.unit) &&
      close(perMillion(l, l.input), (e.input * 1_000_000) / (e.unit ?? 1_000_000)) &&
      close(perMillion(l, l.output), (e.output * 1_000_000) / (e.unit ?? 1_000_000)),
  );
  assert.ok(hit, `${idOrAlias}: no 2024 ${e.currency} point ${e.input}/${e.output} per ${e.unit ?? 1_000_000}`);
  return hit;
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Local weekday (1 = Monday) and minute of day of an instant in an IANA zone. */
function localTime(instant: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(instant);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { day, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** Whether an off-peak window covers an instant (days = weekday on which the window starts). */
function inWindow(w: OffPeakWindow, instant: Date): boolean {
  const { day, minute } = localTime(instant, w.timezone);
  const start = minutes(w.start);
  const end = minutes(w.end);
  const days = w.days ?? [1, 2, 3, 4, 5, 6, 7];
  if (end > start) return days.includes(day) && minute >= start && minute < end;
  const previousDay = day === 1 ? 7 : day - 1;
  return (days.includes(day) && minute >= start) || (days.includes(previousDay) && minute < end);
}

/** Effective input price multiplier of a list at an instant: 1 at list (peak) price, else the window's multiplier. */
function inputFactor(list: AnyList, instant: Date): number {
  const hits = (list.offPeak ?? []).filter((w) => inWindow(w, instant));
  assert.ok(hits.length <= 1, `overlapping off-peak windows at ${instant.toISOString()}`);
  const w = hits[0];
  if (!w) return 1;
  return w.multiplier ?? (w.input ?? list.input) / list.input;
}

describe('default price table: schema', () => {
  it('validates against price-table.schema.json with ajv', () => {
    const ok = validate(table);
    assert.equal(ok, true, JSON.stringify(validate.errors, null, 2));
  });

  it('is a draft-07 schema with a description on every property', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const obj = node as Record<string, unknown>;
      const props = obj.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, sub] of Object.entries(props ?? {})) {
        if (typeof sub.description !== 'string' || sub.description.length === 0) missing.push(`${path}.${key}`);
        walk(sub, `${path}.${key}`);
      }
      for (const [key, sub] of Object.entries((obj.definitions as Record<string, unknown>) ?? {})) walk(sub, key);
      if (obj.items) walk(obj.items, `${path}[]`);
    };
    walk(schema, '#');
    assert.deepEqual(missing, []);
  });

  it('uses the enums of types.ts', () => {
    const defs = schema.definitions as Record<string, { properties: Record<string, { enum?: unknown[] }> }>;
    assert.deepEqual(defs.PriceList!.properties.currency!.enum, [...CURRENCIES]);
    assert.deepEqual(defs.PriceList!.properties.unit!.enum, [...PRICE_UNITS]);
    assert.deepEqual(defs.ModelEntry!.properties.tokenizer!.enum, [...EXACT_TOKENIZER_IDS, ...ESTIMATE_TOKENIZER_IDS]);
  });

  it('accepts a partial user price file', () => {
    const user = {
      $schema: './price-table.schema.json',
      version: 1,
      models: [{ id: 'my-model', vendor: 'Me', name: 'Mine', tokenizer: 'qwen', contextWindow: 8192, prices: [{ currency: 'CNY', unit: 1000, input: 0.0028, output: 0.01, effectiveDate: '2026-01-01', source: 'contract' }] }],
    };
    assert.equal(validate(user), true, JSON.stringify(validate.errors));
  });

  it('accepts checked dates and scheduled lists, and rejects a malformed checked date', () => {
    const list = { currency: 'USD', input: 1, output: 4, effectiveDate: '2026-01-01', validUntil: '2026-12-31', source: 'https://example.com/pricing', checked: '2026-11-30' };
    const later = { currency: 'USD', input: 2, output: 8, effectiveDate: '2027-01-01', source: 'https://example.com/pricing', checked: '2026-11-30', label: 'list price' };
    const user = { version: 1, models: [{ id: 'm', vendor: 'Me', name: 'M', tokenizer: 'estimate:xai', contextWindow: 8192, prices: [list], scheduled: [later] }] };
    assert.equal(validate(user), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...user, models: [{ ...user.models[0], prices: [{ ...list, checked: '30/11/2026' }] }] }), false);
  });

  const entry = () => structuredClone(table.models.find((m) => m.id === 'deepseek-flash')!) as unknown as Record<string, any>;
  const rejects: Array<[string, (m: Record<string, any>) => void]> = [
    ['an unknown property', (m) => { m.colour = 'blue'; }],
    ['an unknown price-list property', (m) => { m.prices[0].discount = 0.1; }],
    ['a negative price', (m) => { m.prices[0].input = -1; }],
    ['a bad currency', (m) => { m.prices[0].currency = 'EUR'; }],
    ['a bad unit', (m) => { m.prices[0].unit = 100; }],
    ['a bad tokenizer', (m) => { m.tokenizer = 'gpt2'; }],
    ['a non-ISO effectiveDate', (m) => { m.prices[0].effectiveDate = '2026/09/10'; }],
    ['a missing source', (m) => { delete m.prices[0].source; }],
    ['a missing effectiveDate in history', (m) => { delete m.history[0].effectiveDate; }],
    ['a bad HH:MM', (m) => { m.prices[0].offPeak[0].start = '24:00'; }],
    ['a weekday 0', (m) => { m.prices[0].offPeak[0].days = [0]; }],
    ['a window without multiplier or prices', (m) => { delete m.prices[0].offPeak[0].multiplier; }],
    ['a zero tier threshold', (m) => { m.prices[0].tiers = [{ above: 0, input: 1, output: 1 }]; }],
    ['a missing contextWindow', (m) => { delete m.contextWindow; }],
    ['empty prices without history', (m) => { m.prices = []; delete m.history; }],
  ];
  for (const [what, mutate] of rejects) {
    it(`rejects ${what}`, () => {
      const m = entry();
      mutate(m);
      assert.equal(validate({ version: 1, models: [m] }), false);
    });
  }

  it('rejects version 2', () => {
    assert.equal(validate({ version: 2, models: [] }), false);
  });
});

describe('default price table: sources and dates', () => {
  it('every price list (current and history) has a source and a valid effectiveDate', () => {
    for (const { list, where } of everyList()) {
      assert.equal(typeof list.source, 'string', `${where}: source`);
      assert.ok(list.source.trim().length > 5, `${where}: source is empty`);
      assert.ok(isIsoDate(list.effectiveDate), `${where}: effectiveDate ${list.effectiveDate}`);
      if (list.validUntil !== undefined) {
        assert.ok(isIsoDate(list.validUntil), `${where}: validUntil`);
        assert.ok(list.validUntil >= list.effectiveDate, `${where}: validUntil before effectiveDate`);
      }
      assert.ok(list.effectiveDate <= (table.updated ?? '9999-12-31'), `${where}: effectiveDate after table.updated`);
    }
  });

  it('history is oldest first and older than the current lists of the same currency', () => {
    for (const m of table.models) {
      const h = m.history ?? [];
      for (let i = 1; i < h.length; i++) assert.ok(h[i - 1]!.effectiveDate <= h[i]!.effectiveDate, `${m.id}: history order`);
      for (const p of m.prices) {
        for (const old of h.filter((x) => x.currency === p.currency)) {
          assert.ok(old.effectiveDate <= p.effectiveDate, `${m.id}: ${p.currency} history newer than current`);
        }
      }
    }
  });

  it('has at most one current list per currency', () => {
    for (const m of table.models) {
      const currencies = m.prices.map((p) => p.currency);
      assert.equal(new Set(currencies).size, currencies.length, m.id);
    }
  });
});

describe('default price table: coverage', () => {
  it('has at least 40 current models across at least 14 vendors', () => {
    const current = table.models.filter((m) => m.prices.length > 0);
    assert.ok(current.length >= 40, `only ${current.length} current models`);
    const vendors = new Set(current.map((m) => m.vendor));
    assert.ok(vendors.size >= 14, `only ${vendors.size} vendors with current prices`);
  });

  it('uses the agreed vendor display names and every vendor has a current model', () => {
    for (const m of table.models) assert.ok(VENDORS.includes(m.vendor), `${m.id}: vendor "${m.vendor}"`);
    for (const v of VENDORS) assert.ok(table.models.some((m) => m.vendor === v && m.prices.length > 0), `${v} has no current model`);
  });

  it('has unique ids and aliases across the table', () => {
    const names = table.models.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    assert.deepEqual(dupes, []);
  });

  it('gives every model a positive integer context window', () => {
    for (const m of table.models) assert.ok(Number.isInteger(m.contextWindow) && m.contextWindow > 0, m.id);
  });
});

describe('default price table: 2024 price war', () => {
  it('DeepSeek: deepseek-chat chain V2 -> V3 -> current', () => {
    const m = model('deepseek-chat');
    const v2 = find2024('deepseek-chat', { currency: 'CNY', input: 1, output: 2 });
    assert.ok(v2.effectiveDate < '2024-08-02');
    const labels = (m.history ?? []).map((h) => h.label ?? '');
    assert.ok(labels.some((l) => l.includes('V2')) && labels.some((l) => l.includes('V3')), 'V2 and V3 history labels');
    const v3 = (m.history ?? []).find((h) => h.currency === 'USD' && h.input === 0.27);
    assert.ok(v3, 'V3 USD 0.27/1.1');
    assert.equal(v3.output, 1.1);
    const cny = m.prices.find((p) => p.currency === 'CNY');
    const usd = m.prices.find((p) => p.currency === 'USD');
    assert.ok(cny && usd, 'current CNY and USD lists');
    assert.equal(cny.input, 2);
    assert.equal(usd.input, 0.3);
  });

  it('Qwen: qwen-long, qwen-turbo, qwen-plus, qwen-max 2024 prices and current prices', () => {
    const long = find2024('qwen-long', { currency: 'CNY', unit: 1000, input: 0.0005, output: 0.002 });
    assert.equal(long.unit, 1000, 'qwen-long is kept as published per 1K');
    assert.equal(long.input, 0.0005);
    find2024('qwen-turbo', { currency: 'CNY', input: 2, output: 6 });
    find2024('qwen-turbo', { currency: 'CNY', unit: 1000, input: 0.0003, output: 0.0006 });
    find2024('qwen-plus', { currency: 'CNY', input: 4, output: 12 });
    find2024('qwen-plus', { currency: 'CNY', unit: 1000, input: 0.0008, output: 0.002 });
    find2024('qwen-max', { currency: 'CNY', input: 40, output: 120 });
    find2024('qwen-max', { currency: 'CNY', unit: 1000, input: 0.02, output: 0.06 });
    for (const id of ['qwen-long', 'qwen-turbo', 'qwen-plus', 'qwen-max', 'qwen3-max']) assert.ok(model(id).prices.length > 0, id);
  });

  it('Doubao: doubao-pro-32k at 0.0008 CNY/1K', () => {
    const p = find2024('doubao-pro-32k', { currency: 'CNY', unit: 1000, input: 0.0008, output: 0.002 });
    assert.equal(p.input, 0.0008);
    assert.ok(model('doubao-pro-32k').prices.length > 0);
    assert.ok(table.models.some((m) => m.vendor === 'ByteDance Doubao' && m.id.startsWith('doubao-seed') && m.prices.length > 0));
  });

  it('Zhipu: GLM-3-Turbo 1 CNY/M and a current free GLM-4-Flash', () => {
    find2024('glm-3-turbo', { currency: 'CNY', input: 1, output: 1 });
    const flash = model('glm-4-flash').prices.find((p) => p.currency === 'CNY');
    assert.ok(flash);
    assert.equal(flash.input, 0);
    assert.equal(flash.output, 0);
  });

  it('Baidu: ERNIE Speed and Lite free, ERNIE Tiny 0.001 CNY/1K then free, ERNIE 4.0', () => {
    for (const id of ['ernie-speed-8k', 'ernie-speed-128k', 'ernie-lite-8k']) {
      find2024(id, { currency: 'CNY', input: 0, output: 0 });
      assert.ok(model(id).prices.every((p) => p.input === 0 && p.output === 0), `${id} is still free`);
    }
    const tinyPaid = find2024('ernie-tiny-8k', { currency: 'CNY', unit: 1000, input: 0.001, output: 0.001 });
    const tinyFree = find2024('ernie-tiny-8k', { currency: 'CNY', input: 0, output: 0 });
    assert.ok(tinyPaid.effectiveDate < tinyFree.effectiveDate, 'ERNIE Tiny: paid before free');
    find2024('ernie-4.0-8k', { currency: 'CNY', unit: 1000, input: 0.12, output: 0.12 });
  });

  it('Tencent: hunyuan-lite free since 2024 and a current paid Hunyuan', () => {
    find2024('hunyuan-lite', { currency: 'CNY', input: 0, output: 0 });
    assert.ok(model('hunyuan-lite').prices.length > 0);
    assert.ok(model('hunyuan-turbos-latest').prices[0]!.input > 0);
  });

  it('iFlytek: Spark Lite free, Spark Pro per 10K (Spark Max has no sourced price)', () => {
    find2024('lite', { currency: 'CNY', input: 0, output: 0 });
    const pro = allLists(model('generalv3')).find((l) => l.unit === 10000);
    assert.ok(pro, 'Spark Pro priced per 10K');
    assert.equal(pro.input, 0.36);
    assert.match(model('spark-pro').note ?? '', /Spark Max/);
  });

  it('Moonshot, Yi, Baichuan 2024 prices', () => {
    find2024('moonshot-v1-8k', { currency: 'CNY', input: 12, output: 12 });
    find2024('moonshot-v1-128k', { currency: 'CNY', input: 60, output: 60 });
    find2024('yi-large', { currency: 'CNY', input: 20, output: 20 });
    find2024('Baichuan4', { currency: 'CNY', input: 100, output: 100 });
    assert.equal(model('moonshot-v1-8k').prices[0]!.input, 2, 'moonshot-v1-8k current');
  });

  it('MiniMax and StepFun have history and current models', () => {
    for (const vendor of ['MiniMax', 'StepFun']) {
      const ms = table.models.filter((m) => m.vendor === vendor);
      assert.ok(ms.some((m) => (m.history ?? []).length > 0), `${vendor} history`);
      assert.ok(ms.some((m) => m.prices.length > 0), `${vendor} current`);
    }
  });

  it('OpenAI: GPT-3.5 Turbo, GPT-4 Turbo, GPT-4o, GPT-4o mini 2024 prices (not gpt-tokenizer\'s)', () => {
    find2024('gpt-3.5-turbo', { currency: 'USD', input: 0.5, output: 1.5 });
    find2024('gpt-4-turbo', { currency: 'USD', input: 10, output: 30 });
    find2024('gpt-4o', { currency: 'USD', input: 5, output: 15 });
    find2024('gpt-4o', { currency: 'USD', input: 2.5, output: 10 });
    find2024('gpt-4o-mini', { currency: 'USD', input: 0.15, output: 0.6 });
    assert.deepEqual([model('gpt-4o').prices[0]!.input, model('gpt-4o').prices[0]!.output], [2.5, 10]);
    assert.ok(table.models.some((m) => m.vendor === 'OpenAI' && m.id.startsWith('gpt-5') && m.prices.length > 0));
  });

  it('current Claude and Gemini models', () => {
    assert.ok(table.models.filter((m) => m.vendor === 'Anthropic' && m.prices.length > 0).length >= 3);
    assert.ok(table.models.filter((m) => m.vendor === 'Google' && m.prices.length > 0).length >= 3);
  });

  it('keeps separate CNY and USD lists where both are published (not conversions)', () => {
    for (const id of ['deepseek-flash', 'deepseek-v4-pro', 'MiniMax-M2.7', 'qwen3-max']) {
      const m = model(id);
      const cny = m.prices.find((p) => p.currency === 'CNY');
      const usd = m.prices.find((p) => p.currency === 'USD');
      assert.ok(cny && usd, id);
      assert.notEqual(cny.source, usd.source, `${id}: CNY and USD lists must each cite their own published page`);
    }
  });
});

describe('default price table: structures', () => {
  it('tiers are sorted ascending with positive thresholds', () => {
    for (const { list, where } of everyList()) {
      const tiers = list.tiers ?? [];
      for (let i = 0; i < tiers.length; i++) {
        assert.ok(Number.isInteger(tiers[i]!.above) && tiers[i]!.above > 0, `${where}: tier ${i} threshold`);
        if (i > 0) assert.ok(tiers[i]!.above > tiers[i - 1]!.above, `${where}: tiers not ascending`);
      }
    }
  });

  it('off-peak windows have valid IANA timezones, HH:MM times and ISO weekdays', () => {
    let windows = 0;
    for (const { list, where } of everyList()) {
      for (const w of list.offPeak ?? []) {
        windows++;
        assert.doesNotThrow(() => new Intl.DateTimeFormat('en-US', { timeZone: w.timezone }), `${where}: timezone ${w.timezone}`);
        assert.match(w.start, /^([01]\d|2[0-3]):[0-5]\d$/, where);
        assert.match(w.end, /^([01]\d|2[0-3]):[0-5]\d$/, where);
        assert.notEqual(w.start, w.end, `${where}: empty window`);
        for (const d of w.days ?? []) assert.ok(Number.isInteger(d) && d >= 1 && d <= 7, `${where}: day ${d}`);
        assert.ok(w.multiplier !== undefined || w.input !== undefined || w.output !== undefined || w.cachedInput !== undefined, `${where}: no price`);
      }
    }
    assert.ok(windows > 0);
    assert.throws(() => new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Beijing' }), 'the timezone check can fail');
  });

  it('DeepSeek current prices are peak prices with half price outside the peak windows', () => {
    const at = (iso: string): Date => new Date(iso);
    const cases: Array<[string, number]> = [
      ['2026-11-23T02:00:00Z', 1], // Mon 10:00 Beijing: peak
      ['2026-11-23T05:00:00Z', 0.5], // Mon 13:00 Beijing: lunch, off-peak
      ['2026-11-23T07:30:00Z', 1], // Mon 15:30 Beijing: peak
      ['2026-11-23T10:00:00Z', 0.5], // Mon 18:00 Beijing: off-peak
      ['2026-11-23T16:00:00Z', 0.5], // Tue 00:00 Beijing: night
      ['2026-11-24T00:59:00Z', 0.5], // Tue 08:59 Beijing
      ['2026-11-24T01:00:00Z', 1], // Tue 09:00 Beijing: peak starts
      ['2026-11-27T09:59:00Z', 1], // Fri 17:59 Beijing
      ['2026-11-28T02:00:00Z', 0.5], // Sat 10:00 Beijing: weekend
      ['2026-11-29T07:00:00Z', 0.5], // Sun 15:00 Beijing: weekend
    ];
    for (const id of ['deepseek-flash', 'deepseek-v4-pro']) {
      for (const list of model(id).prices) {
        for (const [iso, factor] of cases) assert.equal(inputFactor(list, at(iso)), factor, `${id} ${list.currency} at ${iso}`);
      }
    }
  });

  it('free models are 0/0', () => {
    for (const id of ['ernie-speed-8k', 'ernie-speed-128k', 'ernie-lite-8k', 'ernie-tiny-8k', 'hunyuan-lite', 'lite', 'glm-4-flash']) {
      for (const p of model(id).prices) assert.deepEqual([p.input, p.output], [0, 0], id);
    }
  });

  it('promotions carry validUntil', () => {
    const promo = (model('glm-5.3-flash').history ?? []).find((h) => h.validUntil);
    assert.ok(promo);
    assert.equal(promo.validUntil, '2026-09-09');
  });
});

describe('default price table: tokenizers', () => {
  it('assigns the best tokenizer available to each family', () => {
    // Exact where the vendor's vocabulary is bundled (src/core/tokenizers/TOKENIZERS.md), the vendor's estimate otherwise.
    const exact: Record<string, string> = {
      'deepseek-reasoner': 'deepseek-v3', 'deepseek-flash': 'deepseek-v4', 'deepseek-v4-pro': 'deepseek-v4',
      'glm-4.7': 'glm-4', 'glm-5': 'glm-5', 'glm-5.3': 'glm-5', 'glm-5.3-flash': 'glm-5',
      'kimi-k2.6': 'kimi-k2', 'MiniMax-M1': 'minimax', 'MiniMax-M2.7': 'minimax',
      // StepFun's model cards: "Tokenizer: Deepseek V3".
      'step-3.5-flash': 'deepseek-v3', 'step-3.7-flash': 'deepseek-v3',
    };
    const estimates: Record<string, string[]> = {
      Anthropic: ['estimate:claude', 'estimate:claude-4.7'], Google: ['estimate:gemini'], 'ByteDance Doubao': ['estimate:doubao'], 'Baidu ERNIE': ['estimate:ernie'],
      'Tencent Hunyuan': ['estimate:hunyuan'], 'iFlytek Spark': ['estimate:spark'], 'Zhipu GLM': ['estimate:glm'], 'Moonshot Kimi': ['estimate:kimi'],
      MiniMax: ['estimate:minimax'], '01.AI Yi': ['estimate:yi'], Baichuan: ['estimate:baichuan'], StepFun: ['estimate:stepfun'], xAI: ['estimate:xai'],
      Mistral: ['estimate:mistral'],
    };
    for (const m of table.models) {
      if (exact[m.id]) assert.equal(m.tokenizer, exact[m.id], m.id);
      else if (m.vendor === 'Alibaba Qwen') assert.equal(m.tokenizer, 'qwen', m.id);
      else if (m.vendor === 'OpenAI') {
        const legacy = /^gpt-(3\.5-turbo|4-turbo)/.test(m.id);
        // GPT-6's encoding is not published.
        assert.equal(m.tokenizer, legacy ? 'cl100k_base' : /^gpt-6/.test(m.id) ? 'estimate:openai' : 'o200k_base', m.id);
      } else assert.ok(estimates[m.vendor]?.includes(m.tokenizer), `${m.id}: ${m.tokenizer}`);
    }
    // Claude 4.7 and later count with the newer tokenizer's estimate.
    for (const id of ['claude-opus-4-7', 'claude-sonnet-5-5']) assert.equal(model(id).tokenizer, 'estimate:claude-4.7', id);
    assert.equal(model('claude-haiku-4-5').tokenizer, 'estimate:claude');
  });
});
