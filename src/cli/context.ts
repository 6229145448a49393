// --context DIR [--for FILE]: the instruction files coding agents send with every request from DIR (or, with --for,
// with a request about FILE), their tokens on one model and what they add to each request; --max-context-tokens and
// --max-context-cost fail CI (exit 3) as the other budgets do.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Money } from '../core/budgets/budgetValues';
import { contextFor, loadContextFiles, normalize } from '../core/context/contextFiles';
import type { ContextEntry, ContextFs } from '../core/context/contextFiles';
import { summarizeContext } from '../core/context/contextCost';
import type { ContextSummary } from '../core/context/contextCost';
import { TOOL_NAMES, ruleString } from '../core/context/contextRules';
import type { CostOptions } from '../core/cost';
import { cost } from '../core/cost';
import { formatCount, formatMoney } from '../core/money';
import type { ModelEntry } from '../core/prices/types';
import type { TokenCounter } from '../core/tokenizers/tokenCounter';
import type { CliIo } from './io';
import { EXIT_OVER_BUDGET } from './io';
import { printable, round } from './render';

export interface ContextLimits {
  maxTokens?: number;
  maxCost?: Money;
}

export interface ContextRun {
  io: CliIo;
  counter: TokenCounter;
  options: CostOptions;
  json: boolean;
  limits: ContextLimits;
}

/** node:fs as a ContextFs rooted at `root`; symbolic links are followed (a tool reading the file would too). */
export function nodeContextFs(root: string): ContextFs {
  const abs = (p: string) => join(root, ...p.split('/').filter(Boolean));
  return {
    async list(dir) {
      try {
        return readdirSync(abs(dir), { withFileTypes: true }).map((e) => {
          let directory = e.isDirectory();
          if (e.isSymbolicLink()) {
            try {
              directory = statSync(join(abs(dir), e.name)).isDirectory();
            } catch {
              directory = false;
            }
          }
          return { name: e.name, directory };
        });
      } catch {
        return undefined;
      }
    },
    async read(p) {
      return readFileSync(abs(p));
    },
  };
}

/** Exit status: 0 done (missing or unreadable files are reported, not fatal); 2 bad DIR or FILE; 3 over a limit. */
export async function runContext(dir: string, forFile: string | undefined, model: ModelEntry, run: ContextRun): Promise<number> {
  const { io } = run;
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`token-cost: --context ${dir}: ${code === 'ENOENT' ? 'no such directory' : (e as Error).message}\n`);
    return 2;
  }
  let target: string | undefined;
  if (forFile !== undefined) {
    // FILE is taken relative to the working directory, as a shell user writes it, else relative to DIR.
    const inside = (p: string) => {
      const r = relative(resolve(dir), resolve(p));
      return r.startsWith('..') || isAbsolute(r) || r === '' ? undefined : r;
    };
    const rel = inside(forFile) ?? (isAbsolute(forFile) ? undefined : inside(join(dir, forFile)));
    if (rel === undefined) {
      io.stderr(`token-cost: --for ${forFile}: not a file inside ${dir}\n`);
      return 2;
    }
    target = normalize(rel.split(sep).join('/'));
  }
  const files = await loadContextFiles(nodeContextFs(dir), target);
  const entries = contextFor(files, target);
  const summary = summarizeContext(entries, (text) => run.counter.count(model.tokenizer, text), model, run.options);
  for (const e of entries) if (e.file.problem) io.stderr(`token-cost: ${printable(join(dir, e.file.path))}: ${e.file.problem}\n`);

  const over = overLimits(summary, model, run);
  if (run.json) io.stdout(JSON.stringify(contextJson(target, model, summary, over), null, 2) + '\n');
  else io.stdout(renderContext(dir, target, model, summary) + renderOver(over));
  return over.length ? EXIT_OVER_BUDGET : 0;
}

interface OverLimit {
  limit: '--max-context-tokens' | '--max-context-cost';
  message: string;
}

