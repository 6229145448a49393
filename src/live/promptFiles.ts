// Which documents are prompt files: the tokenCost.promptFiles globs, or the user's per-file choice. Hovers, budgets,
// the editor context key and the Prompt Costs view all ask here.
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';

export class PromptFiles {
  /** Per-file choices from "Toggle Hover for This File", overriding the globs. */
  private readonly overrides = new Map<string, boolean>();

  constructor(private readonly settings: Settings) {}

  isPromptFile(doc: vscode.TextDocument): boolean {
    const o = this.overrides.get(doc.uri.toString());
    if (o !== undefined) return o;
    return this.settings.current.hoverEnabled && this.matchesGlobs(doc);
  }

  /** Whether the tokenCost.promptFiles globs name this document (whatever the hover setting and toggles say). */
  matchesGlobs(doc: vscode.TextDocument): boolean {
    const globs = this.settings.promptFiles(doc.uri);
    return globs.length > 0 && vscode.languages.match(globs.map((pattern) => ({ pattern })), doc) > 0;
  }

  toggle(doc: vscode.TextDocument): boolean {
    const next = !this.isPromptFile(doc);
    this.overrides.set(doc.uri.toString(), next);
    return next;
  }
}
