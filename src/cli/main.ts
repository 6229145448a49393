// token-cost: the extension's engine on the command line, for scripts and CI. This is the entry point (dist/cli.js):
// arguments → the price table and models → --models, --report DIR or FILE… → exit status.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch/posix';
import type { CostOptions } from '../core/cost';
import { cost } from '../core/cost';
import { pricesAsOf } from '../core/prices/asOf';
import { parsePriceFile } from '../core/prices/importPriceFile';
import { defaultModels, defaultTableInfo, findModel, layerPriceTables } from '../core/prices/priceTable';
import { utcDay } from '../core/prices/inForce';
import type { ModelEntry, TokenizerId } from '../core/prices/types';
import { TokenCounter } from '../core/tokenizers/tokenCounter';
import { isKnownTokenizer } from '../core/tokenizers/tokenizerIds';
import { DEFAULT_MODEL, USAGE, parseCliArgs } from './args';
import { BudgetLog } from './budgetLog';
import { countFiles } from './countFiles';
import { defaultPromptGlobs } from './files';
import type { CliIo } from './io';
import { noPriceReason, renderModelList } from './render';
import { runReport } from './report';
import { runContext } from './context';
import { parseTokenizerFileArgs, readTokenizerSources } from './tokenizerFiles';

export type { CliIo } from './io';
export { EXIT_OVER_BUDGET } from './io';

