// LiveText's typing debounce on a fake clock: the first keystroke after a pause is measured on the next tick even
// though its own selection event follows it; keystrokes in quick succession are measured once, after the last.
import { test, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from '../../fixtures/vscode';

const vscode = installFakeVscode();
const { Settings } = require('../../../src/services/settings') as typeof import('../../../src/services/settings');
const { LiveText } = require('../../../src/live/liveText') as typeof import('../../../src/live/liveText');

let clock = 0;
let settings: InstanceType<typeof Settings>;
let text: InstanceType<typeof LiveText>;
let measured: string[];

beforeEach(() => {
  vscode.reset();
  clock = 10_000;
  mock.method(performance, 'now', () => clock);
  mock.timers.enable({ apis: ['setTimeout'] });
  settings = new Settings();
  text = new LiveText(settings);
  measured = [];
  text.onDidChange(() => measured.push(text.current?.key ?? ''));
});
afterEach(() => {
  text.dispose();
  settings.dispose();
  mock.timers.reset();
  mock.restoreAll();
});

/** Time passes: the clock moves and due timers run. */
function advance(ms: number): void {
  clock += ms;
  mock.timers.tick(ms);
}

/** A keystroke as VS Code reports it: the content change, then the cursor's move. */
function keystroke(editor: ReturnType<typeof vscode.show>, at: number): void {
  vscode.edit(editor.document as never, at, 0, 'x');
  vscode.select(editor, [at + 1, at + 1]);
}

test('after a pause, a keystroke is measured at once, its selection event notwithstanding; then typing is debounced', () => {
  const editor = vscode.show(vscode.document('hello world'));
  advance(1000);
  measured.length = 0;
  keystroke(editor, 0);
  advance(0);
  assert.equal(measured.length, 1, 'measured on the next tick');
  assert.match(measured[0], /@2:/, 'the new version');
  assert.deepEqual(text.timing && { event: text.timing.event, measured: text.timing.measured }, { event: clock, measured: clock });
  // Three more keystrokes 20 ms apart: one measurement, 40 ms after the last.
  for (let i = 1; i <= 3; i++) {
    advance(20);
    keystroke(editor, i);
  }
  assert.equal(measured.length, 1);
  advance(39);
  assert.equal(measured.length, 1, 'not before the typing delay');
  advance(1);
  assert.equal(measured.length, 2);
  assert.match(measured[1], /@5:/);
});

test('moving the cursor right before a keystroke does not delay the keystroke', () => {
  const editor = vscode.show(vscode.document('hello world'));
  advance(1000);
  vscode.select(editor, [5, 5]); // Go to Line, a click
  advance(0);
  advance(100);
  measured.length = 0;
  keystroke(editor, 5);
  advance(0);
  assert.equal(measured.length, 1);
});

test('cursor moves on their own are measured at most every typing delay', () => {
  const editor = vscode.show(vscode.document('hello world'));
  advance(1000);
  measured.length = 0;
  for (let i = 0; i < 10; i++) {
    vscode.select(editor, [i, i + 1]);
    advance(5);
  }
  assert.ok(measured.length >= 1 && measured.length <= 2, `${measured.length} measurements for 10 moves in 50 ms`);
});
