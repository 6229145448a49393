// The instruction files coding agents send with every request (AGENTS.md, CLAUDE.md, GEMINI.md, Copilot, Cursor,
// Cline and Windsurf rules): where each tool looks for them, what of each file is sent, and which apply to a given
// file. Pure: reading goes through a ContextFs (node:fs in the CLI, vscode.workspace.fs in the extension). Paths are
// POSIX, relative to the workspace folder ('' is the folder itself). Counting is the caller's: each file's `sent`.
import picomatch from 'picomatch/posix';
import { decodeText } from '../textInput';
import type { ContextRuleId, ContextTool } from './contextRules';
import { globList, parseRuleFrontMatter } from './contextFrontMatter';

export interface ContextDirEntry {
  name: string;
  directory: boolean;
}

export interface ContextFs {
  /** The entries of folder `dir`; undefined when it does not exist or is not a folder. */
  list(dir: string): Promise<readonly ContextDirEntry[] | undefined>;
  /** The bytes of file `path`; rejects when it cannot be read. */
  read(path: string): Promise<Uint8Array>;
}

/**
 * When a file is sent: `always`; `nearest` (AGENTS.md: the closest one above the file); `ancestor` (CLAUDE.md,
 * GEMINI.md in a subfolder: for files under it); `glob` (its globs match the file); `requested` (the agent decides
 * from a description); `manual` (only when attached by hand); `import` (with the file that imports it).
 */
export type ContextActivation = 'always' | 'nearest' | 'ancestor' | 'glob' | 'requested' | 'manual' | 'import';

export interface ContextFile {
  path: string;
  tool: ContextTool;
  activation: ContextActivation;
  rule: ContextRuleId;
  /** The folder it governs for `nearest` and `ancestor` ('' the root). */
  scope: string;
  /** For `glob`: the patterns, relative to the workspace folder. */
  globs: string[];
  /** The text counted as sent: the whole file, or the text after its front matter. */
  sent: string;
  frontMatterStripped: boolean;
  /** For `import`: the file whose @path brought it in. */
  importedBy?: string;
  /** Why it is not counted (missing, unreadable, binary, too large, outside the folder); `sent` is then ''. */
  problem?: string;
}

export type ContextReason =
  | 'always'
  | 'nearest'
  | 'shadowed'
  | 'ancestor'
  | 'other-folder'
  | 'glob-match'
  | 'glob-no-match'
  | 'needs-file'
  | 'requested'
  | 'manual'
  | 'imported'
  | 'not-read';

export interface ContextEntry {
  file: ContextFile;
  applies: boolean;
  reason: ContextReason;
}

/** Instruction files larger than this are reported, not read (no real one comes near it). */
export const MAX_CONTEXT_FILE_BYTES = 1024 * 1024;
/** Claude Code follows imports up to five hops; Gemini CLI documents no limit, so the same bound keeps cycles out. */
const MAX_IMPORT_DEPTH = 5;
/** Bounds on walking the rule folders, so a huge or looping tree cannot stall discovery. */
const MAX_RULE_FILES = 500;
const MAX_RULE_DEPTH = 8;

const MEMORY_NAMES: Readonly<Record<string, ContextTool>> = { 'AGENTS.md': 'agents', 'CLAUDE.md': 'claude', 'CLAUDE.local.md': 'claude', 'GEMINI.md': 'gemini' };

interface Candidate {
  path: string;
  tool: ContextTool;
  kind: 'memory' | 'copilot-repo' | 'copilot-path' | 'cursor' | 'cursor-legacy' | 'cline-file' | 'cline-folder' | 'windsurf-legacy' | 'windsurf';
}

/**
 * Finds the instruction files of the workspace folder that can apply to `target` (a file path relative to the folder),
 * or, without a target, the ones the tools read from the folder itself. AGENTS.md, CLAUDE.md and GEMINI.md are looked
 * for in the folder and in each folder between it and the target.
 */
