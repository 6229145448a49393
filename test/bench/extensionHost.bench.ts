// The extension as a user runs it (code-server + headless Chromium, see test/e2e/), default settings, on a 4 MB mixed
// Chinese/English prompt:
//  - activate()'s duration, against loading one rank table (what an eager activation would pay);
//  - editor shown → first count in the status bar, and where its time went (the trace log's stages);
//  - keystrokes, timed in the page per animation frame against VS Code's own "Ln, Col" item (the moment VS Code
//    itself has applied the keystroke): "busy" ones typed 1.5 s after the first count appears, while the followed
//    models, budgets and the Prompt Costs view are still counting, and "idle" ones after 12 s and 3 s pauses. Each
//    keystroke counts only when the status bar shows the exact count of the text after it (computed here in Node);
//  - the longest animation frame gap while counting and typing (the renderer never waits on the extension host);
//  - CPU time by thread and process while the first count is made (who else the counter shares the cores with);
//  - the extension host's RSS before, after the first count, and with every bundled table loaded (panel open);
//  - the VSIX size.
//
//   npm run package && bash test/e2e/toolchain.sh && node --import tsx test/bench/extensionHost.bench.ts
import { readFileSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as h from '../e2e/harness';
import { mixedText } from './mixedText';
import { RankTable } from '../../src/core/tokenizers/rankTable';
import { TokenCounter } from '../../src/core/tokenizers/tokenCounter';
import { formatCount } from '../../src/core/money';
import { sampleCpu } from './cpuSampler';

const VSIX = path.join(h.REPO_ROOT, 'dist', 'token-cost.vsix');
const TABLES = path.join(h.REPO_ROOT, 'dist', 'tokenizers');
const ITEM = 'token-cost.token-cost.tokenCost.status';
const SIZE = Number(process.env.BENCH_MB ?? 4) * 1024 * 1024;
const KEYS = Number(process.env.BENCH_KEYS ?? 6);

async function findFiles(dir: string, test: (name: string) => boolean, out: string[] = []): Promise<string[]> {
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await findFiles(p, test, out);
    else if (test(e.name)) out.push(p);
  }
  return out;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

const median = (xs: readonly number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : Number.NaN;
};
const stat = (xs: readonly number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? `median ${median(v).toFixed(0)} ms, min ${v[0].toFixed(0)}, max ${v[v.length - 1].toFixed(0)} (n=${v.length})` : 'no samples';
};

/** A trace line of src/live/liveCounts.ts as numbers by name. */
function parseTrace(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=(\S+)/g)) out[m[1]] = m[2];
  return out;
}

interface Recording {
  keys: number[];
  sel: number[];
  tc: [number, string][];
  frames: number[];
}

