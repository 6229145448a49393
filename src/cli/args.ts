// Command-line arguments: the usage text, and parsing plus validation into typed options. Checks that need the
// price table (model ids) or the tokenizers are left to the caller.
import { parseArgs } from 'node:util';
import type { Budget } from '../core/budgets/budgets';
import type { Money } from '../core/budgets/budgetValues';
import { parseCostBudget, parseTokenBudget } from '../core/budgets/budgetValues';
import type { Currency } from '../core/prices/types';
import { Defaults } from '../constants';

export const USAGE = `Usage: token-cost [options] FILE…     (FILE "-" reads standard input)
       token-cost --report DIR [--glob G]… [--model ID] [--json | --csv]
       token-cost --context DIR [--for FILE] [--model ID] [--json]

Counts tokens with each model's own tokenizer and prices them, cheapest first.

Options:
  --model ID            only this model (repeat or comma-separate for several)
  --currency CNY|USD    currency to report in (default CNY)
  --exchange-rate N     CNY per USD, used only for models without a list in that currency (default ${Defaults.exchangeRate})
  --output-tokens N     assumed output tokens per call (default 0)
  --cache-hit SHARE     share of input tokens hitting the vendor's cache, 0–1 (default 0)
  --at ISO-TIME         price with the lists in force at this instant (price history, promotions, scheduled
                        lists) plus its off-peak discounts; default: today's list prices
  --prices FILE         extra price entries: this project's schema, or LiteLLM's model_prices_and_context_window.json,
                        models.dev's api.json or OpenRouter's /api/v1/models response (recognised by shape)
  --prices-override     an imported model that matches a shipped one replaces its price (default: shipped wins)
  --tokenizer ID        only count with this tokenizer (cl100k_base, o200k_base, qwen, deepseek-v3, deepseek-v4,
                        kimi-k2, glm-4, glm-5, minimax, estimate:…)
  --tokenizer-file ID=PATH
                        your own tokenizer under ID (repeat for several), for --tokenizer ID and for --prices
                        entries whose "tokenizer" is ID: a .json file is a Hugging Face tokenizer.json, anything
                        else a tiktoken rank file, which needs --tokenizer-pattern (no default: a wrong
                        pre-tokenizer would silently miscount). A file that does not load is an error (exit 2)
  --tokenizer-pattern ID=NAME|REGEX
                        a rank file's pre-tokenizer: a bundled tokenizer's id (cl100k_base, o200k_base, qwen, …)
                        or the model's regular expression
  --tokenizer-normalize ID=NFC|none
                        a rank file's normalisation (default: the named pre-tokenizer's own, else none)
  --models              print the price table (with history and sources) instead of counting
  --max-tokens N        over budget when a file is above N tokens on any reported model
  --max-cost AMOUNT     over budget when a file costs more than AMOUNT (input + output) on any reported model:
                        0.01 CNY, 0.01USD, $0.01, ¥0.01; a bare 0.01 is in --currency
  --report DIR          every prompt file under DIR priced for one model (the first --model, default ${Defaults.defaultModel}),
                        most expensive first, with folder totals; .git, node_modules and links out of DIR are skipped
  --glob G              prompt files for --report (repeat; default: the extension's tokenCost.promptFiles)
  --csv                 with --report: the report as CSV
  --context DIR         the context files coding agents send from DIR (AGENTS.md, CLAUDE.md, GEMINI.md, Copilot,
                        Cursor, Cline, Windsurf rules) with their tokens for one model (the first --model, default
                        ${Defaults.defaultModel}) and the total per request
  --for FILE            with --context: the files that apply to a request about FILE (by their globs and folders)
  --max-context-tokens N     with --context: over budget when the files sent add more than N tokens per request
  --max-context-cost AMOUNT  with --context: over budget when they cost more than AMOUNT per request (input rate)
  --json                machine-readable output
  -h, --help            this help

A file's front matter budget (token-budget: 4000, cost-budget: 0.01 CNY, budget-model: ID) is always checked, on
its budget-model or else the first --model (default ${Defaults.defaultModel}).

Chat files (.json, .jsonl, .yaml with OpenAI-style messages) are counted as sent: the message texts plus each
vendor's per-message overhead (from its published chat template where known, else estimated and marked ≈).

Exit status: 0 done; 1 a file could not be read, or its front matter budget is invalid; 2 bad arguments;
3 over budget (when nothing else failed).
`;

/** The extension's default model (tokenCost.defaultModel), for --report and front matter budgets without --model. */
export const DEFAULT_MODEL = Defaults.defaultModel;

