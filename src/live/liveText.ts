// Follows the text the user is working on: the active editor's selection or document. Keeps the last text
// editor while a webview (the panel) has focus, and debounces typing so counting never runs per keystroke.
import * as vscode from 'vscode';
import type { Settings } from '../services/settings';
import { measure } from './measure';
import type { Measurement } from './measure';
import { Disposable } from '../dispose';

/**
 * Counting an edit costs milliseconds now (incremental, pre-emptive, stale requests dropped), so the first keystroke
 * after a pause is counted at once (on the next tick, which folds the edit's change and selection events into one);
 * while typing goes on, the count follows this long after the last keystroke.
 */
const TYPING_DELAY_MS = 40;
/** A pause this long makes the next keystroke a "first" one. */
const QUIET_MS = 250;

/** performance.now() times of a measurement: the first event that led to it (absent: an editor switch, a setting). */
export interface MeasurementTimes {
  event?: number;
  measured: number;
  measureMs: number;
}

export class LiveText extends Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private timer?: ReturnType<typeof setTimeout>;
  private editor?: vscode.TextEditor;
  private measurement?: Measurement;
  /** When the last content change arrived: typing within QUIET_MS of it is debounced. */
  private lastTyped = -Infinity;
  /** When the cursor or selection last moved on its own. */
  private lastMoved = -Infinity;
  /** When the first change or selection event since the last measurement arrived (performance.now()). */
  private firstEvent?: number;
  private times?: MeasurementTimes;
  /** Documents the user asked to count despite the size limit. */
  readonly allowLarge = new Set<string>();

  constructor(private readonly settings: Settings) {
    super();
    // After a reload the restored panel may have focus: then the visible text editor is the one to follow.
    this.editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    this._register(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (this.editor && editors.includes(this.editor)) return;
        if (vscode.window.activeTextEditor) return; // onDidChangeActiveTextEditor handles it
        this.editor = editors[0];
        this.refresh();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (!e) return; // focus moved to a panel or terminal: keep showing the last editor's text
        this.editor = e;
        this.refresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === this.editor) this.schedule(false);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.editor?.document && e.contentChanges.length) this.schedule(true);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.allowLarge.delete(d.uri.toString());
        if (d === this.editor?.document) {
          this.editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document !== d);
          this.refresh();
        }
      }),
      settings.onDidChange(() => this.refresh()),
    );
  }

  /** The last measurement (typing is debounced: a newer one follows onDidChange). */
  get current(): Measurement | undefined {
    return this.measurement;
  }

  /** How the current measurement came about, for the trace log's per-stage breakdown. */
  get timing(): MeasurementTimes | undefined {
    return this.times;
  }

  get activeEditor(): vscode.TextEditor | undefined {
    return this.editor;
  }

  /** Re-measures now and notifies. */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const t0 = performance.now();
    const e = this.editor;
    this.measurement = e && !e.document.isClosed ? measure(e, this.settings.current, this.allowLarge) : undefined;
    this.times = { event: this.firstEvent, measured: t0, measureMs: performance.now() - t0 };
    this.firstEvent = undefined;
    this.emitter.fire();
  }

  /**
   * `typed`: a content change. The first keystroke after a pause is counted on the next tick; while typing goes on,
   * TYPING_DELAY_MS after the last one. Cursor and selection moves never postpone a pending count (a keystroke's own
   * selection event follows its change event) and, on their own, are counted at most every TYPING_DELAY_MS.
   */
  private schedule(typed: boolean): void {
    const now = performance.now();
    this.firstEvent ??= now;
    if (!typed) {
      if (this.timer === undefined) this.timer = setTimeout(() => this.refresh(), now - this.lastMoved > QUIET_MS ? 0 : TYPING_DELAY_MS);
      this.lastMoved = now;
      return;
    }
    const quiet = now - this.lastTyped > QUIET_MS;
    this.lastTyped = now;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), quiet ? 0 : TYPING_DELAY_MS);
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
    this.emitter.dispose();
  }
}
