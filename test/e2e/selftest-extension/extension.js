// Tiny extension exercised by test/e2e/harness.selftest.ts (plain JS, no build step).
const vscode = require('vscode');

function activate(context) {
  // Status bar item with an explicit id -> DOM id "e2e-selftest.harness-selftest.tokens".
  const item = vscode.window.createStatusBarItem('tokens', vscode.StatusBarAlignment.Right, 1000);
  item.name = 'Selftest Tokens';
  const tooltip = new vscode.MarkdownString('**令牌提示** tooltip: 42 tokens');
  item.tooltip = tooltip;
  item.command = 'harnessSelftest.openPanel';
  context.subscriptions.push(item);

  // Shows the active selection length, so keyboard selection helpers can be verified.
  const update = () => {
    const ed = vscode.window.activeTextEditor;
    const sel = ed ? ed.document.getText(ed.selection).length : 0;
    item.text = `$(symbol-number) 令牌 42 sel:${sel}`;
    item.show();
  };
  update();
  context.subscriptions.push(
    vscode.window.onDidChangeTextEditorSelection(update),
    vscode.window.onDidChangeActiveTextEditor(update),
  );

  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ scheme: 'file' }, {
      provideHover(doc, pos) {
        const word = doc.getText(doc.getWordRangeAtPosition(pos) ?? new vscode.Range(pos, pos));
        return new vscode.Hover(new vscode.MarkdownString(`**悬停 Hover** word=\`${word}\` at ${pos.line + 1}:${pos.character + 1}`));
      },
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('harnessSelftest.openPanel', () => {
      const panel = vscode.window.createWebviewPanel('harnessSelftest.panel', 'Selftest Panel 面板', vscode.ViewColumn.Beside, {
        enableScripts: true,
      });
      panel.webview.html = `<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';">
</head><body><h1 id="greeting">你好 Webview</h1><p id="count">tokens: 42</p>
<script>document.getElementById('count').dataset.ready = 'yes';</script></body></html>`;
    }),
  );
}

function deactivate() {}

module.exports = { activate, deactivate };
