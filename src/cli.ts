// token-cost: the extension's engine on the command line, for scripts and CI.
import type { Dirent } from 'node:fs';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { parseArgs } from 'node:util';
import picomatch from 'picomatch/posix';
import manifest from '../package.json';
import type { Budget, BudgetViolation, Money } from './core/budgets';
import { budgetModel, checkBudget, describeViolation, effectiveBudget, parseCostBudget, parseTokenBudget } from './core/budgets';
import type { ModelComparison } from './core/compare';
import { priceModels } from './core/compare';
import { countPrompt } from './core/countPrompt';
import { chatKindOf, type ChatCount } from './core/chatFormat';
import type { CostOptions } from './core/cost';
import { cost } from './core/cost';
import type { TextSpan } from './core/frontMatter';
import { parseFrontMatter } from './core/frontMatter';
import { formatCount, formatMoney } from './core/money';
import { defaultTableInfo, findModel, layerPriceTables } from './core/prices/priceTable';
import type { Currency, ModelEntry, TokenizerId } from './core/prices/types';
import { WorkspaceReport, reportToJson, toCsv } from './core/report';
import { countCharacters, decodeText, formatBytes } from './core/textInput';
import type { TokenCount } from './core/tokenizers/tokenCounter';
import { TokenCounter } from './core/tokenizers/tokenCounter';
import { isKnownTokenizer } from './core/tokenizers/tokenizerIds';

const USAGE = `Usage: token-cost [options] FILE…     (FILE "-" reads standard input)
       token-cost --report DIR [--glob G]… [--model ID] [--json | --csv]

Counts tokens with each model's own tokenizer and prices them, cheapest first.

Options:
  --model ID            only this model (repeat or comma-separate for several)
  --currency CNY|USD    currency to report in (default CNY)
  --exchange-rate N     CNY per USD, used only for models without a list in that currency (default 7.2)
  --output-tokens N     assumed output tokens per call (default 0)
  --cache-hit SHARE     share of input tokens hitting the vendor's cache, 0–1 (default 0)
  --at ISO-TIME         price at this instant (off-peak discounts); default: list prices
  --prices FILE         extra or overriding price entries (JSON, the shipped schema)
  --tokenizer ID        only count with this tokenizer (cl100k_base, o200k_base, qwen, deepseek-v3, deepseek-v4,
                        kimi-k2, glm-4, glm-5, minimax, estimate:…)
  --models              print the price table (with history and sources) instead of counting
  --max-tokens N        over budget when a file is above N tokens on any reported model
  --max-cost AMOUNT     over budget when a file costs more than AMOUNT (input + output) on any reported model:
                        0.01 CNY, 0.01USD, $0.01, ¥0.01; a bare 0.01 is in --currency
  --report DIR          every prompt file under DIR priced for one model (the first --model, default qwen-plus),
                        most expensive first, with folder totals; .git, node_modules and links out of DIR are skipped
  --glob G              prompt files for --report (repeat; default: the extension's tokenCost.promptFiles)
  --csv                 with --report: the report as CSV
  --json                machine-readable output
  -h, --help            this help

A file's front matter budget (token-budget: 4000, cost-budget: 0.01 CNY, budget-model: ID) is always checked, on
its budget-model or else the first --model (default qwen-plus).

Chat files (.json, .jsonl, .yaml with OpenAI-style messages) are counted as sent: the message texts plus each
vendor's per-message overhead (from its published chat template where known, else estimated and marked ≈).

Exit status: 0 done; 1 a file could not be read, or its front matter budget is invalid; 2 bad arguments;
3 over budget (when nothing else failed).
`;

/** Exit status when every file was counted but some are over a budget; distinct from errors (1) and usage (2). */
export const EXIT_OVER_BUDGET = 3;

/** The extension's default model (tokenCost.defaultModel), for --report and front matter budgets without --model. */
const DEFAULT_MODEL = 'qwen-plus';

/**
 * The extension's tokenCost.promptFiles default, read from the manifest so the two cannot drift. `configuration` may
 * be one section or an array of them, so it is looked up in either shape.
 */