export async function loadContextFiles(fs: ContextFs, target?: string): Promise<ContextFile[]> {
  const candidates: Candidate[] = [];
  const root = (await safeList(fs, '')) ?? [];
  const has = (entries: readonly ContextDirEntry[], name: string, directory: boolean) => entries.some((e) => e.name === name && e.directory === directory);

  const dirs = target === undefined ? [''] : ['', ...ancestorsOf(target)];
  for (const dir of dirs) {
    const entries = dir === '' ? root : await safeList(fs, dir);
    for (const e of entries ?? []) if (!e.directory && MEMORY_NAMES[e.name]) candidates.push({ path: join(dir, e.name), tool: MEMORY_NAMES[e.name], kind: 'memory' });
    // Claude Code also reads a project memory at .claude/CLAUDE.md.
    if (entries && has(entries, '.claude', true)) {
      const claude = await safeList(fs, join(dir, '.claude'));
      if (claude && has(claude, 'CLAUDE.md', false)) candidates.push({ path: join(dir, '.claude/CLAUDE.md'), tool: 'claude', kind: 'memory' });
    }
  }
  if (has(root, '.github', true)) {
    const gh = (await safeList(fs, '.github')) ?? [];
    if (has(gh, 'copilot-instructions.md', false)) candidates.push({ path: '.github/copilot-instructions.md', tool: 'copilot', kind: 'copilot-repo' });
    if (has(gh, 'instructions', true)) {
      for (const p of await walk(fs, '.github/instructions')) if (p.endsWith('.instructions.md')) candidates.push({ path: p, tool: 'copilot', kind: 'copilot-path' });
    }
  }
  if (has(root, '.cursor', true)) {
    const cursor = (await safeList(fs, '.cursor')) ?? [];
    if (has(cursor, 'rules', true)) for (const p of await walk(fs, '.cursor/rules')) if (p.endsWith('.mdc')) candidates.push({ path: p, tool: 'cursor', kind: 'cursor' });
  }
  if (has(root, '.cursorrules', false)) candidates.push({ path: '.cursorrules', tool: 'cursor', kind: 'cursor-legacy' });
  if (has(root, '.clinerules', false)) candidates.push({ path: '.clinerules', tool: 'cline', kind: 'cline-file' });
  if (has(root, '.clinerules', true)) for (const p of await walk(fs, '.clinerules')) if (/\.(md|txt)$/i.test(p)) candidates.push({ path: p, tool: 'cline', kind: 'cline-folder' });
  if (has(root, '.windsurfrules', false)) candidates.push({ path: '.windsurfrules', tool: 'windsurf', kind: 'windsurf-legacy' });
  if (has(root, '.windsurf', true)) {
    const ws = (await safeList(fs, '.windsurf')) ?? [];
    if (has(ws, 'rules', true)) for (const p of await walk(fs, '.windsurf/rules')) if (p.endsWith('.md')) candidates.push({ path: p, tool: 'windsurf', kind: 'windsurf' });
  }

  const out: ContextFile[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.path)) continue;
    seen.add(c.path);
    const read = await readText(fs, c.path);
    const file = classify(c, read.ok ? read.text : '');
    if (!read.ok) file.problem = read.message;
    out.push(file);
    if (read.ok && (c.tool === 'claude' || c.tool === 'gemini')) await addImports(fs, file, out, seen, 1);
  }
  return out;
}

