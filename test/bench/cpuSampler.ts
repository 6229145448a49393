// CPU time by who spent it, from /proc (Linux), sampled while something runs: which thread or process was busy
// while a count was being made, against the wall clock (this machine has few cores, so whoever else is busy slows
// the counter). The extension host is split into its main thread (every extension's JavaScript), Token Cost's
// counting worker (Node names the thread after the Worker's `name`) and its other threads; the browser's renderer
// apart from the rest of Chromium; every other process of the server tree together.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICK_MS = 1000 / (Number(safe(() => execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())) || 100);

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** utime + stime of a /proc stat line, in ms, and its comm. */
function readStat(file: string): { comm: string; ms: number } | undefined {
  const s = safe(() => readFileSync(file, 'utf8'));
  if (!s) return undefined;
  const close = s.lastIndexOf(')');
  const f = s.slice(close + 2).split(' ');
  return { comm: s.slice(s.indexOf('(') + 1, close), ms: (Number(f[11]) + Number(f[12])) * TICK_MS };
}

export type Who = 'host main thread' | 'Token Cost worker' | 'host other threads' | 'browser renderer' | 'browser other' | 'server and other node' | 'this bench' | 'other';

export interface Snapshot {
  /** Epoch ms. */
  at: number;
  ms: Map<Who, number>;
}

/** One reading of every process's CPU time, by who. `hostPid`: the extension host's. */
export function snapshot(hostPid: number): Snapshot {
  const ms = new Map<Who, number>();
  const add = (w: Who, v: number) => ms.set(w, (ms.get(w) ?? 0) + v);
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    if (Number(p) === hostPid) {
      for (const t of safe(() => readdirSync(`/proc/${p}/task`)) ?? []) {
        const st = readStat(`/proc/${p}/task/${t}/stat`);
        if (!st) continue;
        add(t === p ? 'host main thread' : st.comm === 'token-cost' ? 'Token Cost worker' : 'host other threads', st.ms);
      }
      continue;
    }
    const st = readStat(`/proc/${p}/stat`);
    if (!st || st.ms === 0) continue;
    if (Number(p) === process.pid) {
      add('this bench', st.ms);
      continue;
    }
    const cmd = safe(() => readFileSync(`/proc/${p}/cmdline`, 'utf8')) ?? '';
    if (/chrom/i.test(st.comm) || /chromium/.test(cmd)) add(/--type=renderer/.test(cmd) ? 'browser renderer' : 'browser other', st.ms);
    else if (st.comm === 'node' || /node/.test(cmd)) add('server and other node', st.ms);
    else add('other', st.ms);
  }
  return { at: Date.now(), ms };
}

/** Samples every `everyMs` until stopped; `between(a, b)` is the CPU spent from the sample nearest a to nearest b. */
export function sampleCpu(hostPid: number, everyMs = 100): { stop(): void; between(from: number, to: number): string } {
  const snaps: Snapshot[] = [snapshot(hostPid)];
  const timer = setInterval(() => snaps.push(snapshot(hostPid)), everyMs);
  const nearest = (t: number) => snaps.reduce((a, b) => (Math.abs(b.at - t) < Math.abs(a.at - t) ? b : a));
  return {
    stop: () => clearInterval(timer),
    between: (from, to) => {
      const a = nearest(from);
      const b = nearest(to);
      const wall = b.at - a.at;
      const parts = [...b.ms]
        .map(([w, v]) => [w, v - (a.ms.get(w) ?? 0)] as const)
        .filter(([, v]) => v > 0)
        .sort((x, y) => y[1] - x[1])
        .map(([w, v]) => `${w} ${v.toFixed(0)}`);
      return `${wall.toFixed(0)} ms of wall clock: CPU ms ${parts.join(', ')}`;
    },
  };
}