function defaultPromptGlobs(): string[] | undefined {
  const configuration = (manifest as { contributes?: { configuration?: unknown } }).contributes?.configuration;
  for (const section of Array.isArray(configuration) ? configuration : [configuration]) {
    const globs = (section as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties?.['tokenCost.promptFiles']?.default;
    if (Array.isArray(globs) && globs.every((g) => typeof g === 'string')) return globs;
  }
  return undefined;
}

/** Larger files are skipped by --report: the extension's tokenCost.maxFileSize default, 16 MB. */
const MAX_REPORT_FILE_BYTES = 16 * 1024 * 1024;

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
        'max-tokens': { type: 'string' },
        'max-cost': { type: 'string' },
        report: { type: 'string' },
        glob: { type: 'string', multiple: true },
        csv: { type: 'boolean', default: false },
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
  const limits: Budget = {};
  if (v['max-tokens'] !== undefined) {
    const p = parseTokenBudget(v['max-tokens']);
    if (!p.ok) return fail(`--max-tokens ${p.message}`);
    limits.tokens = { limit: p.value, origin: { kind: 'cli' } };
  }
  if (v['max-cost'] !== undefined) {
    const p = parseCostBudget(v['max-cost'], currency);
    if (!p.ok) return fail(`--max-cost ${p.message}`);
    limits.cost = { limit: p.value, origin: { kind: 'cli' } };
  }
  const hasLimits = limits.tokens !== undefined || limits.cost !== undefined;
  if (v.csv && !v.report) return fail('--csv needs --report DIR');
  if (v.csv && v.json) return fail('--csv and --json cannot be combined');
  if (v.glob?.length && !v.report) return fail('--glob needs --report DIR');
  if (v.report !== undefined && (args.positionals.length || v.tokenizer !== undefined || v.models)) return fail('--report DIR takes no FILE, --tokenizer or --models');
  if (v.tokenizer !== undefined && hasLimits) return fail('--max-tokens and --max-cost are per model; they cannot be combined with --tokenizer');

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

  const counter = new TokenCounter(io.tableDir);
  const options: CostOptions = { currency: currency as Currency, exchangeRate: rate, outputTokens, cacheHitShare: cacheHit, at };
  const defaultModelId = v.model?.length ? models[0].id : DEFAULT_MODEL;
  const budgets = new BudgetLog(table.models, defaultModelId, limits, options);

  if (v.report !== undefined) {
    const model = findModel(table.models, defaultModelId);
    if (!model || !cost(0, model, options)) return fail(`${defaultModelId} has no current price; pick another with --model`);
    if (v.model?.length && models.length > 1) io.stderr(`token-cost: --report prices for one model, ${model.id}; the other --model ids are ignored\n`);
    const globs = v.glob?.length ? v.glob : defaultPromptGlobs();
    if (!globs) return fail('the extension manifest has no tokenCost.promptFiles default; pass --glob');
    let isPrompt: (path: string) => boolean;
    try {
      isPrompt = picomatch(globs, { dot: true });
    } catch (e) {
      return fail(`--glob: ${(e as Error).message}`);
    }
    return runReport(v.report, isPrompt, model, { io, counter, options, budgets, json: v.json, csv: v.csv });
  }
  if (args.positionals.length === 0) return fail(`no input files (use "-" for standard input)\n\n${USAGE}`);

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
    // Chat files (OpenAI-style messages in JSON/YAML/JSONL) count as sent: messages plus per-message overhead.
    const chat = path === '-' ? undefined : chatKindOf(path);
    const countAs = (ids: readonly TokenizerId[]) => countPrompt(text, ids, (id, t) => counter.count(id, t), chat);
    const counts = countAs(tokenizer ? [tokenizer as TokenizerId] : models.map((m) => m.tokenizer));
    const countMissing = (id: TokenizerId) => countAs([id]).get(id)!;
    const chatInfo = (id: TokenizerId) => {
      const c = counts.get(id) as Partial<ChatCount> | undefined;
      return c?.messages === undefined ? undefined : { messages: c.messages, overheadTokens: c.overheadTokens!, overheadKnown: c.overheadKnown!, basis: c.basis! };
    };
    if (tokenizer) {
      const c = counts.get(tokenizer as TokenizerId) as TokenCount;
      const ci = chatInfo(tokenizer as TokenizerId);
      if (v.json) files.push({ path: name, tokenizer, tokens: c.tokens, ...(ci ? { chat: ci } : {}) });
      else io.stdout(`${name}: ${c.exact ? '' : '≈'}${formatCount(c.tokens, 'en-US')} tokens (${tokenizer}${c.exact ? '' : ', estimate'})${ci ? `, chat: ${ci.messages} messages, ${ci.overheadTokens} overhead tokens (${ci.overheadKnown ? 'vendor template' : 'estimated'})` : ''}\n`);
      budgets.checkFile(name, text, counts, [], countMissing);
      continue;
    }
    const rows = priceModels(counts, models, options);
    budgets.checkFile(name, text, counts, rows.map((r) => r.model), countMissing);
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
          ...(chatInfo(r.model.tokenizer) ? { chat: chatInfo(r.model.tokenizer) } : {}),
        })),
      });
    } else {
      io.stdout(renderComparison(name, countCharacters(text), rows, outputTokens));
      const first = rows.map((r) => counts.get(r.model.tokenizer) as Partial<ChatCount>).find((c) => c?.messages !== undefined);
      if (first) {
        const known = new Set(rows.filter((r) => chatInfo(r.model.tokenizer)?.overheadKnown).map((r) => r.model.tokenizer));
        io.stdout(`  chat format: ${first.messages} messages; per-message overhead included — from the vendor's template for ${[...known].join(', ') || 'none'}, estimated (≈) for the others\n\n`);
      }
    }
  }
  budgets.reportProblems(io);
  if (v.json) io.stdout(JSON.stringify({ files, ...budgets.json() }, null, 2) + '\n');
  else io.stdout(budgets.render());
  return budgets.status(status);
}

