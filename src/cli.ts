// token-cost: the extension's engine on the command line, for scripts and CI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compareModels } from './core/compare';
import type { CostOptions } from './core/cost';
import { formatCount, formatMoney } from './core/money';
import { defaultTableInfo, findModel, layerPriceTables } from './core/prices/priceTable';
import type { Currency, ModelEntry, TokenizerId } from './core/prices/types';
import { countCharacters, decodeText } from './core/textInput';
import { TokenCounter } from './core/tokenizers/tokenCounter';
import { isKnownTokenizer } from './core/tokenizers/tokenizerIds';

const USAGE = `Usage: token-cost [options] FILE…     (FILE "-" reads standard input)

Counts tokens with each model's own tokenizer and prices them, cheapest first.

Options:
  --model ID            only this model (repeat or comma-separate for several)
  --currency CNY|USD    currency to report in (default CNY)
  --exchange-rate N     CNY per USD, used only for models without a list in that currency (default 7.2)
  --output-tokens N     assumed output tokens per call (default 0)
  --cache-hit SHARE     share of input tokens hitting the vendor's cache, 0–1 (default 0)
  --at ISO-TIME         price at this instant (off-peak discounts); default: list prices
  --prices FILE         extra or overriding price entries (JSON, the shipped schema)
  --tokenizer ID        only count with this tokenizer (cl100k_base, o200k_base, qwen, deepseek-v3, estimate:…)
  --models              print the price table (with history and sources) instead of counting
  --json                machine-readable output
  -h, --help            this help
`;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (path: string) => Uint8Array;
  readStdin: () => Uint8Array;
  tableDir: string;
}

