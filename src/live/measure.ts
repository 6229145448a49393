// What to count in an editor: its selections (summed) or the whole document, within the size limit. The whole
// document is counted by the worker from its own copy, so measuring it copies no text.
import type * as vscode from 'vscode';
import type { TokenCostConfig } from '../services/settings';
import { looksBinary, oversizeBytes } from '../core/textInput';

export type Measurement =
  | { ok: true; key: string; documentName: string; scope: 'document'; document: vscode.TextDocument }
  | { ok: true; key: string; documentName: string; scope: 'selection'; texts: string[] }
  | { ok: false; key: string; documentName: string; reason: 'too-large' | 'binary'; bytes: number };

/** The document part of a measurement key ("uri@version:selections"; versions and offsets hold no "@"). */
export function documentOfKey(key: string | undefined): string | undefined {
  return key === undefined ? undefined : key.slice(0, key.lastIndexOf('@'));
}

export function documentName(doc: vscode.TextDocument): string {
  return doc.isUntitled ? doc.uri.path : doc.uri.path.split('/').pop() || doc.uri.toString();
}

/** Documents found to hold NUL characters (binary files opened as text), by URI; checked once per document. */
const binary = new WeakMap<vscode.TextDocument, boolean>();

/**
 * Whether a document holds NUL characters, decided on its first look: reading a 4 MB document's text again on every
 * keystroke or budget check would cost the extension host tens of milliseconds and megabytes of garbage each time.
 */
export function isBinaryDocument(doc: vscode.TextDocument): boolean {
  let isBinary = binary.get(doc);
  if (isBinary === undefined) {
    isBinary = looksBinary(doc.getText());
    binary.set(doc, isBinary);
  }
  return isBinary;
}

/**
 * `allowLarge`: documents the user chose to count despite the size limit (keyed by URI).
 * The size check avoids copying the text when the length alone decides it.
 */
export function measure(editor: vscode.TextEditor, cfg: TokenCostConfig, allowLarge: ReadonlySet<string>): Measurement {
  const doc = editor.document;
  const name = documentName(doc);
  const uri = doc.uri.toString();
  const selections = cfg.countScope === 'selection' ? editor.selections.filter((s) => !s.isEmpty) : [];
  const key = `${uri}@${doc.version}:${selections.map((s) => `${doc.offsetAt(s.start)}-${doc.offsetAt(s.end)}`).join(',')}`;
  const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
  if (selections.length === 0 && !allowLarge.has(uri)) {
    const bytes = oversizeBytes(length, () => doc.getText(), cfg.maxFileSize);
    if (bytes !== undefined) return { ok: false, key, documentName: name, reason: 'too-large', bytes };
  }
  if (isBinaryDocument(doc)) return { ok: false, key, documentName: name, reason: 'binary', bytes: length };
  if (selections.length) return { ok: true, key, documentName: name, scope: 'selection', texts: selections.map((s) => doc.getText(s)) };
  return { ok: true, key, documentName: name, scope: 'document', document: doc };
}