async function main(): Promise<void> {
  const vsixMb = statSync(VSIX).size / 1024 / 1024;
  const tmp = await h.makeTempDir('token-cost-bench-');
  const workspace = path.join(tmp, 'ws');
  await fs.mkdir(workspace, { recursive: true });
  const big = mixedText(SIZE, 7);
  await fs.writeFile(path.join(workspace, 'big.prompt.md'), big);
  const counter = new TokenCounter(TABLES);
  const tokens = counter.count('qwen', big).tokens;

  // The keystrokes: an 'x' at the start of chosen lines, each kept only if it changes the Qwen count (so the status
  // bar's change is visible), with the exact count of the text after it.
  const lines = big.split('\n');
  const plan: { line: number; tokens: number }[] = [];
  let current = tokens;
  for (let line = 2000; plan.length < KEYS * 2 && line < lines.length; line += 97) {
    lines[line - 1] = 'x' + lines[line - 1];
    const next = counter.count('qwen', lines.join('\n')).tokens;
    if (next === current) {
      lines[line - 1] = lines[line - 1].slice(1);
      continue;
    }
    plan.push({ line, tokens: next });
    current = next;
  }

  // Baseline: VS Code alone (no Token Cost) through the same steps, for what opening and typing in this file costs
  // the extension host without us (VS Code's own Markdown support, the document's copy).
  const alone = await vscodeAlone(tmp, workspace, plan.map((p) => p.line));

  // Baseline: what activation would cost if it loaded the default model's table eagerly.
  const t0 = performance.now();
  RankTable.decode(readFileSync(path.join(TABLES, 'qwen.bin')));
  const tableMs = performance.now() - t0;

  const extensionsDir = path.join(tmp, 'ext');
  await h.installExtension({ extensionsDir, vsix: VSIX });
  const userDataDir = path.join(tmp, 'ud');
  await h.updateUserSettings(userDataDir, h.DEFAULT_SETTINGS); // the extension's own settings stay at their defaults
  const server = await h.startCodeServer({ extensionsDir, userDataDir, workspace });
  const session = await h.launchBrowser();
  try {
    const page = session.page;
    await h.openWorkbench(page, server.url, workspace);
    await h.sleep(3000); // let startup settle before the baseline reading
    const pid = Number(/<(\d+)> Launched Extension Host Process/.exec(server.logs())?.[1]);
    const logFile = async () => (await findFiles(path.join(userDataDir, 'logs'), (n) => /Token Cost\.log$/.test(n)))[0];
    const readLog = async () => {
      const f = await logFile();
      return f ? readFileSync(f, 'utf8') : '';
    };
    const activateMs = Number(/activated in ([\d.]+) ms/.exec(await readLog())?.[1]);
    // Trace level for this extension's log only: each shown count logs its stages (src/live/liveCounts.ts).
    await h.runCommand(page, 'Developer: Set Log Level...');
    for (const pick of ['Token Cost', 'Trace']) {
      await page.locator('.quick-input-widget .quick-input-box input').fill(pick);
      await h.sleep(500);
      await page.keyboard.press('Enter');
      await h.sleep(500);
    }
    await h.closeQuickInput(page);
    const before = rssMb(pid);

    // In the page: each keydown, every change of VS Code's Ln/Col item and of Token Cost's item, every frame.
    // A string, not a function: the test runner's transform would add helpers (__name) the page does not have.
    await page.evaluate(`(() => {
      const rec = (globalThis.__typing = { keys: [], sel: [], tc: [], frames: [], on: true });
      document.addEventListener('keydown', (e) => { if (e.key === 'x') rec.keys.push(performance.now()); }, true);
      const opts = { subtree: true, childList: true, characterData: true, attributes: true };
      const watch = (id, push) => {
        const el = document.getElementById(id);
        if (el) new MutationObserver(() => push(el)).observe(el, opts);
        return !!el;
      };
      const tc = (el) => rec.tc.push([performance.now(), (el.textContent || '').replace(/\\s+/g, ' ').trim()]);
      // The Ln/Col item appears with the first editor; observe the status bar until it does.
      if (!watch(${JSON.stringify(ITEM)}, tc)) {
        const bar = document.getElementById('workbench.parts.statusbar');
        const mo = new MutationObserver(() => { if (watch(${JSON.stringify(ITEM)}, tc)) { tc(document.getElementById(${JSON.stringify(ITEM)})); mo.disconnect(); } });
        mo.observe(bar, { subtree: true, childList: true });
      }
      const sel = () => rec.sel.push(performance.now());
      if (!watch('status.editor.selection', sel)) {
        const bar = document.getElementById('workbench.parts.statusbar');
        const mo = new MutationObserver(() => { if (watch('status.editor.selection', sel)) { sel(); mo.disconnect(); } });
        mo.observe(bar, { subtree: true, childList: true });
      }
      const frame = (t) => { rec.frames.push(t); if (rec.on) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
    })()`);
    const pageNow = async () => (await page.evaluate('performance.now()')) as number;
    const timeOrigin = (await page.evaluate('performance.timeOrigin')) as number;
    /** A log line's time stamp (local time, as the log writes it) as epoch ms. */
    const logTime = (line: string) => new Date(line.slice(0, 23).replace(' ', 'T')).getTime();
    const record = async () => (await page.evaluate('(() => { const r = globalThis.__typing; return { keys: r.keys, sel: r.sel, tc: r.tc, frames: r.frames }; })()')) as Recording;

    const shows = (text: string, n: number) => text.startsWith(`${formatCount(n, 'en')} ·`);
    const cpu = sampleCpu(pid);
    const opened = await pageNow();
    await h.openFile(page, 'big.prompt.md');
    await h.waitForStatusBarText(page, ITEM, (t) => shows(t, tokens), { timeoutMs: 180_000 });
    const firstSeen = performance.now();
    cpu.stop();
    let rec = await record();
    const editorShown = rec.sel.find((t) => t >= opened) ?? opened;
    const firstShown = rec.tc.find(([t, text]) => t >= opened && shows(text, tokens))?.[0] ?? Number.NaN;
    const firstMs = firstShown - editorShown;
    const firstTrace = (await readLog()).split('\n').find((l) => /\bcount doc=big\.prompt\.md\b.*priority=status/.test(l));
    const afterFirst = rssMb(pid);

    // Keystrokes. The result of one: page times of its keydown, VS Code's applying it, Token Cost showing its count.
    const keystroke = async (p: { line: number; tokens: number }) => {
      await h.gotoPosition(page, p.line, 1);
      const at = await pageNow();
      await page.keyboard.press('x');
      await h.waitForStatusBarText(page, ITEM, (t) => shows(t, p.tokens), { timeoutMs: 60_000 });
      rec = await record();
      const key = rec.keys.find((t) => t >= at)!;
      const sel = rec.sel.find((t) => t >= key) ?? Number.NaN;
      const tc = rec.tc.find(([t, text]) => t >= key && shows(text, p.tokens))?.[0] ?? Number.NaN;
      return { lnCol: sel - key, tokenCost: tc - key, extra: tc - sel, keyWall: timeOrigin + key, tcWall: timeOrigin + tc };
    };
    const busy: Awaited<ReturnType<typeof keystroke>>[] = [];
    const idle: Awaited<ReturnType<typeof keystroke>>[] = [];
    await h.sleep(Math.max(0, 1500 - (performance.now() - firstSeen)));
    for (const p of plan.slice(0, KEYS)) busy.push(await keystroke(p));
    await h.sleep(12_000);
    for (const p of plan.slice(KEYS, KEYS * 2)) {
      idle.push(await keystroke(p));
      await h.sleep(3000);
    }
    const log = await readLog();
    const traces = log
      .split('\n')
      .filter((l) => /\bcount doc=big\.prompt\.md\b.*priority=status.*totalMs=/.test(l))
      .map(parseTrace)
      .slice(-KEYS); // the idle keystrokes' status counts
    rec = await record();
    const gaps = rec.frames
      .slice(1)
      .map((t, i) => t - rec.frames[i])
      .filter((g, i) => g > 0 && rec.frames[i] >= editorShown);
    const settled = rssMb(pid);

    // Every bundled table: the panel counts the text with every model's tokenizer.
    await h.runCommand(page, 'Token Cost: Open Comparison Panel');
    const panelFrame = await h.getWebviewFrame(page, 'Token Cost', { timeoutMs: 60_000 });
    await panelFrame.locator('table.models tbody tr').first().waitFor({ timeout: 60_000 });
    const until = performance.now() + 120_000;
    while (performance.now() < until && !/count doc=big\.prompt\.md\b.*priority=panel/.test(await readLog())) await h.sleep(500);
    await h.sleep(2000);
    const allTables = rssMb(pid);

    const stage = (name: string) => median(traces.map((t) => Number(t[name])).filter(Number.isFinite));
    const f = firstTrace ? parseTrace(firstTrace) : {};
    const row = (label: string, value: string) => console.log(`${label.padEnd(44)}${value}`);
    console.log(`VS Code ${h.vscodeVersion()} (code-server), ${(SIZE / 1024 / 1024).toFixed(0)} MB prompt (${formatCount(tokens, 'en')} Qwen tokens), default settings, node ${process.version}`);
    row('activate():', `${activateMs.toFixed(1)} ms  (loading one rank table instead: ${tableMs.toFixed(1)} ms, ${(tableMs / activateMs).toFixed(1)}×)`);
    row('editor shown → first count in status bar:', `${firstMs.toFixed(0)} ms  (target ≤ 1500 ms)`);
    if (firstTrace) {
      const requested = logTime(firstTrace) - Number(f.shownMs) - Number(f.requestMs);
      row('  editor shown → extension host asks:', `${(requested - (timeOrigin + editorShown)).toFixed(0)} ms (VS Code sending the document to the extension host, then our measure ${f.measureMs} ms)`);
      row('  CPU, editor shown → host asks:', cpu.between(timeOrigin + editorShown, requested));
      row('  CPU, host asks → first count shown:', cpu.between(requested, timeOrigin + firstShown));
      row('  VS Code alone, 4 s after opening:', alone.cpu);
      row('  status item set → painted:', `${(timeOrigin + firstShown - logTime(firstTrace)).toFixed(0)} ms (±1 ms log stamps)`);
    }
    const prefetch = (await readLog()).split('\n').find((l) => /\bprefetch big\.prompt\.md bytes=/.test(l));
    if (prefetch) {
      const p = parseTrace(prefetch);
      row('  prefetch (tab seen, file read and counted):', `read ${p.readMs} ms, counted ${p.countMs} ms, finished ${(logTime(prefetch) - (timeOrigin + editorShown)).toFixed(0)} ms after the editor was shown, ${p.documentArrived === 'true' ? 'after' : 'before'} the document arrived`);
    } else row('  prefetch:', 'none logged');
    row('  of which, in the extension host:', `send text ${f.sendMs} ms, request → reply ${f.requestMs} ms (worker start and messaging ${(Number(f.roundTripMs) - Number(f.counterMs)).toFixed(0)} ms)`);
    row('  of which, in the counter:', `chunking ${f.openMs} ms, table load ${f.loadMs} ms, counting ${f.busyMs} ms (table included), waited ${(Number(f.counterMs) - Number(f.busyMs)).toFixed(1)} ms`);
    const extra = (ks: typeof busy) => stat(ks.map((k) => k.extra));
    row('keystroke, busy: VS Code Ln/Col item', stat(busy.map((k) => k.lnCol)));
    row('keystroke, busy: Token Cost (same keydown)', stat(busy.map((k) => k.tokenCost)));
    row('keystroke, busy: extra over Ln/Col', `${extra(busy)}  (target ≤ 300 ms)`);
    row('  each (Ln/Col → Token Cost, ms):', busy.map((k) => `${k.lnCol.toFixed(0)}→${k.tokenCost.toFixed(0)}`).join(', '));
    row('keystroke, idle: VS Code Ln/Col item', stat(idle.map((k) => k.lnCol)));
    row('keystroke, idle: Token Cost (same keydown)', stat(idle.map((k) => k.tokenCost)));
    row('keystroke, idle: extra over Ln/Col', `${extra(idle)}  (target ≤ 150 ms)`);
    row('  each (Ln/Col → Token Cost, ms):', idle.map((k) => `${k.lnCol.toFixed(0)}→${k.tokenCost.toFixed(0)}`).join(', '));
    row('  idle stages (medians, extension host):', `event → measured ${stage('debounceMs')} ms, measure ${stage('measureMs')} ms, request → reply ${stage('requestMs')} ms (in the counter ${stage('counterMs')} ms, counting ${stage('busyMs')} ms; messaging ${(stage('roundTripMs') - stage('counterMs')).toFixed(1)} ms), listeners ${stage('shownMs')} ms; event → status item set ${stage('totalMs')} ms`);
    // Each keystroke's own status count, in order (one per keystroke: they wait for each other), by wall clock.
    const statusLines = log.split('\n').filter((l) => /\bcount doc=big\.prompt\.md\b.*priority=status.*totalMs=/.test(l));
    const all = [...busy, ...idle];
    if (statusLines.length >= all.length) {
      const mine = statusLines.slice(-all.length).map((l) => ({ at: logTime(l), total: Number(parseTrace(l).totalMs) }));
      const toHost = all.map((k, i) => mine[i].at - mine[i].total - k.keyWall);
      const toPaint = all.map((k, i) => k.tcWall - mine[i].at);
      const ours = mine.map((m) => m.total);
      const each = statusLines.slice(-all.length, -idle.length).map((l) => {
        const t = parseTrace(l);
        return `${t.totalMs} (wait ${t.debounceMs}, request ${t.requestMs} [counter ${t.counterMs}, counting ${t.busyMs}], listeners ${t.shownMs})`;
      });
      row('  busy, our part each (ms):', each.join('; '));
      row('  where a keystroke\'s time went (all 12):', `keydown → the extension host's change event ${stat(toHost)}; our part (event → status item set) ${stat(ours)}; status item set → painted ${stat(toPaint)} (log stamps ±1 ms)`);
    }
    const lastHeap = log.split('\n').filter((l) => /counterHeapMb=/.test(l)).map(parseTrace).at(-1);
    if (lastHeap) row('  after typing, Token Cost\'s worker:', `${lastHeap.counterMb} MB committed (heap and rank tables; ${lastHeap.counterHeapMb} MB of heap in use); the extension host\'s heap in use, every extension\'s: ${lastHeap.hostHeapMb} MB`);
    row('  document resent to the worker:', `${(log.match(/its text is sent again/g) ?? []).length} times`);
    row('animation frames from editor shown on:', `longest gap ${Math.max(...gaps).toFixed(1)} ms, median ${median(gaps).toFixed(1)} ms (n=${gaps.length})`);
    row('extension host RSS before opening:', `${before.toFixed(0)} MB  (VS Code alone: ${alone.before.toFixed(0)} MB)`);
    row('  after the first count:', `${afterFirst.toFixed(0)} MB (+${(afterFirst - before).toFixed(0)} MB; VS Code alone +${(alone.opened - alone.before).toFixed(0)} MB, so Token Cost +${(afterFirst - before - (alone.opened - alone.before)).toFixed(0)} MB)`);
    row('  after typing, default settings:', `${settled.toFixed(0)} MB (+${(settled - before).toFixed(0)} MB; VS Code alone +${(alone.typed - alone.before).toFixed(0)} MB, so Token Cost +${(settled - before - (alone.typed - alone.before)).toFixed(0)} MB; target ≤ +150 MB)`);
    row('  VS Code alone, keystroke → Ln/Col item:', stat(alone.lnCol));
    row('  panel open, every bundled table loaded:', `${allTables.toFixed(0)} MB (+${(allTables - before).toFixed(0)} MB)`);
    row('VSIX:', `${vsixMb.toFixed(2)} MB  (${((vsixMb / 8) * 100).toFixed(0)}% of the 8 MB target)`);
  } finally {
    await session.close();
    await server.stop();
    await h.stopAll();
    if (process.env.BENCH_KEEP) console.log(`kept ${tmp}`);
    else await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** The same file, keystrokes and pauses without Token Cost installed: the extension host's RSS and VS Code's own latency. */
async function vscodeAlone(tmp: string, workspace: string, lines: readonly number[]): Promise<{ before: number; opened: number; typed: number; lnCol: number[]; cpu: string }> {
  const extensionsDir = path.join(tmp, 'ext-none');
  const userDataDir = path.join(tmp, 'ud-none');
  await h.updateUserSettings(userDataDir, h.DEFAULT_SETTINGS);
  const server = await h.startCodeServer({ extensionsDir, userDataDir, workspace });
  const session = await h.launchBrowser();
  try {
    const page = session.page;
    await h.openWorkbench(page, server.url, workspace, { activationTimeoutMs: 5000 });
    await h.sleep(3000);
    const pid = Number(/<(\d+)> Launched Extension Host Process/.exec(server.logs())?.[1]);
    const before = rssMb(pid);
    await page.evaluate(`(() => {
      const rec = (globalThis.__alone = { keys: [], sel: [] });
      document.addEventListener('keydown', (e) => { if (e.key === 'x') rec.keys.push(performance.now()); }, true);
      const sel = () => rec.sel.push(performance.now());
      const bar = document.getElementById('workbench.parts.statusbar');
      new MutationObserver(() => { const el = document.getElementById('status.editor.selection'); if (el && !el.__watched) { el.__watched = true; new MutationObserver(sel).observe(el, { subtree: true, childList: true, characterData: true, attributes: true }); } }).observe(bar, { subtree: true, childList: true });
    })()`);
    const cpu = sampleCpu(pid);
    const start = Date.now();
    await h.openFile(page, 'big.prompt.md');
    await h.sleep(4000); // about as long as the first count takes with Token Cost
    cpu.stop();
    const cpuOpened = cpu.between(start, Date.now());
    const opened = rssMb(pid);
    const half = Math.floor(lines.length / 2);
    for (const line of lines.slice(0, half)) {
      await h.gotoPosition(page, line, 1);
      await page.keyboard.press('x');
      await h.sleep(500);
    }
    await h.sleep(12_000);
    for (const line of lines.slice(half)) {
      await h.gotoPosition(page, line, 1);
      await page.keyboard.press('x');
      await h.sleep(3000);
    }
    const typed = rssMb(pid);
    const rec = (await page.evaluate('globalThis.__alone')) as { keys: number[]; sel: number[] };
    const lnCol = rec.keys.map((k) => (rec.sel.find((t) => t >= k) ?? Number.NaN) - k).filter(Number.isFinite);
    return { before, opened, typed, lnCol, cpu: cpuOpened };
  } finally {
    await session.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
