// The Prompt Costs view's tree, without VS Code: a workspace report's files grouped by folder, each folder with its
// totals, most expensive first; files that were not counted come last in their folder. And which files belong in
// the report at all: the prompt-file globs, minus files.exclude and installed packages.
import picomatch from 'picomatch/posix';
import type { ReportRow, ReportTotals, WorkspaceReport } from './report';
import { comparePaths } from './report';

export interface FolderNode {
  kind: 'folder';
  name: string;
  /** '/'-separated, relative to the workspace folder. */
  path: string;
  totals: ReportTotals;
  children: ReportNode[];
}

export interface FileNode {
  kind: 'file';
  name: string;
  path: string;
  row: ReportRow;
}

export interface SkippedNode {
  kind: 'skipped';
  name: string;
  path: string;
  reason: string;
}

export type ReportNode = FolderNode | FileNode | SkippedNode;

const NO_TOTALS: ReportTotals = { files: 0, tokens: 0, cost: 0, estimates: 0 };

/** The top level of a report's tree (the workspace folder's children). */
export function reportTree(report: WorkspaceReport): ReportNode[] {
  const root: FolderNode = { kind: 'folder', name: '', path: '', totals: report.total(), children: [] };
  const folders = new Map<string, FolderNode>([['', root]]);
  const folderOf = (path: string): FolderNode => {
    const cut = path.lastIndexOf('/');
    const parentPath = cut < 0 ? '' : path.slice(0, cut);
    let f = folders.get(parentPath);
    if (!f) {
      const parent = folderOf(parentPath);
      f = { kind: 'folder', name: parentPath.slice(parentPath.lastIndexOf('/') + 1), path: parentPath, totals: report.folder(parentPath) ?? NO_TOTALS, children: [] };
      folders.set(parentPath, f);
      parent.children.push(f);
    }
    return f;
  };
  const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  for (const row of report.rows()) folderOf(row.path).children.push({ kind: 'file', name: name(row.path), path: row.path, row });
  for (const s of report.skipped()) folderOf(s.path).children.push({ kind: 'skipped', name: name(s.path), path: s.path, reason: s.reason });
  for (const f of folders.values()) f.children.sort(byCost);
  return root.children;
}

function costOf(n: ReportNode): number {
  return n.kind === 'folder' ? n.totals.cost : n.kind === 'file' ? n.row.cost : -1;
}

/** Most expensive first; at equal cost folders before files, then by name; files not counted last. */
function byCost(a: ReportNode, b: ReportNode): number {
  return costOf(b) - costOf(a) || Number(b.kind === 'folder') - Number(a.kind === 'folder') || comparePaths(a.path, b.path);
}

/** Folders whose files never belong in the report, whatever the globs say. */
const ALWAYS_EXCLUDED = ['**/node_modules'];

/**
 * Which '/'-separated paths, relative to a workspace folder, belong in the report: `included`, a prompt-file glob
 * matches (for files the search did not find: created later); `excluded`, the path or a folder above it matches an
 * exclude glob (as files.exclude hides a folder's whole content) or lies in node_modules. Invalid globs are ignored.
 */
export function reportFileMatcher(globs: readonly string[], excludes: readonly string[]): { included(path: string): boolean; excluded(path: string): boolean } {
  const compile = (list: readonly string[]) =>
    list.flatMap((g) => {
      try {
        return [picomatch(g.replace(/^\.?\//, ''), { dot: true })];
      } catch {
        return [];
      }
    });
  const include = compile(globs);
  const exclude = compile([...ALWAYS_EXCLUDED, ...excludes]);
  return {
    included: (path) => include.some((m) => m(path)),
    excluded: (path) => {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const p = parts.slice(0, i).join('/');
        if (exclude.some((m) => m(p))) return true;
      }
      return false;
    },
  };
}
