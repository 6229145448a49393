// The output channel: a log channel, so VS Code stamps and levels each line (and the user can filter them).
import * as vscode from 'vscode';
import { Commands, EXTENSION_NAME } from '../constants';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel(EXTENSION_NAME, { log: true });
}

/**
 * Logs a heading and its problem lines as one warning, and tells the user once per distinct set (the caller keeps
 * the key), with a "Show Problems" button that opens the log.
 */
export function reportProblems(log: Log, heading: string, lines: readonly string[], notification: string): void {
  log.warn([heading, ...lines.map((l) => `  ${l}`)].join('\n'));
  const show = vscode.l10n.t('Show Problems');
  void vscode.window.showWarningMessage(notification, show).then((pick) => {
    if (pick === show) void vscode.commands.executeCommand(Commands.showProblems);
  });
}