/** What of a found file is sent, and when. */
function classify(c: Candidate, text: string): ContextFile {
  const dir = dirname(c.path);
  const base: Omit<ContextFile, 'activation' | 'rule'> = { path: c.path, tool: c.tool, scope: '', globs: [], sent: text, frontMatterStripped: false };
  const stripped = () => {
    const fm = parseRuleFrontMatter(text);
    return { fm, sent: fm.body, frontMatterStripped: fm.present };
  };
  switch (c.kind) {
    case 'memory': {
      // A .claude/CLAUDE.md governs the folder that holds .claude.
      const scope = c.path.endsWith('.claude/CLAUDE.md') ? dirname(dir) : dir;
      if (c.tool === 'agents') return { ...base, scope, activation: 'nearest', rule: 'agents-nearest' };
      const rule = c.tool === 'claude' ? 'claude-memory' : 'gemini-hierarchy';
      return { ...base, scope, activation: scope === '' ? 'always' : 'ancestor', rule };
    }
    case 'copilot-repo':
      return { ...base, activation: 'always', rule: 'copilot-repo' };
    case 'copilot-path': {
      const { fm, sent, frontMatterStripped } = stripped();
      const globs = globList(fm.fields.get('applyto'));
      if (globs.length === 0) return { ...base, sent, frontMatterStripped, activation: 'manual', rule: 'copilot-path-manual' };
      // GitHub's docs: "**", "*" or "**/*" apply the file to every file.
      if (globs.some((g) => g === '**' || g === '*' || g === '**/*')) return { ...base, sent, frontMatterStripped, globs, activation: 'always', rule: 'copilot-path' };
      return { ...base, sent, frontMatterStripped, globs, activation: 'glob', rule: 'copilot-path' };
    }
    case 'cursor': {
      const { fm, sent, frontMatterStripped } = stripped();
      const globs = globList(fm.fields.get('globs'));
      const description = fm.fields.get('description');
      if (fm.fields.get('alwaysapply') === true) return { ...base, sent, frontMatterStripped, activation: 'always', rule: 'cursor-always' };
      if (globs.length) return { ...base, sent, frontMatterStripped, globs, activation: 'glob', rule: 'cursor-glob' };
      if (typeof description === 'string' && description.trim()) return { ...base, sent, frontMatterStripped, activation: 'requested', rule: 'cursor-requested' };
      return { ...base, sent, frontMatterStripped, activation: 'manual', rule: 'cursor-manual' };
    }
    case 'cursor-legacy':
      return { ...base, activation: 'always', rule: 'cursor-legacy' };
    case 'cline-file':
      return { ...base, activation: 'always', rule: 'cline-file' };
    case 'cline-folder': {
      const { fm, sent, frontMatterStripped } = stripped();
      const globs = globList(fm.fields.get('paths'));
      if (globs.length) return { ...base, sent, frontMatterStripped, globs, activation: 'glob', rule: 'cline-paths' };
      return { ...base, sent, frontMatterStripped, activation: 'always', rule: 'cline-folder' };
    }
    case 'windsurf-legacy':
      return { ...base, activation: 'always', rule: 'windsurf-legacy' };
    case 'windsurf': {
      const { fm, sent, frontMatterStripped } = stripped();
      const trigger = fm.fields.get('trigger');
      const globs = globList(fm.fields.get('globs'));
      if (trigger === 'always_on') return { ...base, sent, frontMatterStripped, activation: 'always', rule: 'windsurf-always' };
      if (trigger === 'glob' && globs.length) return { ...base, sent, frontMatterStripped, globs, activation: 'glob', rule: 'windsurf-glob' };
      if (trigger === 'model_decision') return { ...base, sent, frontMatterStripped, activation: 'requested', rule: 'windsurf-model' };
      return { ...base, sent, frontMatterStripped, activation: 'manual', rule: 'windsurf-manual' };
    }
  }
}

/** Which files apply to `target` (relative path), or without one, which are sent with every request from the folder. */
export function contextFor(files: readonly ContextFile[], target?: string): ContextEntry[] {
  const t = target === undefined ? undefined : normalize(target);
  // AGENTS.md: only the deepest one whose folder holds the target (the root one without a target).
  const agentScopes = files.filter((f) => f.activation === 'nearest' && !f.problem && (t === undefined ? f.scope === '' : isUnder(t, f.scope))).map((f) => f.scope);
  const nearest = agentScopes.sort((a, b) => depth(b) - depth(a))[0];
  const decided = new Map<string, ContextEntry>();
  const decide = (f: ContextFile): ContextEntry => {
    const known = decided.get(f.path);
    if (known) return known;
    let e: ContextEntry;
    if (f.problem) e = { file: f, applies: false, reason: 'not-read' };
    else if (f.activation === 'always') e = { file: f, applies: true, reason: 'always' };
    else if (f.activation === 'nearest') {
      const inScope = t === undefined ? f.scope === '' : isUnder(t, f.scope);
      e = inScope && f.scope === nearest ? { file: f, applies: true, reason: 'nearest' } : { file: f, applies: false, reason: inScope ? 'shadowed' : 'other-folder' };
    } else if (f.activation === 'ancestor') {
      e = t !== undefined && isUnder(t, f.scope) ? { file: f, applies: true, reason: 'ancestor' } : { file: f, applies: false, reason: 'other-folder' };
    } else if (f.activation === 'glob') {
      if (t === undefined) e = { file: f, applies: false, reason: 'needs-file' };
      else e = globsMatch(f.globs, t) ? { file: f, applies: true, reason: 'glob-match' } : { file: f, applies: false, reason: 'glob-no-match' };
    } else if (f.activation === 'import') {
      const parent = files.find((p) => p.path === f.importedBy);
      // Marked before recursing so an import cycle ends.
      decided.set(f.path, { file: f, applies: false, reason: 'imported' });
      e = { file: f, applies: parent ? decide(parent).applies : false, reason: 'imported' };
    } else e = { file: f, applies: false, reason: f.activation };
    decided.set(f.path, e);
    return e;
  };
  return files.map(decide);
}

