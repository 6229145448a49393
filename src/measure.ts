// What to count in an editor: its selections (summed) or the whole document, within the size limit.
import * as vscode from 'vscode';
import type { TokenCostConfig } from './config';
import { countCharacters } from './core/textInput';

export type Measurement =
  | { ok: true; key: string; documentName: string; scope: 'selection' | 'document'; texts: string[]; characters: number; bytes: number }
  | { ok: false; key: string; documentName: string; reason: 'too-large' | 'binary'; bytes: number };

export function documentName(doc: vscode.TextDocument): string {
  return doc.isUntitled ? doc.uri.path : doc.uri.path.split('/').pop() || doc.uri.toString();
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
  const limit = cfg.maxFileSize;
  if (selections.length === 0 && !allowLarge.has(uri)) {
    // UTF-8 takes 1–3 bytes per UTF-16 unit: decide by length when it can, measure only in between.
    let bytes = length;
    if (length <= limit && length * 3 > limit) bytes = Buffer.byteLength(doc.getText());
    if (bytes > limit) return { ok: false, key, documentName: name, reason: 'too-large', bytes };
  }
  const texts = selections.length ? selections.map((s) => doc.getText(s)) : [doc.getText()];
  // A NUL character means a binary file opened as text: its "tokens" would mean nothing.
  if (texts.some((t) => t.includes('\u0000'))) return { ok: false, key, documentName: name, reason: 'binary', bytes: length };
  let characters = 0;
  let bytes = 0;
  for (const t of texts) {
    characters += countCharacters(t);
    bytes += Buffer.byteLength(t);
  }
  return { ok: true, key, documentName: name, scope: selections.length ? 'selection' : 'document', texts, characters, bytes };
}