interface ReportContext {
  io: CliIo;
  counter: TokenCounter;
  options: CostOptions;
  budgets: BudgetLog;
  json: boolean;
  csv: boolean;
}

/** --report DIR: one model, every prompt file under DIR; files that cannot be counted are listed, never fatal. */
function runReport(dir: string, isPrompt: (path: string) => boolean, model: ModelEntry, ctx: ReportContext): number {
  const { io, counter, options, budgets } = ctx;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.stderr(`token-cost: --report ${dir}: ${err.code === 'ENOENT' ? 'no such directory' : err.message}\n`);
    return 2;
  }
  const report = new WorkspaceReport({ currency: options.currency as Currency, model: model.id });
  walkPromptFiles(dir, isPrompt, {
    skip: (path, reason) => report.skip(path, reason),
    file: (path, abs, size) => {
      if (size > MAX_REPORT_FILE_BYTES) return report.skip(path, `${formatBytes(size)} is above the ${formatBytes(MAX_REPORT_FILE_BYTES)} limit`);
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(abs);
      } catch (e) {
        return report.skip(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const decoded = decodeText(bytes, MAX_REPORT_FILE_BYTES);
      if (!decoded.ok) return report.skip(path, decoded.message);
      if (decoded.invalidUtf8) io.stderr(`token-cost: ${printable(path)}: not valid UTF-8; invalid bytes counted as U+FFFD\n`);
      const countAs = (id: TokenizerId) => countPrompt(decoded.text, [id], (i, t) => counter.count(i, t), chatKindOf(path)).get(id)!;
      const c = countAs(model.tokenizer);
      const priced = cost(c.tokens, model, options);
      if (!priced) return report.skip(path, `${model.id} has no current price`);
      report.set({ path, tokens: c.tokens, exact: c.exact, cost: priced.totalCost, currency: priced.currency });
      budgets.checkFile(path, decoded.text, new Map([[model.tokenizer, c]]), [model], countAs);
    },
  });
  budgets.reportProblems(io);
  if (ctx.csv) {
    io.stdout(toCsv(report));
    // Standard output is the CSV alone; the budget verdict goes to standard error.
    io.stderr(budgets.render());
  } else if (ctx.json) io.stdout(JSON.stringify({ ...reportToJson(report), ...budgets.json() }, null, 2) + '\n');
  else io.stdout(renderReport(dir, model, report) + budgets.render());
  return budgets.status(0);
}

interface WalkVisitor {
  /** A regular file whose '/'-separated path relative to the root matches. */
  file: (path: string, abs: string, size: number) => void;
  skip: (path: string, reason: string) => void;
}

/** Folders never walked: version control and installed packages are not the workspace's prompts. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * Walks `root` in name order. Symbolic links are followed only when they resolve inside the root, and each real
 * folder and file is visited once, so link loops end and a file reached through a link is not counted twice (the
 * second path is listed as skipped).
 */