export function runCli(argv: string[], io: CliIo): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string', multiple: true },
        currency: { type: 'string', default: 'CNY' },
        'exchange-rate': { type: 'string', default: '7.2' },
        'output-tokens': { type: 'string', default: '0' },
        'cache-hit': { type: 'string', default: '0' },
        at: { type: 'string' },
        prices: { type: 'string' },
        tokenizer: { type: 'string' },
        models: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.stderr(`token-cost: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.stdout(USAGE);
    return 0;
  }
  const fail = (msg: string) => {
    io.stderr(`token-cost: ${msg}\n`);
    return 2;
  };

  const currency = String(v.currency).toUpperCase();
  if (currency !== 'CNY' && currency !== 'USD') return fail(`--currency must be CNY or USD, got "${v.currency}"`);
  const rate = Number(v['exchange-rate']);
  if (!(rate > 0) || !Number.isFinite(rate)) return fail(`--exchange-rate must be a positive number, got "${v['exchange-rate']}"`);
  const outputTokens = Number(v['output-tokens']);
  if (!Number.isInteger(outputTokens) || outputTokens < 0) return fail(`--output-tokens must be a whole number ≥ 0, got "${v['output-tokens']}"`);
  const cacheHit = Number(v['cache-hit']);
  if (!(cacheHit >= 0 && cacheHit <= 1)) return fail(`--cache-hit must be between 0 and 1, got "${v['cache-hit']}"`);
  let at: Date | undefined;
  if (v.at !== undefined) {
    at = new Date(v.at);
    if (Number.isNaN(at.getTime())) return fail(`--at must be an ISO date-time, got "${v.at}"`);
  }

  // Price table: defaults plus an optional file; bad entries are reported and skipped.
  const layers = [];
  if (v.prices) {
    let input: unknown;
    try {
      input = JSON.parse(new TextDecoder().decode(io.readFile(v.prices)));
    } catch (e) {
      return fail(`cannot read price table ${v.prices}: ${(e as Error).message}`);
    }
    layers.push({ origin: v.prices, input });
  }
  const table = layerPriceTables(layers);
  for (const e of table.errors) io.stderr(`token-cost: ${e.origin}: ${e.path}${e.model ? ` (${e.model})` : ''}: ${e.message}\n`);

  if (v.models) {
    const info = defaultTableInfo();
    if (v.json) io.stdout(JSON.stringify({ version: 1, updated: info.updated, models: table.models }, null, 2) + '\n');
    else io.stdout(renderModelList(table.models));
    return 0;
  }

  let models: ModelEntry[] = table.models;
  if (v.model?.length) {
    models = [];
    for (const id of v.model.flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean)) {
      const m = findModel(table.models, id);
      if (!m) return fail(`unknown model "${id}"; run token-cost --models to list them`);
      if (!models.includes(m)) models.push(m);
    }
  }
  const tokenizer = v.tokenizer;
  if (tokenizer !== undefined && !isKnownTokenizer(tokenizer)) return fail(`unknown tokenizer "${tokenizer}"`);
  if (args.positionals.length === 0) return fail(`no input files (use "-" for standard input)\n\n${USAGE}`);

  const counter = new TokenCounter(io.tableDir);
  const options: CostOptions = { currency: currency as Currency, exchangeRate: rate, outputTokens, cacheHitShare: cacheHit, at };
  const files: unknown[] = [];
  let status = 0;
  for (const path of args.positionals) {
    let bytes: Uint8Array;
    try {
      bytes = path === '-' ? io.readStdin() : io.readFile(path);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      io.stderr(`token-cost: ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}\n`);
      status = 1;
      continue;
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      io.stderr(`token-cost: ${path}: ${decoded.message}\n`);
      status = 1;
      continue;
    }
    if (decoded.invalidUtf8) io.stderr(`token-cost: ${path}: not valid UTF-8; invalid bytes counted as U+FFFD\n`);
    const text = decoded.text;
    const name = path === '-' ? '<stdin>' : path;
    if (tokenizer) {
      const c = counter.count(tokenizer as TokenizerId, text);
      if (v.json) files.push({ path: name, tokenizer, tokens: c.tokens });
      else io.stdout(`${name}: ${c.exact ? '' : '≈'}${formatCount(c.tokens, 'en-US')} tokens (${tokenizer}${c.exact ? '' : ', estimate'})\n`);
      continue;
    }
    const rows = compareModels(text, models, counter, options);
    if (v.json) {
      files.push({
        path: name,
        characters: countCharacters(text),
        results: rows.map((r) => ({
          model: r.model.id,
          vendor: r.model.vendor,
          tokenizer: r.model.tokenizer,
          tokens: r.tokens,
          exact: r.exact,
          currency: r.cost.currency,
          inputCost: round(r.cost.inputCost),
          outputCost: round(r.cost.outputCost),
          totalCost: round(r.cost.totalCost),
        })),
      });
    } else io.stdout(renderComparison(name, countCharacters(text), rows, outputTokens));
  }
  if (v.json) io.stdout(JSON.stringify({ files }, null, 2) + '\n');
  return status;
}

function renderComparison(path: string, characters: number, rows: ReturnType<typeof compareModels>, outputTokens: number): string {
  const header = ['Model', 'Vendor', 'Tokens', 'Input', `Output (${outputTokens})`, 'Total'];
  const body = rows.map((r) => [
    r.model.id,
    r.model.vendor,
    `${r.exact ? '' : '≈'}${formatCount(r.tokens, 'en-US')}`,
    formatMoney(r.cost.inputCost, r.cost.currency, 'en-US'),
    formatMoney(r.cost.outputCost, r.cost.currency, 'en-US'),
    formatMoney(r.cost.totalCost, r.cost.currency, 'en-US') + (r.cost.converted ? '*' : ''),
  ]);
  const notes: string[] = [];
  if (rows.some((r) => !r.exact)) notes.push('≈ estimate: the vendor’s tokenizer is not public');
  if (rows.some((r) => r.cost.converted)) notes.push('* converted from the model’s other-currency price list');
  if (rows.some((r) => r.contextUse > 1)) notes.push(`over the context window: ${rows.filter((r) => r.contextUse > 1).map((r) => r.model.id).join(', ')}`);
  return `${path} (${formatCount(characters, 'en-US')} characters)\n${table([header, ...body], [false, false, true, true, true, true])}${notes.map((n) => `  ${n}\n`).join('')}\n`;
}

function renderModelList(models: readonly ModelEntry[]): string {
  const rows = models.map((m) => [
    m.vendor,
    m.id,
    m.tokenizer,
    formatCount(m.contextWindow, 'en-US'),
    m.prices.map((p) => `${p.currency} ${p.input}/${p.output} per ${p.unit ? formatCount(p.unit, 'en-US') : '1M'} (${p.effectiveDate})`).join('; '),
    String(m.history?.length ?? 0),
  ]);
  return table([['Vendor', 'Model', 'Tokenizer', 'Context', 'Input/output prices', 'History'], ...rows], [false, false, false, true, false, true]);
}

/** Twelve significant digits: drops binary noise (0.000009600000000000001) and keeps every real digit. */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Display width: East Asian wide characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}

function table(rows: string[][], right: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => width(r[c]))));
  return rows
    .map((r) => '  ' + r.map((cell, c) => (right[c] ? ' '.repeat(widths[c] - width(cell)) + cell : cell + ' '.repeat(widths[c] - width(cell)))).join('  ').trimEnd() + '\n')
    .join('');
}

if (require.main === module) {
  const code = runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFileSync(p),
    readStdin: () => readFileSync(0),
    tableDir: join(__dirname, 'tokenizers'),
  });
  process.exitCode = code;
}
