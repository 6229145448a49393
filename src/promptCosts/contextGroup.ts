// The Prompt Costs view's "Context files" group: the instruction files that apply to the active file (and the ones
// found that do not, with why), each with its tokens on the default model and what it adds to every request.
import * as vscode from 'vscode';
import type { ContextFiles } from '../contextFiles/contextFiles';
import { contextGroupView } from '../contextFiles/contextView';
import type { CostService } from '../services/costService';
import { localeOf } from '../services/costService';

export type ContextNode = { kind: 'context-group' } | { kind: 'context-file'; path: string };

export class ContextGroup {
  readonly onDidChange: vscode.Event<void>;

  constructor(
    private readonly files: ContextFiles,
    private readonly service: CostService,
  ) {
    this.onDidChange = files.onDidChange;
  }

  /** The group, when the active file's folder has context files. */
  nodes(): ContextNode[] {
    return this.files.current()?.entries.length ? [{ kind: 'context-group' }] : [];
  }

  children(): ContextNode[] {
    return (this.files.current()?.entries ?? []).map((e) => ({ kind: 'context-file', path: e.file.path }));
  }

  treeItem(n: ContextNode): vscode.TreeItem {
    const state = this.files.current();
    const model = this.service.defaultModel().model;
    const summary = this.files.summary(model);
    const view = state && summary ? contextGroupView(state.target, model, summary, localeOf(), vscode.l10n.t) : undefined;
    if (n.kind === 'context-group') {
      const item = new vscode.TreeItem(vscode.l10n.t('Context files'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'context-files';
      item.iconPath = new vscode.ThemeIcon('book');
      item.description = view?.description ?? vscode.l10n.t('counting…');
      if (view) item.tooltip = new vscode.MarkdownString(view.tooltip);
      return item;
    }
    const row = view?.rows.find((r) => r.path === n.path);
    const uri = state ? vscode.Uri.joinPath(vscode.Uri.parse(state.folderUri), ...n.path.split('/')) : undefined;
    const item = uri ? new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None) : new vscode.TreeItem(n.path, vscode.TreeItemCollapsibleState.None);
    item.id = `context-files#${n.path}`;
    item.label = n.path;
    item.iconPath = new vscode.ThemeIcon(row?.applies ? 'pass' : 'circle-slash');
    item.description = row?.description ?? vscode.l10n.t('counting…');
    if (row) {
      item.tooltip = new vscode.MarkdownString(row.tooltip);
      item.accessibilityInformation = { label: row.accessibilityLabel };
    }
    if (uri) item.command = { command: 'vscode.open', title: vscode.l10n.t('Open File'), arguments: [uri] };
    return item;
  }
}