/** A number, or with --context (which reads through an async file-system interface) a promise of one. */
export function runCli(argv: string[], io: CliIo): number | Promise<number> {
  const fail = (msg: string) => {
    io.stderr(`token-cost: ${msg}\n`);
    return 2;
  };
  const parsed = parseCliArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    if (parsed.usage) io.stderr(`token-cost: ${parsed.message}\n\n${USAGE}`);
    else fail(parsed.message);
    return 2;
  }
  const args = parsed.args;

  // Price table: defaults plus an optional file in any supported format; bad entries are reported and skipped.
  const layers = [];
  if (args.prices) {
    let text: string;
    try {
      text = new TextDecoder().decode(io.readFile(args.prices));
    } catch (e) {
      return fail(`cannot read price table ${args.prices}: ${(e as Error).message}`);
    }
    const parsed = parsePriceFile(text, args.prices, { fileDate: io.fileDate?.(args.prices), base: defaultModels(), override: args.pricesOverride });
    if (!parsed.table) return fail(`cannot read price table ${args.prices}: ${parsed.problems.map((p) => p.message).join('; ')}`);
    for (const p of parsed.problems) io.stderr(`token-cost: ${args.prices}: ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
    const kept = parsed.merged.filter((m) => m.winner === 'shipped');
    if (kept.length) io.stderr(`token-cost: ${args.prices}: ${kept.length} imported model${kept.length === 1 ? '' : 's'} match${kept.length === 1 ? 'es' : ''} a shipped one, whose price is kept (--prices-override uses the file's): ${kept.map((m) => m.model).join(', ')}\n`);
    layers.push({ origin: args.prices, input: parsed.table });
  }
  // The user's own tokenizers, declared before prices are validated: an entry may name one.
  const userTokenizers = parseTokenizerFileArgs(args.tokenizerFiles);
  if ('error' in userTokenizers) return fail(userTokenizers.error);
  const userIds = new Set(userTokenizers.entries.map((e) => e.id));
  const table = layerPriceTables(layers, undefined, userIds);
  for (const e of table.errors) io.stderr(`token-cost: ${e.origin}: ${e.path}${e.model ? ` (${e.model})` : ''}: ${e.message}\n`);
  const tableInfo = defaultTableInfo();
  const asOf = (ids: readonly string[]) => pricesAsOf({ updated: tableInfo.updated, models: table.models }, ids);

  if (args.listModels) {
    if (args.json) io.stdout(JSON.stringify({ version: 1, updated: tableInfo.updated, models: table.models }, null, 2) + '\n');
    else io.stdout(renderModelList(table.models));
    return 0;
  }

  let models: ModelEntry[] = table.models;
  if (args.modelGiven) {
    models = [];
    for (const id of args.modelIds) {
      const m = findModel(table.models, id);
      if (!m) return fail(`unknown model "${id}"; run token-cost --models to list them`);
      if (!models.includes(m)) models.push(m);
    }
    if (models.length === 0) return fail('--model needs at least one model id');
  }
  const tokenizer = args.tokenizer;
  if (tokenizer !== undefined && !isKnownTokenizer(tokenizer) && !userIds.has(tokenizer)) return fail(`unknown tokenizer "${tokenizer}"`);

  const counter = new TokenCounter(io.tableDir);
  // Asked for by name, so a file that does not load fails the run rather than giving estimates in its place.
  const loadErrors = counter.user.set(readTokenizerSources(userTokenizers.entries, io)).filter((s) => !s.ok);
  if (loadErrors.length) return fail(loadErrors.map((s) => s.message).join('\ntoken-cost: '));
  const options: CostOptions = { currency: args.currency, exchangeRate: args.exchangeRate, outputTokens: args.outputTokens, cacheHitShare: args.cacheHit, at: args.at };
  const defaultModelId = args.modelGiven ? models[0].id : DEFAULT_MODEL;
  const budgets = new BudgetLog(table.models, defaultModelId, args.limits, options);

  if (args.context !== undefined) {
    const model = findModel(table.models, defaultModelId);
    if (!model || !cost(0, model, options)) return fail(`${defaultModelId} has no current price; pick another with --model`);
    if (args.modelGiven && models.length > 1) io.stderr(`token-cost: --context counts for one model, ${model.id}; the other --model ids are ignored\n`);
    return runContext(args.context, args.contextFor, model, { io, counter, options, json: args.json, limits: { maxTokens: args.maxContextTokens, maxCost: args.maxContextCost } });
  }
  if (args.report !== undefined) {
    const model = findModel(table.models, defaultModelId);
    if (!model) return fail(`unknown model "${defaultModelId}"; run token-cost --models to list them`);
    if (!cost(0, model, options)) return fail(`${noPriceReason(model.id, args.at)}; pick another with --model`);
    if (args.modelGiven && models.length > 1) io.stderr(`token-cost: --report prices for one model, ${model.id}; the other --model ids are ignored\n`);
    const globs = args.globs.length ? args.globs : defaultPromptGlobs();
    if (!globs) return fail('the extension manifest has no tokenCost.promptFiles default; pass --glob');
    let isPrompt: (path: string) => boolean;
    try {
      isPrompt = picomatch(globs, { dot: true });
    } catch (e) {
      return fail(`--glob: ${(e as Error).message}`);
    }
    return runReport(args.report, isPrompt, model, { io, counter, options, budgets, json: args.json, csv: args.csv, asOf: asOf([model.id]) });
  }
  if (args.files.length === 0) return fail(`no input files (use "-" for standard input)\n\n${USAGE}`);
  // Checked above: bundled, or declared by --tokenizer-file.
  return countFiles(args.files, { io, counter, models, named: args.modelGiven, tokenizer: tokenizer as TokenizerId | undefined, options, outputTokens: args.outputTokens, budgets, json: args.json, asOf: asOf(models.map((m) => m.id)) });
}

if (require.main === module) {
  const result = runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    readFile: (p) => readFileSync(p),
    readStdin: () => readFileSync(0),
    fileDate: (p) => {
      try {
        return utcDay(statSync(p).mtime);
      } catch {
        return undefined;
      }
    },
    // Relative to the bundle, dist/cli.js: the rank tables are built into dist/tokenizers.
    tableDir: join(__dirname, 'tokenizers'),
  });
  void Promise.resolve(result).then((code) => {
    process.exitCode = code;
  });
}