export interface CliArgs {
  /** FILE operands; "-" is standard input. */
  files: string[];
  /** Whether --model was given at all (even if only empty ids). */
  modelGiven: boolean;
  /** --model ids, comma lists split, in order. */
  modelIds: string[];
  currency: Currency;
  exchangeRate: number;
  outputTokens: number;
  cacheHit: number;
  at: Date | undefined;
  prices: string | undefined;
  /** --prices-override: imported prices win over the shipped ones for the same model. */
  pricesOverride: boolean;
  tokenizer: string | undefined;
  /** --tokenizer-file, --tokenizer-pattern, --tokenizer-normalize: raw ID=VALUE strings (./tokenizerFiles.ts). */
  tokenizerFiles: { files: string[]; patterns: string[]; normalize: string[] };
  /** --models: print the price table. */
  listModels: boolean;
  /** --max-tokens and --max-cost. */
  limits: Budget;
  report: string | undefined;
  globs: string[];
  csv: boolean;
  json: boolean;
  /** --context DIR, --for FILE and their limits (src/cli/context.ts). */
  context: string | undefined;
  contextFor: string | undefined;
  maxContextTokens: number | undefined;
  maxContextCost: Money | undefined;
}

export type ParsedArgs =
  | { kind: 'help' }
  /** `usage`: the usage text follows the message. */
  | { kind: 'error'; message: string; usage: boolean }
  | { kind: 'run'; args: CliArgs };

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string', multiple: true },
        currency: { type: 'string', default: 'CNY' },
        'exchange-rate': { type: 'string', default: String(Defaults.exchangeRate) },
        'output-tokens': { type: 'string', default: '0' },
        'cache-hit': { type: 'string', default: '0' },
        at: { type: 'string' },
        prices: { type: 'string' },
        'prices-override': { type: 'boolean', default: false },
        tokenizer: { type: 'string' },
        'tokenizer-file': { type: 'string', multiple: true },
        'tokenizer-pattern': { type: 'string', multiple: true },
        'tokenizer-normalize': { type: 'string', multiple: true },
        models: { type: 'boolean', default: false },
        'max-tokens': { type: 'string' },
        'max-cost': { type: 'string' },
        report: { type: 'string' },
        glob: { type: 'string', multiple: true },
        csv: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        context: { type: 'string' },
        for: { type: 'string' },
        'max-context-tokens': { type: 'string' },
        'max-context-cost': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    return { kind: 'error', message: (e as Error).message, usage: true };
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  const fail = (message: string): ParsedArgs => ({ kind: 'error', message, usage: false });

  const currency = String(v.currency).toUpperCase();
  if (currency !== 'CNY' && currency !== 'USD') return fail(`--currency must be CNY or USD, got "${v.currency}"`);
  const exchangeRate = Number(v['exchange-rate']);
  if (!(exchangeRate > 0) || !Number.isFinite(exchangeRate)) return fail(`--exchange-rate must be a positive number, got "${v['exchange-rate']}"`);
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
  if (v.report !== undefined && (parsed.positionals.length || v.tokenizer !== undefined || v.models)) return fail('--report DIR takes no FILE, --tokenizer or --models');
  let maxContextTokens: number | undefined;
  let maxContextCost: Money | undefined;
  if (v['max-context-tokens'] !== undefined) {
    const p = parseTokenBudget(v['max-context-tokens']);
    if (!p.ok) return fail(`--max-context-tokens ${p.message}`);
    maxContextTokens = p.value;
  }
  if (v['max-context-cost'] !== undefined) {
    const p = parseCostBudget(v['max-context-cost'], currency);
    if (!p.ok) return fail(`--max-context-cost ${p.message}`);
    maxContextCost = p.value;
  }
  if (v.context === undefined && (v.for !== undefined || maxContextTokens !== undefined || maxContextCost !== undefined)) return fail('--for, --max-context-tokens and --max-context-cost need --context DIR');
  if (v.context !== undefined && (parsed.positionals.length || v.report !== undefined || v.tokenizer !== undefined || v.models || v.csv || hasLimits)) {
    return fail('--context DIR takes no FILE, --report, --tokenizer, --models, --csv, --max-tokens or --max-cost');
  }
  if (v['prices-override'] && v.prices === undefined) return fail('--prices-override needs --prices FILE');
  if (v.tokenizer !== undefined && hasLimits) return fail('--max-tokens and --max-cost are per model; they cannot be combined with --tokenizer');

  return {
    kind: 'run',
    args: {
      files: parsed.positionals,
      modelGiven: Boolean(v.model?.length),
      modelIds: (v.model ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean),
      currency,
      exchangeRate,
      outputTokens,
      cacheHit,
      at,
      prices: v.prices,
      pricesOverride: v['prices-override'],
      tokenizer: v.tokenizer,
      tokenizerFiles: { files: v['tokenizer-file'] ?? [], patterns: v['tokenizer-pattern'] ?? [], normalize: v['tokenizer-normalize'] ?? [] },
      listModels: v.models,
      limits,
      report: v.report,
      globs: v.glob ?? [],
      csv: v.csv,
      json: v.json,
      context: v.context,
      contextFor: v.for,
      maxContextTokens,
      maxContextCost,
    },
  };
}