function walkPromptFiles(root: string, isPrompt: (path: string) => boolean, visit: WalkVisitor): void {
  const rootReal = realpathSync(root);
  const inside = (real: string) => real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
  const seen = new Set<string>([rootReal]);
  const counted = new Map<string, string>();
  const walk = (abs: string, real: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      visit.skip(rel + '/', `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childAbs = join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      let childReal = join(real, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let size = -1;
      if (entry.isSymbolicLink()) {
        try {
          childReal = realpathSync(childAbs);
          const st = statSync(childReal);
          isDir = st.isDirectory();
          isFile = st.isFile();
          size = st.size;
        } catch {
          if (isPrompt(childRel)) visit.skip(childRel, 'broken symbolic link');
          continue;
        }
        if (!inside(childReal)) {
          if (!isDir && isPrompt(childRel)) visit.skip(childRel, 'symbolic link out of the folder');
          continue;
        }
      }
      if (isDir) {
        if (SKIPPED_FOLDERS.has(entry.name) || seen.has(childReal)) continue;
        seen.add(childReal);
        walk(childAbs, childReal, childRel);
        continue;
      }
      if (!isPrompt(childRel)) continue;
      // Sockets, FIFOs and devices: reading one could block forever.
      if (!isFile) {
        visit.skip(childRel, 'not a regular file');
        continue;
      }
      const first = counted.get(childReal);
      if (first !== undefined) {
        visit.skip(childRel, `same file as ${first}`);
        continue;
      }
      counted.set(childReal, childRel);
      if (size < 0) {
        try {
          size = statSync(childAbs).size;
        } catch (e) {
          visit.skip(childRel, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          continue;
        }
      }
      visit.file(childRel, childAbs, size);
    }
  };
  walk(root, rootReal, '');
}

interface LoggedViolation {
  path: string;
  violation: BudgetViolation;
}

interface FrontMatterError {
  path: string;
  span: TextSpan;
  message: string;
}

/** Checks each file against the command-line limits and its own front matter budget, and reports the outcome. */
class BudgetLog {
  private readonly violations: LoggedViolation[] = [];
  private readonly problems: FrontMatterError[] = [];
  private checked = 0;

  constructor(
    private readonly table: readonly ModelEntry[],
    private readonly defaultModelId: string,
    private readonly limits: Budget,
    private readonly options: CostOptions,
  ) {}

  private get hasLimits(): boolean {
    return this.limits.tokens !== undefined || this.limits.cost !== undefined;
  }

  /**
   * `counts` may gain the front matter model's tokenizer, counted by `count` the way the file's other counts were (a
   * chat file as chat); `reported` are the models the command line limits apply to.
   */
  checkFile(path: string, text: string, counts: Map<TokenizerId, TokenCount>, reported: readonly ModelEntry[], count: (id: TokenizerId) => TokenCount): void {
    let checked = false;
    if (this.hasLimits && reported.length) {
      checked = true;
      for (const m of reported) for (const violation of checkBudget(this.limits, m, counts, [], this.options)) this.violations.push({ path, violation });
    }
    const fm = parseFrontMatter(text);
    for (const p of fm.problems) this.problems.push({ path, span: p.span, message: p.message });
    const budget = effectiveBudget(fm, undefined);
    if (budget) {
      const model = budgetModel(budget, this.table, this.defaultModelId);
      if (!model) {
        const span = fm.budgetModel?.span ?? fm.tokenBudget?.span ?? fm.costBudget?.span;
        this.problems.push({ path, span: span as TextSpan, message: `budget-model: unknown model "${budget.model ?? this.defaultModelId}"; its budget is not checked` });
      } else {
        checked = true;
        if (!counts.has(model.tokenizer)) counts.set(model.tokenizer, count(model.tokenizer));
        for (const violation of checkBudget(budget, model, counts, [], this.options)) this.violations.push({ path, violation });
      }
    }
    if (checked) this.checked++;
  }

  reportProblems(io: CliIo): void {
    for (const p of this.problems) io.stderr(`token-cost: ${printable(p.path)}:${p.span.line + 1}:${p.span.start + 1}: ${p.message}\n`);
  }

  status(fileStatus: number): number {
    if (fileStatus || this.problems.length) return 1;
    return this.violations.length ? EXIT_OVER_BUDGET : 0;
  }

  /** Nothing when no budget applied to any file. */
  render(): string {
    if (this.checked === 0) return '';
    const files = `${this.checked} file${this.checked === 1 ? '' : 's'} checked`;
    if (this.violations.length === 0) return `Budget: within every limit (${files}).\n`;
    const lines = this.violations.map(({ path, violation }) => `  ${printable(path)}: ${describeViolation(violation)} [${this.originLabel(violation)}]\n`);
    return `Over budget (${this.violations.length}, ${files}):\n${lines.join('')}`;
  }

  private originLabel(v: BudgetViolation): string {
    if (v.kind === 'context') return 'context window';
    const o = v.origin;
    if (o.kind === 'front-matter') return `front matter, line ${o.line + 1}`;
    if (o.kind === 'settings') return `settings, entry ${o.index}`;
    return v.kind === 'token-budget' ? '--max-tokens' : '--max-cost';
  }

  /** The `budget` section of --json output; absent when no budget applied and no front matter was wrong. */
  json(): { budget?: unknown } {
    if (this.checked === 0 && this.problems.length === 0) return {};
    const money = (m: Money | undefined) => m && { amount: m.amount, currency: m.currency };
    return {
      budget: {
        maxTokens: this.limits.tokens?.limit ?? null,
        maxCost: money(this.limits.cost?.limit) ?? null,
        checked: this.checked,
        violations: this.violations.map(({ path, violation: v }) => ({
          path,
          kind: v.kind,
          model: v.modelId,
          tokens: v.tokens,
          exact: v.exact,
          ...(v.kind === 'token-budget' ? { limit: v.limit } : {}),
          ...(v.kind === 'cost-budget' ? { cost: round(v.cost), limit: v.limit, currency: v.currency, converted: v.converted } : {}),
          ...(v.kind === 'context' ? {} : source(v)),
        })),
        problems: this.problems.map((p) => ({ path: p.path, line: p.span.line + 1, column: p.span.start + 1, message: p.message })),
      },
    };
  }
}

/** Where a violated limit was set, for --json: `max-tokens`, `max-cost`, `settings`, or `front-matter` with its place. */
function source(v: Exclude<BudgetViolation, { kind: 'context' }>): { source: string; line?: number; column?: number } {
  const o = v.origin;
  if (o.kind === 'front-matter') return { source: 'front-matter', line: o.line + 1, column: o.start + 1 };
  if (o.kind === 'settings') return { source: 'settings' };
  return { source: v.kind === 'token-budget' ? 'max-tokens' : 'max-cost' };
}

function renderReport(dir: string, model: ModelEntry, report: WorkspaceReport): string {
  const c = report.currency;
  const money = (x: number) => formatMoney(x, c, 'en-US');
  const count = (tokens: number, estimates: number) => `${estimates ? '≈' : ''}${formatCount(tokens, 'en-US')}`;
  const total = report.total();
  let out = `${printable(dir)}: ${formatCount(total.files, 'en-US')} prompt file${total.files === 1 ? '' : 's'} priced for ${model.name} (${model.id}), in ${c}\n`;
  if (total.files) {
    const files = report.rows().map((r) => [printable(r.path), count(r.tokens, r.exact ? 0 : 1), money(r.cost)]);
    out += table([['File', 'Tokens', 'Cost'], ...files], [false, true, true]);
    const folders = report.folders().map((f) => [printable(f.path) + '/', formatCount(f.files, 'en-US'), count(f.tokens, f.estimates), money(f.cost)]);
    out += '\n' + table([['Folder', 'Files', 'Tokens', 'Cost'], ...folders, ['Total', formatCount(total.files, 'en-US'), count(total.tokens, total.estimates), money(total.cost)]], [false, true, true, true]);
    if (total.estimates) out += '  ≈ estimate: the vendor’s tokenizer is not public\n';
  }
  const skipped = report.skipped();
  if (skipped.length) out += `\nSkipped (${skipped.length}):\n${skipped.map((s) => `  ${printable(s.path)}: ${s.reason}\n`).join('')}`;
  return out + '\n';
}

function renderComparison(path: string, characters: number, rows: ModelComparison[], outputTokens: number): string {
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

/**
 * File names from a cloned repository reach the terminal: control characters (an escape sequence could rewrite the
 * screen) and bidirectional overrides (which reorder what is shown) are printed as \u{…} escapes.
 */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
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
