// Hovers in prompt files: the hovered paragraph or Markdown section, its tokens and cost for the default and the
// followed models.
import * as vscode from 'vscode';
import type { CountClient } from '../counting/countClient';
import { Priority } from '../counting/protocol';
import type { CostService } from '../services/costService';
import type { PromptFiles } from '../live/promptFiles';
import { localeOf } from '../services/costService';
import { findBlock } from '../core/blocks';
import { formatCount } from '../core/money';
import { comparisonTable } from '../core/summary';
import { countCharacters, looksBinary } from '../core/textInput';
import { summaryLabels } from '../services/labels';

/** Hovering counts at most this much text: a section of a huge file must not stall the hover. */
const MAX_BLOCK_CHARS = 200_000;

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly files: PromptFiles,
    private readonly service: CostService,
    private readonly client: CountClient,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!this.files.isPromptFile(doc)) return undefined;
    const block = findBlock((i) => doc.lineAt(i).text, doc.lineCount, position.line);
    if (!block) return undefined;
    const range = new vscode.Range(block.start, 0, block.end, doc.lineAt(block.end).text.length);
    const text = doc.getText(range);
    if (text.length > MAX_BLOCK_CHARS || looksBinary(text)) return undefined;
    const { model } = this.service.defaultModel();
    const focus = this.service.focusModels();
    const counted = await this.client.countTexts([text], this.service.tokenizersOf(focus), Priority.hover);
    if (token.isCancellationRequested) return undefined;
    const rows = this.service.price(counted.counts, focus);
    const locale = localeOf();
    const what = block.kind === 'section' ? vscode.l10n.t('Section') : vscode.l10n.t('Paragraph');
    const lines = block.start === block.end ? vscode.l10n.t('line {0}', block.start + 1) : vscode.l10n.t('lines {0}–{1}', block.start + 1, block.end + 1);
    const md = new vscode.MarkdownString(
      `**${vscode.l10n.t('Token Cost')}** · ${what} · ${lines} · ${vscode.l10n.t('{0} characters', formatCount(countCharacters(text), locale))}\n\n` +
        comparisonTable(rows, summaryLabels(), { locale, highlightId: model.id, detailed: false }),
    );
    return new vscode.Hover(md, range);
  }
}
