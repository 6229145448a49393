// Reading what the CLI counts: FILE operands, and the prompt files under a --report folder (found by walking it).
import type { Dirent } from 'node:fs';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import manifest from '../../package.json';
import { decodeText, formatBytes } from '../core/textInput';
import type { CliIo } from './io';
import { Defaults } from '../constants';

/** Larger files are skipped by --report: the extension's tokenCost.maxFileSize default, 16 MB. */
export const MAX_REPORT_FILE_BYTES = Defaults.maxFileSize;

/** A file's text, or why it cannot be counted (shown after its name). */
export type ReadText = { ok: true; text: string; invalidUtf8: boolean } | { ok: false; message: string };

/** A FILE operand ("-" is standard input); binary files are refused. */
export function readInputFile(path: string, io: Pick<CliIo, 'readFile' | 'readStdin'>): ReadText {
  let bytes: Uint8Array;
  try {
    bytes = path === '-' ? io.readStdin() : io.readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, message: err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message };
  }
  return decoded(bytes);
}

/** A prompt file found by --report, `size` bytes long: above the size limit or binary, it is skipped. */
export function readPromptFile(abs: string, size: number): ReadText {
  if (size > MAX_REPORT_FILE_BYTES) return { ok: false, message: `${formatBytes(size)} is above the ${formatBytes(MAX_REPORT_FILE_BYTES)} limit` };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(abs);
  } catch (e) {
    return { ok: false, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return decoded(bytes, MAX_REPORT_FILE_BYTES);
}

function decoded(bytes: Uint8Array, maxBytes?: number): ReadText {
  const d = decodeText(bytes, maxBytes);
  return d.ok ? { ok: true, text: d.text, invalidUtf8: d.invalidUtf8 } : { ok: false, message: d.message };
}

/** Why `dir` cannot be walked by --report, or undefined when it is a folder. */
export function reportFolderProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' ? 'no such directory' : err.message;
  }
  return undefined;
}

/**
 * The extension's tokenCost.promptFiles default, read from the manifest so the two cannot drift. `configuration` may
 * be one section or an array of them, so it is looked up in either shape.
 */
export function defaultPromptGlobs(): string[] | undefined {
  const configuration = (manifest as { contributes?: { configuration?: unknown } }).contributes?.configuration;
  for (const section of Array.isArray(configuration) ? configuration : [configuration]) {
    const globs = (section as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties?.['tokenCost.promptFiles']?.default;
    if (Array.isArray(globs) && globs.every((g) => typeof g === 'string')) return globs;
  }
  return undefined;
}

export interface WalkVisitor {
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
export function walkPromptFiles(root: string, isPrompt: (path: string) => boolean, visit: WalkVisitor): void {
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