function overLimits(s: ContextSummary, model: ModelEntry, run: ContextRun): OverLimit[] {
  const out: OverLimit[] = [];
  const { maxTokens, maxCost } = run.limits;
  const approx = s.exact ? '' : '≈';
  if (maxTokens !== undefined && s.totalTokens > maxTokens) {
    out.push({ limit: '--max-context-tokens', message: `${approx}${formatCount(s.totalTokens)} context tokens per request on ${model.name} (${model.id}), over the limit of ${formatCount(maxTokens)}` });
  }
  if (maxCost !== undefined) {
    const c = cost(s.totalTokens, model, { ...run.options, currency: maxCost.currency, outputTokens: 0 });
    if (!c) out.push({ limit: '--max-context-cost', message: `${model.id} has no current price in ${maxCost.currency}; the cost limit is not checked` });
    else if (c.inputCost > maxCost.amount) {
      out.push({ limit: '--max-context-cost', message: `${formatMoney(c.inputCost, c.currency)} per request on ${model.name} (${model.id}) from context files, over the limit of ${formatMoney(maxCost.amount, maxCost.currency)}` });
    }
  }
  return out;
}

function renderOver(over: OverLimit[]): string {
  if (!over.length) return '';
  return `\nOver budget (${over.length}):\n` + over.map((o) => `  ${o.message} [${o.limit}]\n`).join('');
}

/** What each row says about when the file is sent, short. */
function appliesText(e: ContextEntry): string {
  const f = e.file;
  switch (e.reason) {
    case 'always':
      return 'every request';
    case 'nearest':
      return f.scope ? `nearest AGENTS.md (${f.scope}/)` : 'nearest AGENTS.md';
    case 'ancestor':
      return `files under ${f.scope}/`;
    case 'glob-match':
      return `matches ${f.globs.join(', ')}`;
    case 'imported':
      return `imported by ${f.importedBy}`;
    case 'shadowed':
      return 'not sent: a nearer AGENTS.md wins';
    case 'other-folder':
      return `not sent: only for files under ${f.scope}/`;
    case 'glob-no-match':
      return `not sent: ${f.globs.join(', ')} does not match`;
    case 'needs-file':
      return `for files matching ${f.globs.join(', ')} (use --for FILE)`;
    case 'requested':
      return 'not sent: only when the agent requests it';
    case 'manual':
      return 'not sent: only when attached by hand';
    case 'not-read':
      return `not counted: ${f.problem}`;
  }
}

export function renderContext(dir: string, target: string | undefined, model: ModelEntry, s: ContextSummary): string {
  const head = target === undefined ? `${printable(dir)}: context files sent with every request` : `${printable(dir)}: context files sent with a request about ${printable(target)}`;
  const lines = [`${head}, counted for ${model.name} (${model.id})`];
  if (!s.rows.length) return lines[0] + '\n  none found\n';
  const approx = (exact: boolean) => (exact ? '' : '≈');
  const rows = [['', 'File', 'Tool', 'Tokens', 'Applies']];
  for (const r of s.rows) {
    const f = r.entry.file;
    rows.push([r.entry.applies ? '+' : '-', printable(f.path), TOOL_NAMES[f.tool], r.entry.applies || !f.problem ? `${approx(r.exact)}${formatCount(r.tokens)}` : '—', appliesText(r.entry)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  for (const r of rows) lines.push('  ' + r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd());
  const money = s.costPerRequest !== undefined && s.currency ? ` · ${formatMoney(s.costPerRequest, s.currency)} per request` : '';
  lines.push('', `  Total: ${approx(s.exact)}${formatCount(s.totalTokens)} tokens from ${s.files} file${s.files === 1 ? '' : 's'}${money}`);
  lines.push('  + sent · - found, not sent; files of every tool are summed (a project set up for one tool has only its own)');
  return lines.join('\n') + '\n';
}

export function contextJson(target: string | undefined, model: ModelEntry, s: ContextSummary, over: readonly OverLimit[] = []): unknown {
  const sent = s.rows.filter((r) => r.entry.applies);
  return {
    context: {
      for: target ?? null,
      model: model.id,
      files: sent.map((r) => ({ path: r.entry.file.path, tokens: r.tokens, exact: r.exact, tool: r.entry.file.tool, applies: r.entry.reason, frontMatterStripped: r.entry.file.frontMatterStripped, rule: ruleString(r.entry.file.rule) })),
      totalTokens: s.totalTokens,
      exact: s.exact,
      costPerRequest: s.costPerRequest === undefined ? null : round(s.costPerRequest),
      currency: s.currency ?? null,
      notSent: s.rows.filter((r) => !r.entry.applies).map((r) => ({ path: r.entry.file.path, tool: r.entry.file.tool, reason: r.entry.reason, ...(r.entry.file.problem ? { problem: r.entry.file.problem } : {}), rule: ruleString(r.entry.file.rule) })),
      ...(over.length ? { overBudget: over.map((o) => ({ limit: o.limit, message: o.message })) } : {}),
    },
  };
}
