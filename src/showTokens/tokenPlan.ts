// What "Show Tokens" tokenizes and paints, free of VS Code so it is tested in plain Node: a window around the
// visible range (never more, whatever the file's size), cut where tokenization is independent of the text around
// it, tokenized in chunks under a time budget, and turned into alternating ranges plus shared (split) characters.
import { isCut, splitAtCuts } from '../core/incremental/cuts';
import type { BpeCounter } from '../core/tokenizers/bpe';
import { tokenSpans } from '../core/tokenizers/tokenSpans';
import type { TokenSpan } from '../core/tokenizers/tokenSpans';

export interface PlanLimits {
  /** Characters painted beyond each end of the visible range, so a little scrolling needs no new plan. */
  margin: number;
  /** How far beyond the margin to look for a cut (a line start tokenization cannot cross). */
  snap: number;
  /** Most characters of the visible range itself (a huge unwrapped line counts as visible in full). */
  maxVisible: number;
  /** Milliseconds of tokenizing per plan; chunks after that are left unpainted and the plan says where it stopped. */
  timeBudgetMs: number;
}

export const DEFAULT_LIMITS: PlanLimits = { margin: 4_000, snap: 16_000, maxVisible: 60_000, timeBudgetMs: 150 };

export interface Window {
  start: number;
  end: number;
  /**
   * Whether the window starts (ends) where tokenizing the whole counted text would also cut a token: at the text's
   * own start (end) or at a cut. Otherwise the token at that edge may differ from the full text's.
   */
  exactStart: boolean;
  exactEnd: boolean;
}

/**
 * The window to tokenize: the visible range (`visible`, UTF-16 offsets) plus a margin, inside `bounds` (the text
 * that is counted: the selection or the whole document), widened to the nearest cuts when one is near enough.
 * `textAt(start, end)` reads the document.
 */
export function planWindow(textAt: (start: number, end: number) => string, bounds: readonly [number, number], visible: readonly [number, number], limits: PlanLimits = DEFAULT_LIMITS): Window {
  const [bs, be] = bounds;
  const vs = Math.min(Math.max(visible[0], bs), be);
  const ve = Math.min(Math.max(visible[1], vs), be, vs + limits.maxVisible);
  let start = Math.max(bs, vs - limits.margin);
  let end = Math.min(be, ve + limits.margin);
  let exactStart = start === bs;
  let exactEnd = end === be;
  if (!exactStart) {
    // The last cut at or before `start`, searched back over `snap` characters; a cut needs the '\n' before it.
    const from = Math.max(bs, start - limits.snap);
    const buf = textAt(from, Math.min(be, start + 1));
    for (let p = start - from; p > 0; p--) {
      if (isCut(buf, p)) {
        start = from + p;
        exactStart = true;
        break;
      }
    }
    if (!exactStart && from === bs) {
      start = bs;
      exactStart = true;
    }
  }
  if (!exactEnd) {
    const to = Math.min(be, end + limits.snap);
    const buf = textAt(end - 1, to);
    for (let p = 1; p < buf.length; p++) {
      if (isCut(buf, p)) {
        end = end - 1 + p;
        exactEnd = true;
        break;
      }
    }
    if (!exactEnd && to === be) {
      end = be;
      exactEnd = true;
    }
  }
  return { start, end, exactStart, exactEnd };
}

export interface TokenPlan {
  window: Window;
  spans: TokenSpan[];
  /** Where tokenizing stopped for the time budget (spans cover [window.start, stoppedAt)), or undefined. */
  stoppedAt?: number;
}

/** Tokenizes the window's text chunk by chunk (cuts keep chunks independent) until done or out of time. */
export function tokenizeWindow(counter: BpeCounter, text: string, window: Window, limits: PlanLimits = DEFAULT_LIMITS, now: () => number = () => performance.now()): TokenPlan {
  const started = now();
  const spans: TokenSpan[] = [];
  let at = window.start;
  for (const chunk of splitAtCuts(text)) {
    if (now() - started > limits.timeBudgetMs) return { window, spans, stoppedAt: at };
    for (const s of tokenSpans(counter, chunk, at)) spans.push(s);
    at += chunk.length;
  }
  return { window, spans };
}

export interface Paint {
  /** Ranges [start, end) owned by one token, alternating: even-numbered tokens, then odd-numbered ones. */
  even: [number, number][];
  odd: [number, number][];
  /** Characters shared by neighbouring tokens: byte-level BPE split them, or NFC composed them before tokenizing. */
  shared: [number, number][];
}

/** Splits token spans into what each decoration paints. Token numbers count from the window's first token. */
export function paint(spans: readonly TokenSpan[]): Paint {
  const out: Paint = { even: [], odd: [], shared: [] };
  for (let k = 0; k < spans.length; k++) {
    const s = spans[k];
    const prevEnd = k > 0 ? spans[k - 1].end : s.start;
    const nextStart = k + 1 < spans.length ? spans[k + 1].start : s.end;
    const own: [number, number] = [Math.max(s.start, prevEnd), Math.min(s.end, nextStart)];
    if (own[0] < own[1]) (k % 2 === 0 ? out.even : out.odd).push(own);
    if (nextStart < s.end) {
      const last = out.shared[out.shared.length - 1];
      if (last && last[0] === nextStart) last[1] = Math.max(last[1], s.end);
      else out.shared.push([nextStart, s.end]);
    }
  }
  return out;
}

/** The tokens touching offset `at` (more than one where a character is shared), by index into `spans`. */
export function tokensAt(spans: readonly TokenSpan[], at: number): number[] {
  // First span whose end is beyond `at`; spans are ordered by start and by end.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= at) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let k = lo; k < spans.length && spans[k].start <= at; k++) if (at < spans[k].end) out.push(k);
  return out;
}