/** Every pattern relative to the workspace folder, with VS Code's glob dialect (dot files match; `{a,b}`, `**`). */
export function globsMatch(globs: readonly string[], path: string): boolean {
  const p = normalize(path);
  return globs.some((g) => {
    try {
      return picomatch(g.replace(/^\.?\//, ''), { dot: true })(p);
    } catch {
      return false;
    }
  });
}

/** @path imports (Claude Code and Gemini CLI): relative to the importing file, outside code spans and fences. */
export function importPaths(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, ' ');
    for (const m of prose.matchAll(/(?:^|\s)@((?:[^\s\\]|\\ )+)/g)) {
      const p = m[1].replace(/\\ /g, ' ').replace(/[.,;:!?)\]]+$/, '');
      // A path has a slash or an extension; "@someone" in prose is a mention, not an import.
      if (p && (p.includes('/') || /\.\w+$/.test(p)) && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

async function addImports(fs: ContextFs, from: ContextFile, out: ContextFile[], seen: Set<string>, hop: number): Promise<void> {
  if (hop > MAX_IMPORT_DEPTH) return;
  const rule: ContextRuleId = from.tool === 'claude' ? 'claude-import' : 'gemini-import';
  for (const spec of importPaths(from.sent)) {
    const outside = spec.startsWith('~') || spec.startsWith('/') || /^[A-Za-z]:[\\/]/.test(spec);
    const path = outside ? spec : normalize(join(dirname(from.path), spec));
    if (seen.has(path)) continue;
    seen.add(path);
    const file: ContextFile = { path, tool: from.tool, activation: 'import', rule, scope: from.scope, globs: [], sent: '', frontMatterStripped: false, importedBy: from.path };
    if (outside || path.startsWith('../')) {
      file.problem = 'outside the workspace folder; not counted';
      out.push(file);
      continue;
    }
    const read = await readText(fs, path);
    if (!read.ok) {
      file.problem = read.message;
      out.push(file);
      continue;
    }
    file.sent = read.text;
    out.push(file);
    await addImports(fs, file, out, seen, hop + 1);
  }
}

type ReadResult = { ok: true; text: string } | { ok: false; message: string };

async function readText(fs: ContextFs, path: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.read(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, message: code === 'ENOENT' || code === 'FileNotFound' ? 'missing' : `cannot read: ${code ?? (e as Error).message}` };
  }
  const d = decodeText(bytes, MAX_CONTEXT_FILE_BYTES);
  return d.ok ? { ok: true, text: d.text } : { ok: false, message: d.message };
}

async function safeList(fs: ContextFs, dir: string): Promise<readonly ContextDirEntry[] | undefined> {
  try {
    return await fs.list(dir);
  } catch {
    return undefined;
  }
}

/** Files under `dir`, sorted (Cline orders by name: "01-", "02-"), within the depth and count bounds. */
async function walk(fs: ContextFs, dir: string, level = 0, acc: string[] = []): Promise<string[]> {
  if (level > MAX_RULE_DEPTH) return acc;
  const entries = [...((await safeList(fs, dir)) ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (acc.length >= MAX_RULE_FILES) break;
    if (e.directory) await walk(fs, join(dir, e.name), level + 1, acc);
    else acc.push(join(dir, e.name));
  }
  return acc;
}

/** Folders between the root (excluded) and the file (its own folder included): "a/b/c.md" → ["a", "a/b"]. */
function ancestorsOf(target: string): string[] {
  const parts = normalize(target).split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/')).filter((d) => d && !d.startsWith('..'));
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(dir + '/');
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** POSIX-normalizes a relative path: backslashes, "./" and "a/../" folded; a leading ".." is kept. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
