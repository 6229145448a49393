// A workspace report: what each prompt file costs on one model, with totals for every folder. Built to be updated
// one file at a time (the extension recounts only the file that changed): folder totals are adjusted by the
// difference, never recomputed from every row. Costs are summed as whole femto-units (1e-15 of the currency) in
// BigInt, so taking a row out restores the total exactly; float sums would drift, even below zero.
import type { Currency } from '../prices/types';

export interface ReportRow {
  /** Workspace-relative, '/'-separated: `prompts/zh/rewrite.prompt.md`. */
  path: string;
  tokens: number;
  /** False when the count is an estimate. */
  exact: boolean;
  /** Total cost (input and any assumed output) in `currency`. */
  cost: number;
  currency: Currency;
}

export interface ReportTotals {
  files: number;
  tokens: number;
  cost: number;
  /** How many of the files were counted with an estimate. */
  estimates: number;
}

export interface FolderTotals extends ReportTotals {
  /** '/'-separated; the workspace root's totals are `total()`, not a folder. */
  path: string;
}

export interface SkippedFile {
  path: string;
  /** Why it was not counted: "looks binary", "17.0 MB is above the 16.0 MB limit"… */
  reason: string;
}

export interface WorkspaceReportOptions {
  /** Every row's currency: sums across currencies would mean nothing. */
  currency: Currency;
  /** The model the files were priced for, recorded in the outputs. */
  model?: string;
}

export class WorkspaceReport {
  readonly currency: Currency;
  readonly model: string | undefined;
  private readonly byPath = new Map<string, ReportRow>();
  private readonly skips = new Map<string, string>();
  private readonly byFolder = new Map<string, Sums>();
  private readonly root: Sums = emptySums();
  private sorted: ReportRow[] | undefined;

  constructor(options: WorkspaceReportOptions) {
    this.currency = options.currency;
    this.model = options.model;
  }

  /**
   * Adds or replaces a file's row. Throws a RangeError for a row in another currency or with a negative, fractional
   * or non-finite count or cost: those are the caller's bugs, and a silent sum of them would be wrong.
   */
  set(row: ReportRow): void {
    if (row.currency !== this.currency) throw new RangeError(`report rows must be in ${this.currency}, got ${row.currency} for ${row.path}`);
    if (!Number.isSafeInteger(row.tokens) || row.tokens < 0) throw new RangeError(`tokens must be a whole number ≥ 0, got ${row.tokens} for ${row.path}`);
    if (!Number.isFinite(row.cost) || row.cost < 0) throw new RangeError(`cost must be a finite number ≥ 0, got ${row.cost} for ${row.path}`);
    this.delete(row.path);
    const copy = { path: row.path, tokens: row.tokens, exact: row.exact, cost: row.cost, currency: row.currency };
    this.byPath.set(row.path, copy);
    this.adjust(copy, +1);
  }

  /** Records a file that could not be counted; replaces its row if it had one. */
  skip(path: string, reason: string): void {
    this.delete(path);
    this.skips.set(path, reason);
  }

  /** Forgets a file (counted or skipped); false when it was not in the report. */
  delete(path: string): boolean {
    const old = this.byPath.get(path);
    if (old) {
      this.byPath.delete(path);
      this.adjust(old, -1);
      return true;
    }
    return this.skips.delete(path);
  }

  get(path: string): ReportRow | undefined {
    return this.byPath.get(path);
  }

  /** Counted files. */
  get size(): number {
    return this.byPath.size;
  }

  /** Counted files, most expensive first, then by path. */
  rows(): readonly ReportRow[] {
    this.sorted ??= [...this.byPath.values()].sort((a, b) => b.cost - a.cost || comparePaths(a.path, b.path));
    return this.sorted;
  }

  /** Every folder holding a counted file at any depth, parents before their children. */
  folders(): FolderTotals[] {
    return [...this.byFolder].map(([path, t]) => ({ path, ...settle(t) })).sort((a, b) => comparePaths(a.path, b.path));
  }

  folder(path: string): FolderTotals | undefined {
    const t = this.byFolder.get(path);
    return t && { path, ...settle(t) };
  }

  /** The whole workspace: every counted file. */
  total(): ReportTotals {
    return settle(this.root);
  }

