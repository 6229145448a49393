// Turns a price's published source (a URL or a free-text citation) into a URL that is safe to open.
// Sources may come from a workspace price file, so anything but a plain https URL is refused.

// Must start a token (not "xhttps://" or "javascript://https://") and name a host right away (not "https:///x",
// which URL would read as host "x"); stops at whitespace and characters that delimit citations, not URLs.
const CANDIDATE = /(?<![\w.+\-:/@=])https:\/\/(?![/\\])[^\s<>"'`{}|\\^]+/gi;
// Punctuation that ends a sentence or a citation rather than the URL.
const TRAILING = /[.,;:!?]+$/;
const MAX_LENGTH = 2048;

/** The first https URL in `source`, normalised, or undefined when there is none (or it has credentials). */
export function safeHttpsUrl(source: string): string | undefined {
  if (typeof source !== 'string') return undefined;
  for (const match of source.slice(0, 8192).matchAll(CANDIDATE)) {
    const url = parse(trimCandidate(match[0]));
    if (url) return url;
  }
  return undefined;
}

function trimCandidate(candidate: string): string {
  let s = candidate.replace(TRAILING, '');
  // A closing bracket belongs to the URL only when the URL opened it: "(see https://x/a_(b))".
  for (const [open, close] of [['(', ')'], ['[', ']']] as const) {
    while (s.endsWith(close) && count(s, close) > count(s, open)) s = s.slice(0, -1).replace(TRAILING, '');
  }
  return s;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

function parse(candidate: string): string | undefined {
  if (candidate.length > MAX_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  // Price pages live on public hosts; a dotless host ("https://exa mple.com" cut at the space, intranet names) is not one.
  if (!url.hostname.includes('.') || url.hostname.endsWith('.')) return undefined;
  return url.href;
}