  skipped(): SkippedFile[] {
    return [...this.skips].map(([path, reason]) => ({ path, reason })).sort((a, b) => comparePaths(a.path, b.path));
  }

  private adjust(row: ReportRow, sign: 1 | -1): void {
    this.sorted = undefined;
    const units = BigInt(sign) * toUnits(row.cost);
    const add = (t: Sums) => {
      t.files += sign;
      t.tokens += sign * row.tokens;
      t.units += units;
      if (!row.exact) t.estimates += sign;
    };
    add(this.root);
    const parts = row.path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      let t = this.byFolder.get(folder);
      if (!t) this.byFolder.set(folder, (t = emptySums()));
      add(t);
      if (t.files === 0) this.byFolder.delete(folder);
    }
  }
}

interface Sums {
  files: number;
  tokens: number;
  /** Cost in femto-units of the currency. */
  units: bigint;
  estimates: number;
}

const UNITS_PER_ONE = 1e15;

function toUnits(cost: number): bigint {
  return BigInt(Math.round(cost * UNITS_PER_ONE));
}

function emptySums(): Sums {
  return { files: 0, tokens: 0, units: 0n, estimates: 0 };
}

function settle(t: Sums): ReportTotals {
  return { files: t.files, tokens: t.tokens, cost: round(Number(t.units) / UNITS_PER_ONE), estimates: t.estimates };
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** Segment by segment, by UTF-16 code unit (locale-independent): `a` < `a/b` < `a-b`, so a folder precedes its children. */
export function comparePaths(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

// ---- Outputs ----

export const REPORT_JSON_VERSION = 1;

/**
 * The JSON shape, version 1. Files most expensive first; folders parents first; costs rounded to 12 significant
 * digits; `exact` is true when no file in it was estimated.
 */
export interface ReportJson {
  version: 1;
  currency: Currency;
  model: string | null;
  total: { files: number; tokens: number; exact: boolean; cost: number };
  folders: { path: string; files: number; tokens: number; exact: boolean; cost: number }[];
  files: { path: string; tokens: number; exact: boolean; cost: number }[];
  skipped: SkippedFile[];
}

export function reportToJson(report: WorkspaceReport): ReportJson {
  const totals = (t: ReportTotals) => ({ files: t.files, tokens: t.tokens, exact: t.estimates === 0, cost: t.cost });
  return {
    version: REPORT_JSON_VERSION,
    currency: report.currency,
    model: report.model ?? null,
    total: totals(report.total()),
    folders: report.folders().map((f) => ({ path: f.path, ...totals(f) })),
    files: report.rows().map((r) => ({ path: r.path, tokens: r.tokens, exact: r.exact, cost: round(r.cost) })),
    skipped: report.skipped(),
  };
}

export function toJson(report: WorkspaceReport): string {
  return JSON.stringify(reportToJson(report), null, 2) + '\n';
}

export const CSV_HEADER = ['kind', 'path', 'files', 'tokens', 'exact', 'cost', 'currency', 'note'] as const;

/**
 * RFC 4180 CSV, CRLF line ends: a header, then `file` rows (most expensive first), `folder` rows, one `total` row and
 * `skipped` rows (the reason in `note`). Paths come from cloned repositories, so a cell a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
 */
export function toCsv(report: WorkspaceReport): string {
  const c = report.currency;
  const lines: string[][] = [[...CSV_HEADER]];
  const exact = (t: ReportTotals) => String(t.estimates === 0);
  for (const r of report.rows()) lines.push(['file', r.path, '1', String(r.tokens), String(r.exact), plain(r.cost), c, '']);
  for (const f of report.folders()) lines.push(['folder', f.path, String(f.files), String(f.tokens), exact(f), plain(f.cost), c, '']);
  const t = report.total();
  lines.push(['total', '', String(t.files), String(t.tokens), exact(t), plain(t.cost), c, '']);
  for (const s of report.skipped()) lines.push(['skipped', s.path, '', '', '', '', '', s.reason]);
  return lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const plainNumber = new Intl.NumberFormat('en-US', { useGrouping: false, maximumSignificantDigits: 12 });

/** 0.00000005, not 5e-8: every spreadsheet reads it. */
function plain(x: number): string {
  return plainNumber.format(x);
}
